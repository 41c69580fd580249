"""The QEMU backend's machinery: records, locks, liveness, observations, errors.

`QemuBackend` (the public API) builds on this; nothing here is called from outside.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendVMNotFoundError,
    Observation,
    OperationContext,
    PowerState,
)
from ..guest import ImageNotFoundError
from ._accel import choose_accelerator
from ._agent import AgentError
from ._boot_queue import BootQueue
from ._console import trim
from ._disks import DiskError, collect_garbage
from ._image import (
    DEFAULT_IMAGE,
    Image,
    ImageError,
    default_images_dir,
    find_imported,
    import_image,
    locate_image,
)
from ._machine import BootError, Machine, powered_off_by_guest
from ._options import QemuOptions
from ._process import LaunchError, MachineSpec, tail
from ._qmp import FAILED_STATES, PAUSED_STATES, MonitorError
from ._state import VMPaths, VMRecord, load_record, save_record

__all__ = ["QemuEngine"]

P = PowerState
GIB = 1 << 30


class QemuEngine:
    """State and helpers shared by every action of `QemuBackend`.

    Args:
        state_dir: The backend's directory.
        options: Its options.
    """

    def __init__(self, state_dir: Path, options: QemuOptions) -> None:
        self.state_dir = state_dir.absolute()
        self.options = options
        self.boot_queue = BootQueue(options.boot_concurrency)
        self._records: dict[str, VMRecord] = {}
        self._machines: dict[str, Machine] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._ready: dict[str, bool] = {}
        # bumped by every force_stop: work that began under an older epoch lost the VM
        self._epochs: dict[str, int] = {}
        self._layers_lock = asyncio.Lock()
        self._accel: str | None = None

    # -- places -------------------------------------------------------------------------

    @property
    def layers_dir(self) -> Path:
        """Frozen disk layers shared by clones and snapshots."""
        return self.state_dir / "layers"

    @property
    def vms_dir(self) -> Path:
        """One directory per VM."""
        return self.state_dir / "vms"

    def _paths(self, rec: VMRecord) -> VMPaths:
        return VMPaths(self.vms_dir / rec.id, Path(rec.sock_dir))

    # -- records ------------------------------------------------------------------------

    def _load_all(self) -> None:
        self._records.clear()
        for path in sorted(self.vms_dir.glob("*/vm.json")) if self.vms_dir.is_dir() else []:
            try:
                rec = load_record(path)
            except (OSError, ValueError):
                continue  # a half-written create: not a VM yet
            self._records[rec.id] = rec

    def _rec(self, vm_id: str) -> VMRecord:
        rec = self._records.get(vm_id)
        if rec is None:
            raise BackendVMNotFoundError(
                f"the qemu backend has no VM {vm_id!r}", metadata={"vm_id": vm_id}
            )
        return rec

    def _save(self, rec: VMRecord) -> None:
        save_record(self._paths(rec).record, rec)

    def _lock(self, vm_id: str) -> asyncio.Lock:
        return self._locks.setdefault(vm_id, asyncio.Lock())

    def _set(
        self,
        rec: VMRecord,
        power: PowerState,
        reason: str | None,
        *,
        machine: Machine | None = None,
    ) -> None:
        """Record a new power state (and the process that now runs, if any)."""
        rec.power, rec.reason = power, reason
        if machine is not None:
            self._machines[rec.id] = machine
            rec.pid, rec.accel, rec.log_mark = machine.pid, machine.accel, machine.log_mark
        elif power in (P.STOPPED, P.SUSPENDED, P.ERROR):
            rec.pid = None
            self._machines.pop(rec.id, None)
            self._ready[rec.id] = False
        self._save(rec)

    # -- liveness -----------------------------------------------------------------------

    def _machine(self, rec: VMRecord) -> Machine | None:
        """The live process of `rec`, re-adopted from its pid if this backend did not start it."""
        if rec.pid is None:
            return None
        machine = self._machines.get(rec.id)
        if machine is None or machine.pid != rec.pid:
            machine = Machine(rec.id, self._paths(rec), rec.pid, rec.accel, rec.log_mark)
            self._machines[rec.id] = machine
        return machine if machine.alive() else None

    def _settle_dead(self, rec: VMRecord) -> None:
        """A process we expected is gone: the guest powered off, or it crashed or was killed."""
        if rec.pid is None or self._machine(rec) is not None:
            return
        gone = self._machines.pop(rec.id, None)
        if gone is not None:
            asyncio.get_running_loop().create_task(gone.close())
        if powered_off_by_guest(self._paths(rec), rec.log_mark):
            self._set(rec, P.STOPPED, "shutdown")
        else:
            self._set(rec, P.ERROR, "crashed")

    async def _power(self, rec: VMRecord, *, settle: bool = True) -> PowerState:
        """What the VM is now (settling a dead process first, unless told not to)."""
        if settle:
            self._settle_dead(rec)
        machine = self._machine(rec)
        if machine is None:
            return rec.power
        try:
            status = await (await machine.monitor()).status()
        except MonitorError:
            return rec.power if rec.power in (P.RUNNING, P.PAUSED) else P.UNKNOWN
        if status == "running":
            return P.RUNNING
        if status in FAILED_STATES:
            return P.ERROR
        return P.PAUSED if status in PAUSED_STATES else P.UNKNOWN

    async def _require(
        self, rec: VMRecord, action: str, allowed: Collection[PowerState]
    ) -> PowerState:
        power = await self._power(rec)
        if power not in allowed:
            raise BackendOperationFailedError(
                f"the hypervisor refuses to {action} VM {rec.id}: it is {power}",
                metadata={
                    "action": action,
                    "state": str(power),
                    "allowed_from": sorted(str(s) for s in allowed),
                },
            )
        return power

    def _check_epoch(self, vm_id: str, epoch: int, action: str) -> None:
        if self._epochs.get(vm_id, 0) != epoch:
            raise BackendOperationFailedError(
                f"{action} of VM {vm_id} was pre-empted by a force-stop",
                metadata={"action": action, "vm_id": vm_id, "preempted_by": "force_stop"},
            )

    async def _observation(self, rec: VMRecord, *, settle: bool = True) -> Observation:
        power = await self._power(rec, settle=settle)
        if rec.pid is not None:
            trim(self._paths(rec))  # the guest may print forever: keep its log bounded
        if power is P.RUNNING:
            machine = self._machine(rec)
            if machine is not None and not machine.agent.busy:
                try:
                    rec.ip_addresses = await machine.agent.addresses(timeout=2.0)
                    self._ready[rec.id] = True
                except AgentError:
                    self._ready[rec.id] = False
        powered = power in (P.RUNNING, P.PAUSED)
        reason = rec.reason if power is rec.power else None
        return Observation(
            state=power,
            reason=reason,
            ip_addresses=tuple(rec.ip_addresses) if powered else (),
            ready=power is P.RUNNING and self._ready.get(rec.id, False),
            extra=self._extra(rec),
        )

    def _extra(self, rec: VMRecord) -> dict[str, Any]:
        paths = self._paths(rec)
        return {
            "accelerator": rec.accel,
            "pid": rec.pid,
            "boots": rec.boots,
            "snapshots": len(rec.snapshots),
            "image": rec.image,
            "disk_bytes": rec.disk_bytes,
            "serial_log": str(paths.serial_log),
            "serial_socket": str(paths.serial),
        }

    # -- machines, images, accelerator --------------------------------------------------

    async def _accelerator(self, image: Image) -> str:
        if self._accel is None:
            cache = self.images_dir.parent
            self._accel = await choose_accelerator(
                self.options.accel, self.options.qemu, image.file("kernel"), cache
            )
        return self._accel

    @property
    def images_dir(self) -> Path:
        """Where built images are found (`images_dir` option, else the user's cache)."""
        return self.options.images_dir or default_images_dir()

    def _image(self, name: str | None) -> Image:
        name = name or DEFAULT_IMAGE
        try:
            built = locate_image(self.images_dir, name)
        except ImageError as exc:
            raise ImageNotFoundError(str(exc), metadata={"image": name}) from exc
        try:
            return import_image(built, self.state_dir / "images")
        except ImageError as exc:
            raise BackendOperationFailedError(str(exc), metadata={"image": name}) from exc

    def _imported(self, rec: VMRecord) -> Image:
        digest = Path(rec.image_dir).name
        try:
            return find_imported(self.state_dir / "images", rec.image, digest)
        except ImageError as exc:
            raise BackendOperationFailedError(str(exc), metadata={"image": rec.image}) from exc

    async def _spec(self, rec: VMRecord) -> MachineSpec:
        image = self._imported(rec)
        return MachineSpec(
            name=rec.id,
            cpus=rec.cpus,
            memory_mib=rec.memory_mib,
            accel=await self._accelerator(image),
            kernel=image.file("kernel"),
            initramfs=image.file("initramfs"),
            cmdline=image.cmdline,
        )

    async def _collect_garbage(self) -> None:
        async with self._layers_lock:
            roots = [self._paths(r).disk for r in self._records.values()]
            roots += [Path(s.layer) for r in self._records.values() for s in r.snapshots.values()]
            collect_garbage(self.layers_dir, roots)

    def _remove_files(self, rec: VMRecord) -> None:
        paths = self._paths(rec)
        shutil.rmtree(paths.root, ignore_errors=True)
        if paths.sock_dir != paths.root:
            shutil.rmtree(paths.sock_dir, ignore_errors=True)

    # -- errors -------------------------------------------------------------------------

    def _error(
        self, action: str, rec: VMRecord, exc: BaseException, ctx: OperationContext
    ) -> BackendError:
        """One BackendError with the evidence a person needs (console and QEMU log tails)."""
        if isinstance(exc, BackendError):
            return exc
        paths = self._paths(rec)
        metadata: dict[str, Any] = {
            "action": action,
            "vm_id": rec.id,
            "console_tail": tail(paths.serial_log).splitlines()[-10:],
            "qemu_log_tail": tail(paths.qemu_log).splitlines()[-10:],
        }
        if isinstance(exc, LaunchError):
            metadata.update(exitcode=exc.exitcode, command=exc.command)
        if isinstance(exc, DiskError) and exc.command:
            metadata["command"] = exc.command
        detail = f"{action} of VM {rec.id} failed: {exc}"
        ctx.log(detail, level="error")
        if isinstance(exc, BootError) and exc.timed_out:
            return BackendTimeoutError(detail, metadata=metadata)
        return BackendOperationFailedError(detail, metadata=metadata)
