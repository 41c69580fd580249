"""The checks every mutating call makes before it changes anything."""

from __future__ import annotations

from collections.abc import Iterable

from .._etags import matches_strongly
from ..backends.base import Backend
from ..store import Tx, VMRow
from . import errors
from .views import etag_for

__all__ = [
    "check_if_match",
    "load_vm",
    "require_capability",
    "require_etag",
    "require_idle",
    "require_state",
]


def load_vm(tx: Tx, ref: str) -> VMRow:
    """The VM named or identified by `ref`, or 404 `VM_NOT_FOUND`."""
    row = tx.get_vm(ref)
    if row is None:
        raise errors.not_found("vm", ref)
    return row


def check_if_match(ref: str, resource_id: str, generation: int, if_match: str | None) -> None:
    """412 unless `If-Match` is absent, `*`, or names the current ETag."""
    if if_match is not None:
        require_etag(ref, etag_for(resource_id, generation), if_match)


def require_etag(ref: str, current: str, if_match: str | None) -> None:
    """412 `PRECONDITION_FAILED` unless `If-Match` is absent, `*`, or names `current`.

    The comparison is strong (RFC 9110 section 13.1.1): a weak tag never matches.
    """
    if if_match is not None and not matches_strongly(if_match, current):
        raise errors.precondition_failed(ref, current)


def require_capability(backend: Backend, capability: str) -> None:
    """501 `CAPABILITY_NOT_SUPPORTED` if the backend cannot do it."""
    if not backend.capabilities.supports(capability):
        raise errors.capability_not_supported(backend.name, capability)


def require_idle(tx: Tx, vm: VMRow) -> None:
    """409 `OPERATION_IN_PROGRESS` if an operation drives the VM."""
    if vm.operation_id is None:
        return
    op = tx.get_operation(vm.operation_id)
    raise errors.operation_in_progress(vm.name, vm.operation_id, op.kind if op else "unknown")


def require_state(vm: VMRow, action: str, allowed: Iterable[str]) -> None:
    """409 `VM_INVALID_STATE` (with `allowed_from`) unless the VM is in an allowed state."""
    allowed = set(allowed)
    if vm.state not in allowed:
        raise errors.invalid_state(vm.name, action, vm.state, allowed)
