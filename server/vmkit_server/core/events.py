"""Writing the durable event log, always inside the transaction that made the change."""

from __future__ import annotations

from typing import Any

from ..store import OperationRow, SnapshotRow, Tx, VMRow
from .views import operation_view, snapshot_view, vm_view

__all__ = ["operation_event", "snapshot_event", "vm_event"]


def vm_event(tx: Tx, type_: str, vm: VMRow, **extra: Any) -> None:
    """Record `vm.*` with the VM as it is now (its new ETag included)."""
    tx.append_event(
        type_, subject_type="vm", subject_id=vm.id, vm_id=vm.id, data={"vm": vm_view(vm), **extra}
    )


def snapshot_event(tx: Tx, type_: str, snapshot: SnapshotRow, **extra: Any) -> None:
    """Record `vm.snapshot.*` with the snapshot."""
    tx.append_event(
        type_,
        subject_type="snapshot",
        subject_id=snapshot.id,
        vm_id=snapshot.vm_id,
        data={"snapshot": snapshot_view(snapshot), **extra},
    )


def operation_event(tx: Tx, type_: str, op: OperationRow) -> None:
    """Record `operation.created|updated|finished` with the operation."""
    tx.append_event(
        type_,
        subject_type="operation",
        subject_id=op.id,
        vm_id=op.vm_id,
        data={"operation": operation_view(op)},
    )
