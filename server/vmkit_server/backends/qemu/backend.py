"""The QEMU backend: real VMs driven over QMP and the guest agent.

What remains when a call fails: a failed `create` or `clone` leaves no new VM; a failed
cold `start` kills the half-booted process and leaves the VM stopped (reason `failed`);
a failed resume of saved RAM keeps the saved RAM (the VM stays suspended). A graceful
`stop` whose guest ignores it times out: without `force_after_timeout` the VM stays
running. A failed `suspend` leaves the VM paused with its process alive. A `force_stop`
pre-empts other calls on the VM: it kills the process at once, and work that was under
way raises `BackendOperationFailedError` (metadata `preempted_by`).
"""

from __future__ import annotations

import asyncio
import os
import platform
import re
from collections.abc import Mapping
from pathlib import Path

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendTimeoutError,
    Capabilities,
    HostInfo,
    Observation,
    OperationContext,
    PowerState,
    VMSpec,
)
from ._disks import DiskError, create_overlay
from ._guest_ops import GuestOps
from ._machine import BootError, boot, restore, save_and_exit
from ._options import QemuOptions, parse_options
from ._process import LaunchError, tail
from ._qmp import MonitorError
from ._state import VMRecord, socket_dir

__all__ = ["QEMU_CAPABILITIES", "QemuBackend"]

P = PowerState
_ANY = frozenset(P) - {P.UNKNOWN}
_POWERED = frozenset({P.RUNNING, P.PAUSED})
_OFF = frozenset({P.STOPPED, P.SUSPENDED, P.ERROR})
_FAILURES = (LaunchError, BootError, MonitorError, DiskError, OSError)
GIB = 1 << 30

QEMU_CAPABILITIES = Capabilities(
    create=True, delete=True, start=True, stop=True, force_stop=True, restart=True,
    pause=True, resume=True, suspend=True, snapshots=True, memory_snapshots=True,
    clone=True, rename=True, update_resources=True, resize_disk=True, exec=True,
    files=True, console=True, screenshot=True, ready_signal=True,
)  # fmt: skip
"""Everything: the guest agent gives exec and files, the serial port the console, and a
VGA device the screenshots."""


