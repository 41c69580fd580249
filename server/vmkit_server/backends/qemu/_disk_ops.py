"""Snapshots, clones and disk growth of the QEMU backend.

Disk snapshots and clones freeze the VM's top layer into a shared immutable layer (see
`_disks`); a memory snapshot also saves RAM next to it. A VM whose process runs is saved
and ended first, its disk frozen, and its process brought back from the saved RAM, so
QEMU never has a file open while it is renamed (about a second at 128 MiB).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from ..base import (
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    Observation,
    OperationContext,
    PowerState,
    SnapshotInfo,
    VMSpec,
)
from ..guest import ExecRequest, ExecTimeoutError
from ._agent import AgentError
from ._disks import DiskError, create_overlay, freeze, resize, virtual_size
from ._engine import QemuEngine
from ._exec import run_command
from ._machine import BootError, restore, save_and_exit
from ._process import LaunchError
from ._qmp import MonitorError
from ._state import SnapRecord, VMRecord, socket_dir

__all__ = ["DiskOps"]

P = PowerState
T = TypeVar("T")
_FAILURES = (LaunchError, BootError, MonitorError, DiskError, OSError)
GIB = 1 << 30


class DiskOps(QemuEngine):
    """The disk-related half of `QemuBackend`'s public API."""

    async def _frozen(
        self,
        rec: VMRecord,
        ctx: OperationContext,
        ram: Path | None,
        work: Callable[[], Awaitable[T]],
    ) -> T:
        """Run `work` (which freezes the disk) with no process holding the disk open.

        A running or paused VM's RAM is saved into `ram` (a temporary file when None),
        its process ended, and afterwards brought back from that RAM in the run state it
        had. On failure to bring it back the VM is left in error, reason `failed`.
        """
        machine = self._machine(rec)
        if machine is None:
            return await work()
        monitor = await machine.monitor()
        was_running = (await monitor.status()) == "running"
        saved = ram or self._paths(rec).root / "freeze.ram"
        ctx.log("saving RAM so the disk can be frozen")
        try:
            await save_and_exit(machine, saved, self.options.boot_timeout)
        except _FAILURES as exc:
            if was_running:
                with contextlib.suppress(MonitorError):
                    await monitor.execute("cont")
            raise self._error("snapshot", rec, exc, ctx) from exc
        self._set(rec, P.STOPPED, rec.reason)
        try:
            result = await work()
        finally:
            try:
                back = await restore(
                    self.options.qemu,
                    await self._spec(rec),
                    self._paths(rec),
                    saved,
                    run=was_running,
                    timeout=self.options.boot_timeout,
                )
            except _FAILURES as exc:
                self._set(rec, P.ERROR, "failed")
                raise self._error("snapshot", rec, exc, ctx) from exc
            finally:
                if ram is None:
                    saved.unlink(missing_ok=True)
            self._ready[rec.id] = was_running
            self._set(rec, P.RUNNING if was_running else P.PAUSED, rec.reason, machine=back)
        return result

    async def _freeze_disk(self, rec: VMRecord) -> Path:
        async with self._layers_lock:
            return await freeze(self.options.qemu_img, self._paths(rec).disk, self.layers_dir)

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """Snapshot the disk, plus RAM if the VM is running or paused (it stays so)."""
        rec = self._rec(vm_id)
        async with self._lock(vm_id):
            power = await self._require(rec, "snapshot_create", {P.STOPPED, P.RUNNING, P.PAUSED})
            if snapshot_id in rec.snapshots:
                raise BackendOperationFailedError(
                    f"VM {vm_id} already has a snapshot {snapshot_id!r}",
                    metadata={"vm_id": vm_id, "snapshot_id": snapshot_id},
                )
            memory = power is not P.STOPPED
            ram = self._paths(rec).snapshot_ram(snapshot_id) if memory else None
            ctx.log(f"taking snapshot {snapshot_id}" + (" with RAM" if memory else ""))
            try:
                layer = await self._frozen(rec, ctx, ram, lambda: self._freeze_disk(rec))
            except _FAILURES as exc:
                raise self._error("snapshot", rec, exc, ctx) from exc
            rec.snapshots[snapshot_id] = SnapRecord(
                layer=str(layer), includes_memory=memory, cpus=rec.cpus,
                memory_mib=rec.memory_mib, disk_bytes=virtual_size(layer),
            )  # fmt: skip
            self._save(rec)
            size = layer.stat().st_size + (ram.stat().st_size if ram is not None else 0)
            ctx.progress(1.0)
            return SnapshotInfo(includes_memory=memory, size_bytes=size)

    def _snapshot(self, rec: VMRecord, snapshot_id: str) -> SnapRecord:
        snap = rec.snapshots.get(snapshot_id)
        if snap is None:
            raise BackendSnapshotNotFoundError(
                f"VM {rec.id} has no snapshot {snapshot_id!r}",
                metadata={"vm_id": rec.id, "snapshot_id": snapshot_id},
            )
        return snap

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """Revert to a snapshot (`from_snapshot`): running for a memory snapshot, else stopped.

        On failure to start from saved RAM the disk is already reverted and the VM is
        stopped (reason `failed`).
        """
        rec = self._rec(vm_id)
        self._snapshot(rec, snapshot_id)
        async with self._lock(vm_id):
            await self._require(rec, "snapshot_restore", frozenset(P) - {P.UNKNOWN})
            snap = self._snapshot(rec, snapshot_id)
            paths = self._paths(rec)
            machine = self._machine(rec)
            if machine is not None:
                await machine.power_off()
            paths.saved_ram.unlink(missing_ok=True)
            self._set(rec, P.STOPPED, "from_snapshot")
            ctx.log(f"reverting the disk to snapshot {snapshot_id}")
            try:
                async with self._layers_lock:
                    paths.disk.unlink(missing_ok=True)
                    await create_overlay(
                        self.options.qemu_img, paths.disk, Path(snap.layer), snap.disk_bytes
                    )
            except _FAILURES as exc:
                self._set(rec, P.ERROR, "failed")
                raise self._error("snapshot_restore", rec, exc, ctx) from exc
            rec.cpus, rec.memory_mib, rec.disk_bytes = snap.cpus, snap.memory_mib, snap.disk_bytes
            if snap.includes_memory:
                ctx.log("restoring the snapshot's RAM")
                try:
                    back = await restore(
                        self.options.qemu,
                        await self._spec(rec),
                        paths,
                        paths.snapshot_ram(snapshot_id),
                        run=True,
                        timeout=self.options.boot_timeout,
                    )
                except _FAILURES as exc:
                    self._set(rec, P.STOPPED, "failed")
                    raise self._error("snapshot_restore", rec, exc, ctx) from exc
                self._ready[rec.id] = True
                self._set(rec, P.RUNNING, "from_snapshot", machine=back)
            else:
                self._save(rec)
            ctx.progress(1.0)
            return await self._observation(rec)

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """Delete a snapshot, in any state (its layer goes once nothing else uses it)."""
        rec = self._rec(vm_id)
        self._snapshot(rec, snapshot_id)
        async with self._lock(vm_id):
            self._snapshot(rec, snapshot_id)
            del rec.snapshots[snapshot_id]
            self._save(rec)
            self._paths(rec).snapshot_ram(snapshot_id).unlink(missing_ok=True)
        await self._collect_garbage()
        ctx.log(f"deleted snapshot {snapshot_id}")
        ctx.progress(1.0)

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """Make a stopped VM (`cloned`) sharing the source's disk copy-on-write.

        Constant time whatever the disk's size: the source's top layer is frozen and both
        VMs get a fresh overlay on it. A paused source is saved and brought back paused.
        """
        rec = self._rec(source_id)
        if target.id in self._records or (self.vms_dir / target.id).exists():
            raise BackendOperationFailedError(f"a VM with id {target.id!r} already exists")
        async with self._lock(source_id):
            await self._require(rec, "clone", {P.STOPPED, P.PAUSED, P.SUSPENDED})
            root = self.vms_dir / target.id
            new = VMRecord(
                id=target.id, name=target.name, cpus=target.cpus, memory_mib=target.memory_mib,
                disk_bytes=max(rec.disk_bytes, target.disk_gib * GIB), image=rec.image,
                image_dir=rec.image_dir, reason="cloned", sock_dir=str(socket_dir(root)),
            )  # fmt: skip

            async def work() -> None:
                layer = await self._freeze_disk(rec)
                root.mkdir(parents=True)
                async with self._layers_lock:
                    await create_overlay(
                        self.options.qemu_img, self._paths(new).disk, layer, new.disk_bytes
                    )
                self._save(new)

            ctx.log(f"cloning {source_id} into {target.name}")
            try:
                await self._frozen(rec, ctx, None, work)
            except _FAILURES as exc:
                shutil.rmtree(root, ignore_errors=True)
                raise self._error("clone", rec, exc, ctx) from exc
            self._records[new.id] = new
            ctx.progress(1.0)
            return await self._observation(new)

    async def resize_disk(self, vm_id: str, disk_gib: int, ctx: OperationContext) -> Observation:
        """Grow the VM's disk to `disk_gib` GiB: offline with qemu-img, online with QMP.

        A running guest also grows its filesystem (resize2fs through the guest agent,
        best effort). A suspended VM is refused: its saved RAM knows the old size.

        Raises:
            BackendOperationFailedError: Shrinking, a suspended VM, or the resize failed.
        """
        rec = self._rec(vm_id)
        size = disk_gib * GIB
        async with self._lock(vm_id):
            power = await self._require(
                rec, "resize_disk", {P.STOPPED, P.ERROR, P.RUNNING, P.PAUSED}
            )
            if size < rec.disk_bytes:
                raise BackendOperationFailedError(
                    f"disks only grow: VM {vm_id} has {rec.disk_bytes / GIB:g} GiB",
                    metadata={"disk_bytes": rec.disk_bytes, "requested_bytes": size},
                )
            machine = self._machine(rec)
            try:
                if machine is None:
                    await resize(self.options.qemu_img, self._paths(rec).disk, size)
                else:
                    await (await machine.monitor()).execute(
                        "block_resize", {"device": "d0", "size": size}
                    )
                    if power is P.RUNNING:
                        with contextlib.suppress(AgentError, ExecTimeoutError):
                            grow = ExecRequest(["resize2fs", "/dev/vda"], timeout_seconds=60)
                            await run_command(machine.agent, grow)
            except _FAILURES as exc:
                raise self._error("resize_disk", rec, exc, ctx) from exc
            rec.disk_bytes = size
            self._save(rec)
            ctx.progress(1.0)
            return await self._observation(rec)
