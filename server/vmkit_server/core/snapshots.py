"""Snapshots: create, restore and delete them as operations; list and read them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..backends.base import Observation, SnapshotInfo
from ..store import OperationRow, SnapshotRow, Tx, VMRow
from . import errors
from .context import Services
from .events import snapshot_event
from .guards import check_if_match, load_vm, require_capability, require_idle, require_state
from .ids import new_id
from .lifecycle import begin_operation, observe_or_none
from .observe import apply_failure, apply_observation
from .paging import decode_page_token, page_of
from .runner import Job, RunContext
from .states import ACTIONS

__all__ = ["Snapshots"]

_RESTORED_SETTINGS = frozenset({"cpus", "memory_mib", "disk_gib"})


class Snapshots:
    """The snapshot service.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    def list(
        self, vm_ref: str, *, page_size: int, page_token: str | None
    ) -> tuple[Sequence[SnapshotRow], str | None]:
        """One page of a VM's snapshots, oldest first."""
        after = decode_page_token(page_token)
        with self._svc.store.read() as tx:
            vm = load_vm(tx, vm_ref)
            rows = tx.list_snapshots(vm.id, page_size=page_size, after=after)
        return page_of(rows, page_size)

    def get(self, vm_ref: str, ref: str) -> SnapshotRow:
        """The snapshot, or 404 (`VM_NOT_FOUND` / `SNAPSHOT_NOT_FOUND`)."""
        with self._svc.store.read() as tx:
            vm = load_vm(tx, vm_ref)
            return self._load(tx, vm, ref)

    @staticmethod
    def _load(tx: Tx, vm: VMRow, ref: str) -> SnapshotRow:
        row = tx.get_snapshot(vm.id, ref)
        if row is None:
            raise errors.not_found("snapshot", ref)
        return row

    def _begin(
        self,
        vm_ref: str,
        key: str,
        *,
        if_match: str | None,
        snapshot_ref: str | None,
        create_body: dict[str, Any] | None = None,
    ) -> tuple[OperationRow, VMRow, SnapshotRow]:
        svc = self._svc
        action = ACTIONS[key]
        require_capability(svc.backend, action.capability)
        with svc.store.tx() as tx:
            vm = load_vm(tx, vm_ref)
            if create_body is None:
                assert snapshot_ref is not None
                snap = self._load(tx, vm, snapshot_ref)
                check_if_match(snapshot_ref, snap.id, snap.generation, if_match)
                if key == "snapshot.restore" and snap.state != "ready":
                    raise errors.invalid_state(snap.name, "restore snapshot", snap.state, ["ready"])
            else:
                check_if_match(vm_ref, vm.id, vm.generation, if_match)
            require_idle(tx, vm)
            require_state(vm, action.name.replace("-", " "), action.allowed_from)
            if create_body is not None:
                if tx.get_snapshot(vm.id, create_body["name"]) is not None:
                    raise errors.already_exists("snapshot", create_body["name"])
                snap = tx.insert_snapshot(
                    id=new_id("snap"),
                    vm_id=vm.id,
                    name=create_body["name"],
                    description=create_body.get("description"),
                    includes_memory=False,
                    vm_state=vm.state,
                    vm_settings={
                        "cpus": vm.cpus,
                        "memory_mib": vm.memory_mib,
                        "disk_gib": vm.disk_gib,
                    },
                    size_bytes=None,
                    state="creating",
                )
            elif key == "snapshot.delete":
                updated = tx.update_snapshot(snap.id, state="deleting")
                if updated is not None:
                    snapshot_event(tx, "vm.snapshot.updated", updated)
                snap = updated or snap
            op, vm = begin_operation(
                svc,
                tx,
                vm,
                kind=action.kind,
                transitional=None,
                desired=None,
                target=("snapshot", snap.id, snap.name),
            )
        return op, vm, snap

    async def create(self, vm_ref: str, body: dict[str, Any]) -> OperationRow:
        """Snapshot a stopped, running or paused VM (with memory when it is running/paused)."""
        svc = self._svc
        op, vm, snap = self._begin(
            vm_ref, "snapshot.create", if_match=None, snapshot_ref=None, create_body=body
        )
        vm_id, snap_id = vm.id, snap.id

        async def run(ctx: RunContext) -> SnapshotInfo:
            return await svc.backend.snapshot_create(vm_id, snap_id, ctx)

        def settle(tx: Tx, info: SnapshotInfo) -> dict[str, Any]:
            tx.update_vm(vm_id, operation_id=None, desired_state=None)
            row = tx.update_snapshot(
                snap_id,
                state="ready",
                includes_memory=info.includes_memory,
                size_bytes=info.size_bytes,
            )
            if row is not None:
                snapshot_event(tx, "vm.snapshot.created", row)
            return {"snapshot_id": snap_id, "vm_id": vm_id}

        def settle_failure(tx: Tx, problem: dict[str, Any], obs: Observation | None) -> None:
            _mark_failed(tx, snap_id)
            apply_failure(tx, vm_id, problem, obs)

        svc.runner.submit(
            Job(op.id, run, settle, lambda: observe_or_none(svc, vm_id), settle_failure)
        )
        return op

    async def restore(self, vm_ref: str, ref: str, *, if_match: str | None) -> OperationRow:
        """Bring the VM back to a snapshot: running again for a memory snapshot, else stopped."""
        svc = self._svc
        op, vm, snap = self._begin(vm_ref, "snapshot.restore", if_match=if_match, snapshot_ref=ref)
        vm_id, snap_id = vm.id, snap.id
        # the VM's settings go back to what they were when the snapshot was taken
        settings = {k: v for k, v in snap.vm_settings.items() if k in _RESTORED_SETTINGS}

        async def run(ctx: RunContext) -> Observation:
            return await svc.backend.snapshot_restore(vm_id, snap_id, ctx)

        def settle(tx: Tx, obs: Observation) -> dict[str, Any]:
            row = apply_observation(tx, vm_id, obs, **settings)
            snap_row = tx.get_snapshot(vm_id, snap_id)
            if snap_row is not None:
                snapshot_event(tx, "vm.snapshot.restored", snap_row)
            return {"snapshot_id": snap_id, "vm_id": vm_id, "state": row.state if row else None}

        svc.runner.submit(
            Job(
                op.id,
                run,
                settle,
                lambda: observe_or_none(svc, vm_id),
                lambda tx, problem, obs: apply_failure(tx, vm_id, problem, obs),
            )
        )
        return op

    async def delete(self, vm_ref: str, ref: str, *, if_match: str | None) -> OperationRow:
        """Delete a snapshot."""
        svc = self._svc
        op, vm, snap = self._begin(vm_ref, "snapshot.delete", if_match=if_match, snapshot_ref=ref)
        vm_id, snap_id = vm.id, snap.id

        async def run(ctx: RunContext) -> None:
            await svc.backend.snapshot_delete(vm_id, snap_id, ctx)

        def settle(tx: Tx, _: None) -> dict[str, Any]:
            tx.update_vm(vm_id, operation_id=None, desired_state=None)
            row = tx.get_snapshot(vm_id, snap_id)
            if row is not None:
                tx.delete_snapshot(snap_id)
                snapshot_event(tx, "vm.snapshot.deleted", row)
            return {"snapshot_id": snap_id, "vm_id": vm_id, "deleted": True}

        def settle_failure(tx: Tx, problem: dict[str, Any], obs: Observation | None) -> None:
            _mark_failed(tx, snap_id)
            apply_failure(tx, vm_id, problem, obs)

        svc.runner.submit(
            Job(op.id, run, settle, lambda: observe_or_none(svc, vm_id), settle_failure)
        )
        return op


def _mark_failed(tx: Tx, snap_id: str) -> None:
    """A snapshot whose create or delete failed is in `error`: say so on the event stream."""
    row = tx.update_snapshot(snap_id, state="error")
    if row is not None:
        snapshot_event(tx, "vm.snapshot.updated", row)
