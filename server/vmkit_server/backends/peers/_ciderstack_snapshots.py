"""The CiderStack adapter's snapshots: disk only, named after the vmkit snapshot id.

`CreateSnapshot` takes the snapshot's name; vmkit uses its snapshot id, and finds
CiderStack's own id by that name in `ListSnapshots` to restore or delete it. CiderStack
restores stopped VMs only, so a restore stops the VM first.
"""

from __future__ import annotations

from vmkit.peers.ciderstack.api.snapshots import (
    create_snapshot,
    delete_snapshot,
    list_snapshots,
    restore_snapshot,
)
from vmkit.peers.ciderstack.models import (
    CreateSnapshotRequest,
    CreateSnapshotResult,
    DeleteSnapshotRequest,
    ListSnapshotsRequest,
    ListSnapshotsResult,
    MutationResult,
    RestoreSnapshotRequest,
    Snapshot,
)
from vmkit.peers.ciderstack.types import Unset

from ..base import BackendSnapshotNotFoundError, Observation, OperationContext, SnapshotInfo
from ._ciderstack_actions import CiderStackActions

__all__ = ["CiderStackSnapshots"]


class CiderStackSnapshots(CiderStackActions):
    """Snapshot create, restore and delete (mixed into `CiderStackBackend`)."""

    async def _snapshot(self, handle: str, snapshot_id: str) -> Snapshot:
        answer = await self.rpc.call(
            "ListSnapshots", list_snapshots, ListSnapshotsRequest(vm_id=handle), ListSnapshotsResult
        )
        for snap in [] if isinstance(answer.snapshots, Unset) else answer.snapshots:
            if snap.name == snapshot_id:
                return snap
        raise BackendSnapshotNotFoundError(
            f"CiderStack VM {handle} has no snapshot {snapshot_id!r}"
        )

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """`CreateSnapshot` named after the vmkit snapshot id: the disk only."""
        handle = self.handles.require(vm_id)
        ctx.log(f"taking CiderStack snapshot {snapshot_id} of {handle}")
        answer = await self.rpc.call(
            "CreateSnapshot",
            create_snapshot,
            CreateSnapshotRequest(
                vm_id=handle, name=snapshot_id, description=f"vmkit snapshot {snapshot_id}"
            ),
            CreateSnapshotResult,
        )
        size = None if isinstance(answer.snapshot, Unset) else answer.snapshot.size_bytes
        ctx.progress(1.0)
        return SnapshotInfo(
            includes_memory=False, size_bytes=size if isinstance(size, int) else None
        )

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """`RestoreSnapshot`, stopping the VM first (CiderStack restores stopped VMs only)."""
        handle, since = self.handles.require(vm_id), self.epochs[vm_id]
        snap = await self._snapshot(handle, snapshot_id)
        if (await self.find(handle)).state != "stopped":
            ctx.log("CiderStack restores stopped VMs only: stopping the VM first")
            await self.power_off(vm_id, ctx, timeout=self.state_timeout, since=since)
        await self.rpc.call(
            "RestoreSnapshot",
            restore_snapshot,
            RestoreSnapshotRequest(vm_id=handle, snapshot_id=snap.id),
            MutationResult,
        )
        ctx.log(f"restored CiderStack snapshot {snapshot_id}")
        ctx.progress(1.0)
        return self.observed(vm_id, await self.find(handle), "from_snapshot")

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """`DeleteSnapshot`."""
        handle = self.handles.require(vm_id)
        snap = await self._snapshot(handle, snapshot_id)
        await self.rpc.call(
            "DeleteSnapshot",
            delete_snapshot,
            DeleteSnapshotRequest(vm_id=handle, snapshot_id=snap.id),
            MutationResult,
        )
        ctx.progress(1.0)
