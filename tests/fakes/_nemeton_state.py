"""The fake Nemeton's VMs, snapshots, serial consoles and event feed (in memory).

What Nemeton's manual page documents decides; where it is silent, this follows the shapes
chosen in `spec/peers/nemeton.yaml` (states `stopped`/`running`/`paused`/`error`, 409 for a
call the state does not allow, `{"error": ...}` bodies). Time passes in `step` seconds: a
start takes one step, an ACPI stop two (the guest powering itself off).
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["FakeNemeton", "FakeSnapshot", "FakeVM", "Refused", "Unknown"]


class Refused(Exception):
    """The VM's state does not allow the call (409)."""


class Unknown(Exception):
    """No such VM or snapshot (404)."""


@dataclass
class FakeSnapshot:
    """A snapshot: its id, name and time (disk only, nothing is really copied)."""

    id: str
    name: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        """The API's `Snapshot`."""
        return {"id": self.id, "name": self.name, "createdAt": self.created_at}


@dataclass
class FakeVM:
    """A VM of the fake, with its faults.

    Attributes:
        acpi_ignored: The guest ignores ACPI power-button requests (a graceful stop never ends).
        fails_boot: The next start ends in `error`.
    """

    id: str
    name: str
    cpu_count: int
    memory_mb: int
    disk_gb: int
    state: str = "stopped"
    console: str = ""
    snapshots: list[FakeSnapshot] = field(default_factory=list)
    acpi_ignored: bool = False
    fails_boot: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The API's `Vm`."""
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "cpuCount": self.cpu_count,
            "memoryMB": self.memory_mb,
            "diskGB": self.disk_gb,
        }


