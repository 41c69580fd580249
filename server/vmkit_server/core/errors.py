"""The domain's problems: every rule the core enforces fails with one of these stable codes."""

from __future__ import annotations

from collections.abc import Iterable

from ..problems import ProblemError

__all__ = [
    "already_exists",
    "capability_not_supported",
    "invalid_state",
    "not_found",
    "operation_finished",
    "operation_in_progress",
    "precondition_failed",
]


_SHOWN = {"vm": "VM"}


def not_found(kind: str, ref: str) -> ProblemError:
    """404 `<KIND>_NOT_FOUND` for a VM, snapshot, operation or host that does not exist."""
    return ProblemError(
        404, f"{kind.upper()}_NOT_FOUND", f"no {_SHOWN.get(kind, kind)} named {ref!r}"
    )


def already_exists(kind: str, name: str) -> ProblemError:
    """409 `<KIND>_ALREADY_EXISTS`: the name is taken."""
    return ProblemError(
        409,
        f"{kind.upper()}_ALREADY_EXISTS",
        f"a {_SHOWN.get(kind, kind)} named {name!r} already exists",
    )


def invalid_state(
    vm_name: str, action: str, state: str, allowed_from: Iterable[str]
) -> ProblemError:
    """409 `VM_INVALID_STATE` with the current state and the states the action needs."""
    allowed = sorted(allowed_from)
    return ProblemError(
        409,
        "VM_INVALID_STATE",
        f"cannot {action} VM {vm_name!r} while it is {state} (allowed from: {', '.join(allowed)})",
        metadata={"state": state, "allowed_from": allowed, "action": action},
    )


def operation_in_progress(vm_name: str, operation_id: str, kind: str) -> ProblemError:
    """409 `OPERATION_IN_PROGRESS`: another operation drives the VM."""
    return ProblemError(
        409,
        "OPERATION_IN_PROGRESS",
        f"VM {vm_name!r} is busy with operation {operation_id} ({kind}); wait for it or force-stop",
        metadata={"operation": operation_id, "kind": kind},
    )


def operation_finished(operation_id: str, state: str) -> ProblemError:
    """409 `OPERATION_FINISHED`: a finished operation cannot be cancelled."""
    return ProblemError(
        409,
        "OPERATION_FINISHED",
        f"operation {operation_id} already finished ({state})",
        metadata={"state": state},
    )


def precondition_failed(ref: str, current_etag: str) -> ProblemError:
    """412 `PRECONDITION_FAILED`: If-Match does not name the current version."""
    return ProblemError(
        412,
        "PRECONDITION_FAILED",
        f"{ref} has changed: If-Match does not match its current ETag",
        metadata={"etag": current_etag},
    )


def capability_not_supported(backend: str, capability: str) -> ProblemError:
    """501 `CAPABILITY_NOT_SUPPORTED` naming the backend."""
    return ProblemError(
        501,
        "CAPABILITY_NOT_SUPPORTED",
        f"the {backend!r} backend does not support {capability}",
        metadata={"backend": backend, "capability": capability},
    )
