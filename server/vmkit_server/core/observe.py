"""Applying what the backend observes to a VM record, with the right events."""

from __future__ import annotations

from typing import Any

from ..backends.base import Observation
from ..store import Tx, VMRow
from .events import vm_event
from .states import VMState

__all__ = ["apply_failure", "apply_observation"]


def apply_observation(
    tx: Tx, vm_id: str, obs: Observation, *, event: str | None = None, **changes: Any
) -> VMRow | None:
    """Make the record say what the backend observed, and release the VM's operation.

    Args:
        tx: The transaction that also settles the operation.
        vm_id: The VM.
        obs: What the backend reports.
        event: An extra event to record after `vm.state_changed` (e.g. `vm.restarted`).
        **changes: Other columns to set in the same update.

    Returns:
        The updated row, or None if the VM is gone.
    """
    before = tx.get_vm(vm_id)
    if before is None:
        return None
    row = tx.update_vm(
        vm_id,
        state=str(obs.state),
        state_reason=obs.reason,
        ip_addresses=list(obs.ip_addresses),
        ready=obs.ready,
        extra=dict(obs.extra),
        operation_id=None,
        desired_state=None,
        **changes,
    )
    if row is None:
        return None
    if row.state != before.state:
        vm_event(tx, "vm.state_changed", row, previous_state=before.state)
    elif event is None:
        vm_event(tx, "vm.updated", row)
    if event is not None:
        vm_event(tx, event, row)
    return row


def apply_failure(
    tx: Tx, vm_id: str, problem: dict[str, Any], observed: Observation | None
) -> VMRow | None:
    """After a failed operation: the observed truth if the backend answered, else `error`."""
    if observed is not None:
        return apply_observation(tx, vm_id, observed)
    before = tx.get_vm(vm_id)
    if before is None:
        return None
    offline = problem.get("code") == "BACKEND_UNAVAILABLE"
    row = tx.update_vm(
        vm_id,
        state=str(VMState.UNKNOWN if offline else VMState.ERROR),
        state_reason="host_offline" if offline else "failed",
        ready=False,
        operation_id=None,
        desired_state=None,
    )
    if row is not None and row.state != before.state:
        vm_event(tx, "vm.state_changed", row, previous_state=before.state)
    return row