class QemuBackend(GuestOps):
    """Real VMs with `qemu-system-x86_64` (see the module docstring for failure semantics).

    Args:
        state_dir: Where VMs, disks and sockets live.
        options: Accelerator, boot queue, timeouts and binaries.
    """

    name = "qemu"
    capabilities = QEMU_CAPABILITIES

    def __init__(self, state_dir: Path, options: QemuOptions | None = None) -> None:
        super().__init__(state_dir, options or QemuOptions())

    @classmethod
    def from_options(cls, options: Mapping[str, str], *, state_dir: Path) -> QemuBackend:
        """A backend configured from CLI strings (see `_options.KNOWN_OPTIONS`).

        Raises:
            ValueError: An unknown key or a value that does not parse.
        """
        return cls(state_dir, parse_options(options))

    # -- lifecycle of the backend -----------------------------------------------------------

    async def open(self) -> None:
        """Load every VM record and re-adopt the QEMU processes that still run."""
        for sub in ("vms", "layers", "images"):
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
        self._load_all()
        for rec in self._records.values():
            self._settle_dead(rec)

    async def close(self) -> None:
        """Drop every connection; the VMs keep running (a later `open` re-adopts them)."""
        machines, self._machines = list(self._machines.values()), {}
        for machine in machines:
            await machine.close()

    async def host_info(self) -> HostInfo:
        """This host, the QEMU version and the accelerator VMs get."""
        proc = await asyncio.create_subprocess_exec(
            self.options.qemu, "--version", stdout=asyncio.subprocess.PIPE
        )
        out, _ = await proc.communicate()
        version = re.search(r"version (\S+)", out.decode())
        memory = 0
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    memory = int(line.split()[1]) // 1024
        accel = None
        try:
            accel = await self._accelerator(self._image(None))
        except BackendError:  # no image to probe with yet
            accel = None if self.options.accel == "auto" else self.options.accel
        return HostInfo(
            hostname=platform.node(), cpus=os.cpu_count() or 1, memory_mib=memory,
            hypervisor="qemu", hypervisor_version=version.group(1) if version else "unknown",
            accelerator=accel,
        )  # fmt: skip

    # -- VM actions -------------------------------------------------------------------------

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Make a stopped VM (`created`): a copy-on-write overlay on its image's disk."""
        if spec.id in self._records or (self.vms_dir / spec.id).exists():
            raise BackendOperationFailedError(f"a VM with id {spec.id!r} already exists")
        image = self._image(spec.image)
        size = spec.disk_gib * GIB
        if size < image.disk_bytes or spec.memory_mib < image.min_memory_mib or spec.cpus < 1:
            raise BackendOperationFailedError(
                f"image {image.name} needs disk_gib >= {image.disk_bytes / GIB:g}, "
                f"memory_mib >= {image.min_memory_mib} and cpus >= 1",
                metadata={"image": image.name},
            )
        root = self.vms_dir / spec.id
        rec = VMRecord(
            id=spec.id, name=spec.name, cpus=spec.cpus, memory_mib=spec.memory_mib,
            disk_bytes=size, image=image.name, image_dir=str(image.root),
            sock_dir=str(socket_dir(root)),
        )  # fmt: skip
        ctx.log(f"creating VM {spec.name} from {image.name} ({image.digest})")
        root.mkdir(parents=True)
        try:
            await create_overlay(
                self.options.qemu_img, self._paths(rec).disk, image.file("disk"), size
            )
            self._save(rec)
        except BaseException as exc:
            self._remove_files(rec)
            raise self._error("create", rec, exc, ctx) from exc
        self._records[rec.id] = rec
        ctx.progress(1.0)
        return await self._observation(rec)

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Remove a stopped, suspended or failed VM, its snapshots and unshared layers."""
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            await self._require(rec, "delete", _OFF)
            machine = self._machine(rec)
            if machine is not None:
                await machine.power_off()
            del self._records[vm_id]
            self._remove_files(rec)
            self._machines.pop(vm_id, None)
        await self._collect_garbage()
        ctx.log(f"deleted VM {vm_id}")
        ctx.progress(1.0)

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Cold-boot (`booted`), or resume saved RAM of a suspended VM (`restored`)."""
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            if await self._require(rec, "start", _OFF) is P.SUSPENDED:
                return await self._resume_saved(rec, ctx)
            return await self._boot(rec, ctx)

    async def _boot(self, rec: VMRecord, ctx: OperationContext) -> Observation:
        epoch = self._epochs.get(rec.id, 0)
        spec = await self._spec(rec)
        if self.boot_queue.active >= self.boot_queue.limit:
            ctx.log(f"waiting for a boot slot ({self.boot_queue.limit} boots at a time)")
        async with self.boot_queue.slot():
            self._check_epoch(rec.id, epoch, "start")
            ctx.log(f"booting ({spec.accel}, {spec.cpus} vCPU, {spec.memory_mib} MiB)")
            ctx.progress(0.1)
            try:
                machine = await boot(
                    self.options.qemu, spec, self._paths(rec), self.options.boot_timeout
                )
            except _FAILURES as exc:
                self._set(rec, rec.power, "failed")
                raise self._error("start", rec, exc, ctx) from exc
        if self._epochs.get(rec.id, 0) != epoch:
            await machine.power_off()
            self._check_epoch(rec.id, epoch, "start")
        rec.boots += 1
        self._ready[rec.id] = True
        self._set(rec, P.RUNNING, "booted", machine=machine)
        ctx.progress(1.0)
        ctx.log("guest agent answered: ready")
        return await self._observation(rec)

    async def _resume_saved(self, rec: VMRecord, ctx: OperationContext) -> Observation:
        paths = self._paths(rec)
        ctx.log("restoring saved RAM")
        try:
            machine = await restore(
                self.options.qemu,
                await self._spec(rec),
                paths,
                paths.saved_ram,
                run=True,
                timeout=self.options.boot_timeout,
            )
        except _FAILURES as exc:
            raise self._error("resume", rec, exc, ctx) from exc
        paths.saved_ram.unlink(missing_ok=True)  # the guest has moved on: it is stale now
        self._ready[rec.id] = True
        self._set(rec, P.RUNNING, "restored", machine=machine)
        ctx.progress(1.0)
        return await self._observation(rec)

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Power off gracefully (`shutdown`); a guest that ignores it is killed or times out.

        Raises:
            BackendTimeoutError: The guest ignored the request for `timeout_seconds` and
                `force_after_timeout` is False; it is still running.
        """
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            await self._require(rec, "stop", _POWERED)
            machine = self._machine(rec)
            assert machine is not None
            ctx.log("asking the guest to power off")
            if await machine.graceful_stop(timeout_seconds):
                self._set(rec, P.STOPPED, "shutdown")
            elif not force_after_timeout:
                tail_lines = tail(self._paths(rec).serial_log).splitlines()[-10:]
                raise BackendTimeoutError(
                    f"the guest of VM {vm_id} did not shut down within {timeout_seconds}s",
                    metadata={"timeout_seconds": timeout_seconds, "console_tail": tail_lines},
                )
            else:
                ctx.log("powering off after the timeout", level="warning")
                await machine.power_off()
                self._set(rec, P.STOPPED, "destroyed")
            ctx.progress(1.0)
            return await self._observation(rec)

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Power off at once (`destroyed`), pre-empting other calls; a stopped VM stays as is."""
        rec = self._rec(vm_id)
        self._epochs[vm_id] = self._epochs.get(vm_id, 0) + 1
        machine = self._machine(rec)
        if machine is not None:
            await machine.power_off()  # before the lock: whatever holds it now fails
        async with self._lock(vm_id):
            await self._require(rec, "force_stop", _ANY)
            machine = self._machine(rec)
            if machine is not None:
                await machine.power_off()
            if rec.power is not P.STOPPED or rec.pid is not None:
                self._paths(rec).saved_ram.unlink(missing_ok=True)
                self._set(rec, P.STOPPED, "destroyed")
            ctx.progress(1.0)
            return await self._observation(rec)

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Power off (gracefully, then by force after `stop_timeout`) and cold-boot (`booted`)."""
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            await self._require(rec, "restart", {P.RUNNING})
            machine = self._machine(rec)
            assert machine is not None
            if not await machine.graceful_stop(self.options.stop_timeout):
                await machine.power_off()
            self._set(rec, P.STOPPED, "shutdown")
            return await self._boot(rec, ctx)

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Freeze the vCPUs (`paused`, reason `user`)."""
        return await self._vcpus(vm_id, ctx, "pause", "stop", P.RUNNING, P.PAUSED, "user")

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Run a paused (`unpaused`) or suspended (`restored`) VM again."""
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            if await self._require(rec, "resume", {P.PAUSED, P.SUSPENDED}) is P.SUSPENDED:
                return await self._resume_saved(rec, ctx)
        return await self._vcpus(vm_id, ctx, "resume", "cont", P.PAUSED, P.RUNNING, "unpaused")

    async def _vcpus(
        self,
        vm_id: str,
        ctx: OperationContext,
        action: str,
        command: str,
        before: PowerState,
        after: PowerState,
        reason: str,
    ) -> Observation:
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            await self._require(rec, action, {before})
            machine = self._machine(rec)
            assert machine is not None
            try:
                await (await machine.monitor()).execute(command)
            except MonitorError as exc:
                raise self._error(action, rec, exc, ctx) from exc
            self._set(rec, after, reason)
            ctx.progress(1.0)
            return await self._observation(rec)

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Save RAM to disk and end the process (`suspended`, reason `saved`)."""
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            await self._require(rec, "suspend", _POWERED)
            machine = self._machine(rec)
            assert machine is not None
            ctx.log("saving RAM to disk")
            try:
                await save_and_exit(machine, self._paths(rec).saved_ram, self.options.boot_timeout)
            except _FAILURES as exc:
                self._set(rec, P.PAUSED, rec.reason)
                raise self._error("suspend", rec, exc, ctx) from exc
            self._set(rec, P.SUSPENDED, "saved")
            ctx.progress(1.0)
            return await self._observation(rec)

    async def rename(self, vm_id: str, new_name: str) -> None:
        """Change the VM's name, in any state (QEMU knows it by id)."""
        rec = self._rec(vm_id)
        rec.name = new_name
        self._save(rec)

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Change CPUs and/or RAM of a stopped VM (None keeps the value)."""
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            await self._require(rec, "update_resources", {P.STOPPED})
            minimum = self._imported(rec).min_memory_mib
            if (cpus is not None and cpus < 1) or (memory_mib is not None and memory_mib < minimum):
                raise BackendOperationFailedError(
                    f"cannot give VM {vm_id} cpus={cpus}, memory_mib={memory_mib} "
                    f"(the image needs at least 1 CPU and {minimum} MiB)"
                )
            rec.cpus = rec.cpus if cpus is None else cpus
            rec.memory_mib = rec.memory_mib if memory_mib is None else memory_mib
            self._save(rec)

    async def observe(self, vm_id: str) -> Observation:
        """The VM's current truth: its process, QMP run state and guest agent."""
        rec = self._rec(vm_id)
        # while an action holds the VM, a vanished process is that action's to explain
        return await self._observation(rec, settle=not self._lock(vm_id).locked())

    async def list_vm_ids(self) -> list[str]:
        """Every VM id, oldest directory first."""
        return list(self._records)

    def machine_pid(self, vm_id: str) -> int | None:
        """The pid of the VM's QEMU process, if one runs (for tests and diagnostics)."""
        machine = self._machine(self._rec(vm_id))
        return machine.pid if machine is not None else None
