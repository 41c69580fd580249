"""The VM state machine of design §2: states, and which action may start from which state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ACTIONS", "FORCE_DELETE_EXTRA", "PATCHABLE", "TRANSITIONAL", "Action", "VMState"]


class VMState(StrEnum):
    """Every state a VM record can be in."""

    CREATING = "creating"  #: being provisioned by its create operation
    STOPPED = "stopped"  #: powered off; disk kept
    STARTING = "starting"  #: booting (or resuming, restoring, restarting)
    RUNNING = "running"  #: powered on
    STOPPING = "stopping"  #: shutting down (or saving its RAM to disk)
    PAUSED = "paused"  #: vCPUs frozen, RAM in memory
    SUSPENDED = "suspended"  #: RAM saved to disk, no process
    MIGRATING = "migrating"  #: moving between hosts (not used by the reference server yet)
    DELETING = "deleting"  #: being removed by its delete operation
    ERROR = "error"  #: the backend reported a failure; see state_reason
    UNKNOWN = "unknown"  #: the backend could not be asked


TRANSITIONAL = frozenset(
    {VMState.CREATING, VMState.STARTING, VMState.STOPPING, VMState.MIGRATING, VMState.DELETING}
)

S = VMState


@dataclass(frozen=True)
class Action:
    """One action on a VM: where it may start, what the VM shows meanwhile, where it heads.

    Attributes:
        name: The action's name as used in paths (`force-stop`) and capabilities (`force_stop`).
        kind: The operation kind recorded for it.
        allowed_from: States the action may start from.
        transitional: State shown while the operation runs (None keeps the current state).
        desired: The state the operation drives the VM to.
        capability: The backend capability it needs.
    """

    name: str
    kind: str
    allowed_from: frozenset[VMState]
    transitional: VMState | None
    desired: VMState | None
    capability: str


def _action(
    name: str,
    allowed: set[VMState],
    transitional: VMState | None,
    desired: VMState | None,
    *,
    kind: str | None = None,
    capability: str | None = None,
) -> Action:
    cap = capability or name.replace("-", "_")
    return Action(name, kind or f"vm.{cap}", frozenset(allowed), transitional, desired, cap)


ACTIONS: dict[str, Action] = {
    a.capability if a.kind.startswith("vm.") else a.kind: a
    for a in (
        _action("start", {S.STOPPED, S.SUSPENDED, S.ERROR}, S.STARTING, S.RUNNING),
        _action("stop", {S.RUNNING}, S.STOPPING, S.STOPPED),
        _action(
            "force-stop",
            {S.STARTING, S.RUNNING, S.STOPPING, S.PAUSED, S.SUSPENDED, S.ERROR, S.UNKNOWN},
            S.STOPPING,
            S.STOPPED,
        ),
        _action("restart", {S.RUNNING}, S.STARTING, S.RUNNING),
        _action("pause", {S.RUNNING}, None, S.PAUSED),
        _action("resume", {S.PAUSED, S.SUSPENDED}, S.STARTING, S.RUNNING),
        _action("suspend", {S.RUNNING, S.PAUSED}, S.STOPPING, S.SUSPENDED),
        _action("clone", {S.STOPPED, S.PAUSED, S.SUSPENDED}, None, None),
        _action("delete", {S.STOPPED, S.SUSPENDED, S.ERROR}, S.DELETING, None),
        _action("resize-disk", {S.STOPPED, S.RUNNING}, None, None),
        _action("exec", {S.RUNNING}, None, None),
        _action(
            "snapshot-create",
            {S.STOPPED, S.RUNNING, S.PAUSED},
            None,
            None,
            kind="snapshot.create",
            capability="snapshots",
        ),
        _action(
            "snapshot-restore",
            {S.STOPPED, S.RUNNING, S.PAUSED, S.SUSPENDED, S.ERROR},
            None,
            None,
            kind="snapshot.restore",
            capability="snapshots",
        ),
        _action(
            "snapshot-delete",
            {S.STOPPED, S.RUNNING, S.PAUSED, S.SUSPENDED, S.ERROR, S.UNKNOWN},
            None,
            None,
            kind="snapshot.delete",
            capability="snapshots",
        ),
    )
}
"""Actions by key: `start`, `force_stop`, ..., `delete`, and `snapshot.create|restore|delete`."""

#: States from which a forced delete (`?force=true`) may also start: it powers the VM off first.
FORCE_DELETE_EXTRA = frozenset({S.RUNNING, S.PAUSED, S.STARTING, S.STOPPING})
#: States in which settings may change (cpus/memory additionally need `stopped`).
PATCHABLE = frozenset(set(VMState) - TRANSITIONAL)
