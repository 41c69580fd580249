"""The node behind the CiderStack fake: VMs, tasks, tokens and the rest, in memory.

Time is lazy: an action that takes time (a boot, a task) records when it is due, and
`Node.advance()` (called before every request) applies whatever has come due, so the
fake needs no background loop and a test can drive it with its own clock.
"""

from __future__ import annotations

import itertools
import re
import shlex
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["MAX_RUNNING_MACOS_VMS", "VM", "Node", "RPCError", "Task"]

#: Apple's Virtualization.framework runs at most two macOS guests per Mac at once.
MAX_RUNNING_MACOS_VMS = 2
#: States in which a VM holds one of those two slots.
_POWERED = frozenset({"starting", "running", "paused", "stopping"})
_REFERENCE = re.compile(r"^[a-z0-9.-]+(:\d+)?/[a-z0-9._/-]+(:[\w.-]+|@sha256:[0-9a-f]+)$")


class RPCError(Exception):
    """A refused call: answered `{"success": false, "error": message}` with HTTP 200."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class VM:
    """One VM of the node (its fields as `ListVMs` reports them, plus what the node keeps)."""

    id: str
    name: str
    cpu_count: int
    memory_mb: int
    disk_gb: int
    os_version: str = "15.3"
    state: str = "stopped"
    ip_address: str | None = None
    due: tuple[float, str] | None = None  #: (when, state) of a transition under way
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)
    folders: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(
        default_factory=lambda: {"displayWidth": 1920, "displayHeight": 1080, "intent": None}
    )
    expires_at: datetime | None = None

    def public(self) -> dict[str, Any]:
        """The VM as `ListVMs` shows it."""
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "cpuCount": self.cpu_count,
            "memoryMB": self.memory_mb,
            "diskSizeGB": self.disk_gb,
            "osVersion": self.os_version,
            "ipAddress": self.ip_address if self.state == "running" else None,
        }


@dataclass
class Task:
    """A background task: `steps` texts, one per `step` seconds, then `done()` (or failure)."""

    id: str
    type: str
    title: str
    started: float
    steps: list[str]
    vm_id: str | None = None
    vm_name: str | None = None
    fail: str | None = None
    done: Callable[[], None] | None = None
    started_at: str = field(default_factory=_now)
    status: str = "pending"
    progress: float = 0.0
    text: str | None = None
    completed_at: str | None = None

    def public(self) -> dict[str, Any]:
        """The task as `GetTasks` shows it."""
        return {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "progress": self.progress,
            "progressText": self.text,
            "startedAt": self.started_at,
            "completedAt": self.completed_at,
            "vmID": self.vm_id,
            "vmName": self.vm_name,
            "errorMessage": self.fail if self.status == "failed" else None,
        }


class Node:
    """A CiderStack node as its API document describes it.

    Args:
        step_seconds: How long one step of anything takes (a boot, a stop, a task step).
        clock: The monotonic clock that time is read from.
        ssh_user: The guest user `ExecCommand` logs in as.
        ssh_password: Their password.
        images: OCI images cached at start.
        ipsws: IPSW paths on the node at start.
    """

    def __init__(
        self,
        *,
        step_seconds: float,
        clock: Callable[[], float],
        ssh_user: str,
        ssh_password: str,
        images: list[str],
        ipsws: list[str],
    ) -> None:
        self.step = step_seconds
        self.clock = clock
        self.ssh = (ssh_user, ssh_password)
        self.node_id = str(uuid.UUID(int=0x0D5C3E7A1B2C4D5E8F90A1B2C3D4E5F6)).upper()
        self.vms: dict[str, VM] = {}
        self.tasks: dict[str, Task] = {}
        self.images: dict[str, dict[str, Any]] = {}
        self.ipsws: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        for ref in images:
            self._cache_image(ref)
        for path in ipsws:
            self._add_ipsw(path)

    # -- time --------------------------------------------------------------------------------

    def advance(self) -> None:
        """Apply every transition and task step that has come due."""
        now = self.clock()
        for vm in list(self.vms.values()):
            if vm.due is not None and now >= vm.due[0]:
                vm.state, vm.due = vm.due[1], None
                running = vm.state == "running"
                vm.ip_address = f"192.168.64.{2 + list(self.vms).index(vm.id)}" if running else None
                self.event(f"vm{vm.state.capitalize()}", f"VM {vm.name} is {vm.state}", vm)
        for task in self.tasks.values():
            if task.status in ("completed", "failed"):
                continue
            elapsed = now - task.started
            index = int(elapsed / self.step)
            if index < len(task.steps):
                task.status = "pending" if index == 0 else "running"
                task.progress = round(min(elapsed / (self.step * len(task.steps)), 0.99), 3)
                task.text = task.steps[index]
                continue
            task.completed_at = _now()
            if task.fail is not None:
                task.status, task.text = "failed", "Failed"
            else:
                task.status, task.progress, task.text = "completed", 1.0, "Done"
                if task.done is not None:
                    task.done()

    def next_id(self, prefix: str) -> str:
        """A short id, unique on this node (`snap-3`, `task-7`)."""
        return f"{prefix}-{next(self._ids)}"

    def task(self, kind: str, title: str, steps: list[str], **kw: Any) -> Task:
        """Start a background task."""
        task = Task(self.next_id("task"), kind, title, self.clock(), ["Queued", *steps], **kw)
        self.tasks[task.id] = task
        return task

    def event(self, kind: str, message: str, vm: VM | None = None) -> None:
        """Append to the fleet activity log."""
        self.events.append(
            {
                "id": self.next_id("ev"),
                "type": kind,
                "timestamp": _now(),
                "message": message,
                "nodeID": self.node_id,
                "vmID": vm.id if vm else None,
            }
        )

    # -- lookups -----------------------------------------------------------------------------

    def vm(self, body: dict[str, Any]) -> VM:
        """The VM named by the body's `vmID` (`VM not found`, as the document shows)."""
        vm = self.vms.get(required(body, "vmID"))
        if vm is None:
            raise RPCError("VM not found")
        return vm

    def running_count(self) -> int:
        """macOS VMs holding one of the two run slots."""
        return sum(vm.state in _POWERED for vm in self.vms.values())

    def _cache_image(self, ref: str) -> None:
        self.images[ref] = {
            "reference": ref,
            "digest": "sha256:" + uuid.uuid5(uuid.NAMESPACE_URL, ref).hex * 2,
            "sizeBytes": 25 << 30,
            "pulledAt": _now(),
        }

    def _add_ipsw(self, path: str) -> None:
        name = path.rsplit("/", 1)[-1]
        match = re.search(r"_(\d+\.\d+(?:\.\d+)?)_(\w+)_Restore", name)
        self.ipsws[path] = {
            "name": name,
            "path": path,
            "version": match.group(1) if match else None,
            "build": match.group(2) if match else None,
            "sizeBytes": 16 << 30,
        }

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, vm: VM, *, recovery: bool = False) -> None:
        """Boot a stopped (or failed) VM, or run a paused one again."""
        if vm.state == "paused" and not recovery:
            vm.state = "running"
            self.event("vmResumed", f"VM {vm.name} resumed", vm)
            return
        if vm.state in ("starting", "running", "paused"):
            raise RPCError("VM is already running")
        if vm.state == "stopping":
            raise RPCError("VM is stopping")
        if self.running_count() >= MAX_RUNNING_MACOS_VMS:
            raise RPCError(
                f"Maximum of {MAX_RUNNING_MACOS_VMS} macOS VMs can run concurrently on this host "
                "(Apple Virtualization.framework limit)"
            )
        vm.state, vm.due = "starting", (self.clock() + self.step, "running")
        self.event("vmStarting", f"VM {vm.name} starting" + (" (recovery)" if recovery else ""), vm)

    def stop(self, vm: VM) -> None:
        """Power a VM off (through `stopping`)."""
        if vm.state == "stopped":
            raise RPCError("VM is not running")
        if vm.state == "error":
            vm.state, vm.due = "stopped", None
        elif vm.state != "stopping":
            vm.state, vm.due = "stopping", (self.clock() + self.step, "stopped")
        self.event("vmStopping", f"VM {vm.name} stopping", vm)

    def suspend(self, vm: VM) -> None:
        """Pause a running VM (what `SuspendVM` does)."""
        if vm.state != "running":
            raise RPCError("VM is not running")
        vm.state = "paused"
        self.event("vmPaused", f"VM {vm.name} paused", vm)

    def crash(self, vm_id: str) -> None:
        """Test hook: the guest fails and the VM shows `error`."""
        vm = self.vms[vm_id]
        vm.state, vm.due, vm.ip_address = "error", None, None

    def power_off_from_guest(self, vm_id: str) -> None:
        """Test hook: the guest shuts itself down."""
        vm = self.vms[vm_id]
        vm.state, vm.due, vm.ip_address = "stopped", None, None

    def create_vm(self, body: dict[str, Any]) -> dict[str, Any]:
        """`CreateVMOnNode`: check, then install in a `createVM` task."""
        name = required(body, "name")
        oci = body.get("ociImage") or body.get("ociImageReference")
        ipsw = body.get("ipswPath")
        if not oci and not ipsw:
            raise RPCError("Either ociImage or ipswPath is required")
        if oci and oci not in self.images:
            raise RPCError(f"OCI image not found on node: {oci} (pull it with PullOCIImageOnNode)")
        if ipsw and ipsw not in self.ipsws:
            raise RPCError(f"IPSW not found: {ipsw}")
        cpus = integer(body, "cpuCount", 4)
        memory = integer(body, "memoryMB", integer(body, "memorySizeMB", 8192))
        disk = integer(body, "diskGB", integer(body, "diskSizeGB", 64))
        if cpus < 1 or memory < 1024 or disk < 10:
            raise RPCError(
                "Invalid VM configuration: cpuCount >= 1, memoryMB >= 1024, diskGB >= 10"
            )
        vm = VM(str(uuid.uuid4()).upper(), str(name), cpus, memory, disk)

        def done() -> None:
            self.vms[vm.id] = vm
            self.event("vmCreated", f"VM {vm.name} created", vm)

        steps = ["Preparing disk", "Installing macOS", "Configuring VM"]
        task = self.task(
            "createVM", f"Create {vm.name}", steps, vm_id=vm.id, vm_name=vm.name, done=done
        )
        return {"success": True, "message": "VM creation started", "vmID": vm.id, "taskID": task.id}

    def pull(self, ref: str) -> Task:
        """`PullOCIImageOnNode`: a `pullImage` task; a malformed reference fails it."""
        fail = None if _REFERENCE.match(ref) else f"invalid reference format: {ref!r}"
        return self.task(
            "pullImage",
            f"Pull {ref}",
            ["Downloading layers", "Extracting"],
            fail=fail,
            done=lambda: self._cache_image(ref),
        )

    def download_ipsw(self, url: str, name: str | None) -> Task:
        """`DownloadIPSWOnNode`: a `downloadIPSW` task adding the file."""
        path = f"/Users/Shared/CiderStack/IPSW/{name or url.rsplit('/', 1)[-1]}"
        steps = ["Downloading", "Verifying"]
        title = f"Download {path.rsplit('/', 1)[-1]}"
        return self.task("downloadIPSW", title, steps, done=lambda: self._add_ipsw(path))

    # -- guest -------------------------------------------------------------------------------

    def exec(self, vm: VM, body: dict[str, Any]) -> dict[str, Any]:
        """`ExecCommand`: a tiny shell over "SSH" (echo, true, false, exit, uname, sleep)."""
        command = str(required(body, "command"))
        if vm.state != "running":
            raise RPCError("VM is not running")
        if (body.get("sshUser"), body.get("sshPassword")) != self.ssh:
            raise RPCError("SSH authentication failed")
        timeout = integer(body, "timeout", 300)
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            return _exec_result(2, "", f"sh: syntax error: {exc}\n")
        if argv and argv[0] == "env":  # `env K=V cmd`: the fake has no variables to set
            argv = argv[1:]
            while argv and "=" in argv[0]:
                argv = argv[1:]
        if not argv:
            return _exec_result(0, "", "")
        prog, args = argv[0], argv[1:]
        if prog == "sleep" and args and float(args[0]) > timeout:
            answer = _exec_result(-1, "", "")
            return {**answer, "error": f"Command timed out after {timeout}s", "duration": timeout}
        if prog == "echo":
            return _exec_result(0, " ".join(args) + "\n", "")
        if prog in ("true", "sleep"):
            return _exec_result(0, "", "")
        if prog == "false":
            return _exec_result(1, "", "")
        if prog == "exit":
            return _exec_result(int(args[0]) if args else 0, "", "")
        if prog == "uname":
            text = (
                f"Darwin {vm.name} 24.3.0 Darwin Kernel Version 24.3.0 arm64" if args else "Darwin"
            )
            return _exec_result(0, text + "\n", "")
        if prog == "hostname":
            return _exec_result(0, vm.name + "\n", "")
        return _exec_result(127, "", f"zsh: command not found: {prog}\n")


def _exec_result(code: int, stdout: str, stderr: str) -> dict[str, Any]:
    return {
        "success": code == 0,
        "exitCode": code,
        "stdout": stdout,
        "stderr": stderr,
        "duration": 0.01,
    }


def required(body: dict[str, Any], key: str) -> Any:
    """`body[key]`, refused as `Missing required field: <key>` when absent or empty."""
    value = body.get(key)
    if value is None or value == "":
        raise RPCError(f"Missing required field: {key}")
    return value


def integer(body: dict[str, Any], key: str, default: int) -> int:
    """`body[key]` as an int (`default` when absent), refused when it is not a number."""
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RPCError(f"Invalid value for {key}: {value!r}")
    return int(value)