class FakeNemeton:
    """Everything the fake keeps.

    Args:
        step_seconds: How long one step of simulated time takes.
    """

    def __init__(self, *, step_seconds: float) -> None:
        self.step = step_seconds
        self.vms: dict[str, FakeVM] = {}
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._snap_ids = itertools.count(1)

    # -- VMs ----------------------------------------------------------------------------------

    def add_vm(
        self, name: str, *, cpu_count: int = 2, memory_mb: int = 4096, disk_gb: int = 64
    ) -> FakeVM:
        """A new stopped VM (made in Nemeton's app; the API documents no create)."""
        vm = FakeVM(str(uuid.uuid4()), name, cpu_count, memory_mb, disk_gb)
        self.vms[vm.id] = vm
        return vm

    def vm(self, vm_id: str) -> FakeVM:
        """The VM `vm_id`.

        Raises:
            Unknown: No such VM.
        """
        vm = self.vms.get(vm_id)
        if vm is None:
            raise Unknown(f"VM {vm_id} not found")
        return vm

    @staticmethod
    def require(vm: FakeVM, action: str, *states: str) -> None:
        """Refuse `action` unless `vm` is in one of `states`.

        Raises:
            Refused: It is not.
        """
        if vm.state not in states:
            raise Refused(f"cannot {action} VM {vm.name}: it is {vm.state}")

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, vm: FakeVM) -> None:
        """Boot a stopped or failed VM: one step, then `running` (or `error`)."""
        async with vm.lock:
            self.require(vm, "start", "stopped", "error")
            await asyncio.sleep(self.step)
            if vm.fails_boot:
                vm.fails_boot = False
                self.write(vm, "nemeton: the virtual machine failed to start\r\n")
                self._set(vm, "error", "vm.error")
                return
            self.write(vm, f"Booting {vm.name}...\r\n{vm.name} login: ")
            self._set(vm, "running", "vm.started")

    async def stop(self, vm: FakeVM) -> None:
        """Send the ACPI request; a guest that obeys powers off two steps later."""
        async with vm.lock:
            self.require(vm, "stop", "running")
        if not vm.acpi_ignored:
            self._later(self._acpi_power_off(vm))

    async def _acpi_power_off(self, vm: FakeVM) -> None:
        await asyncio.sleep(2 * self.step)
        async with vm.lock:
            if vm.state == "running" and not vm.acpi_ignored:
                self.write(vm, "\r\nreboot: Power down\r\n")
                self._set(vm, "stopped", "vm.stopped")

    async def force_stop(self, vm: FakeVM) -> None:
        """Power off at once."""
        async with vm.lock:
            self.require(vm, "force-stop", "running", "paused", "error")
            self._set(vm, "stopped", "vm.stopped")

    async def pause(self, vm: FakeVM) -> None:
        """Freeze a running VM."""
        async with vm.lock:
            self.require(vm, "pause", "running")
            self._set(vm, "paused", "vm.paused")

    async def resume(self, vm: FakeVM) -> None:
        """Run a paused VM again."""
        async with vm.lock:
            self.require(vm, "resume", "paused")
            self._set(vm, "running", "vm.resumed")

    def _set(self, vm: FakeVM, state: str, event: str) -> None:
        vm.state = state
        self.emit(event, vm)

    # -- snapshots ----------------------------------------------------------------------------

    def snapshot(self, vm: FakeVM, sid: str) -> FakeSnapshot:
        """The snapshot `sid` of `vm`.

        Raises:
            Unknown: No such snapshot.
        """
        for snap in vm.snapshots:
            if snap.id == sid:
                return snap
        raise Unknown(f"snapshot {sid} of VM {vm.id} not found")

    def create_snapshot(self, vm: FakeVM, name: str | None) -> FakeSnapshot:
        """Take a snapshot of a stopped, running or paused VM."""
        self.require(vm, "snapshot", "stopped", "running", "paused")
        number = next(self._snap_ids)
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        snap = FakeSnapshot(f"snap-{number}", name or f"Snapshot {number}", now)
        vm.snapshots.append(snap)
        self.emit("snapshot.created", vm, snapshotId=snap.id)
        return snap

    def restore_snapshot(self, vm: FakeVM, sid: str) -> None:
        """Revert a stopped VM's disk to a snapshot."""
        snap = self.snapshot(vm, sid)
        self.require(vm, "restore a snapshot of", "stopped")
        self.emit("snapshot.restored", vm, snapshotId=snap.id)

    def delete_snapshot(self, vm: FakeVM, sid: str) -> None:
        """Delete a snapshot, in any state."""
        vm.snapshots.remove(self.snapshot(vm, sid))
        self.emit("snapshot.deleted", vm, snapshotId=sid)

    # -- the serial console: a getty that echoes, and a tiny shell -----------------------------

    def write(self, vm: FakeVM, text: str) -> None:
        """Append guest output to the console buffer."""
        vm.console += text
        self.emit("console.output", vm, data=text)

    def send(self, vm: FakeVM, text: str) -> None:
        """Type `text`: echoed; each complete line runs in the tiny shell."""
        self.require(vm, "send console text to", "running")
        self.write(vm, text)
        typed = text.replace("\r\n", "\n").replace("\r", "\n")
        for line in typed.split("\n")[:-1]:
            self.write(vm, self.run(vm, line))

    def execute(self, vm: FakeVM, command: str) -> str:
        """Type `command` and a newline; the output it printed."""
        self.require(vm, "execute a command on", "running")
        self.write(vm, command + "\r\n")
        output = self.run(vm, command)
        self.write(vm, output)
        return output

    @staticmethod
    def run(vm: FakeVM, line: str) -> str:
        """What the fake guest's shell prints for `line` (`echo`, `hostname`, else not found)."""
        words = line.split()
        if not words:
            return ""
        if words[0] == "echo":
            return " ".join(words[1:]) + "\r\n"
        if words[0] == "hostname":
            return vm.name + "\r\n"
        return f"sh: {words[0]}: not found\r\n"

    # -- events -------------------------------------------------------------------------------

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        """A queue that receives every event from now on."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        """Stop feeding `queue`."""
        self._subscribers.discard(queue)

    def emit(self, event: str, vm: FakeVM, **data: Any) -> None:
        """Send an event (`Event`: `event`, `vmId`, and `data`'s fields) to every subscriber."""
        body = {"event": event, "vmId": vm.id, **data}
        for queue in self._subscribers:
            queue.put_nowait(body)

    def _later(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
