"""Fault injection for the simulated backend: failures, hangs, a lost host."""

from __future__ import annotations

from dataclasses import dataclass, field

import anyio

__all__ = ["FAULTABLE_ACTIONS", "Faults", "check_action"]

#: Actions that `fail_next` and `hang` accept (the mutating backend methods).
FAULTABLE_ACTIONS = frozenset(
    {
        "create",
        "delete",
        "resize_disk",
        "start",
        "stop",
        "force_stop",
        "restart",
        "pause",
        "resume",
        "suspend",
        "snapshot_create",
        "snapshot_restore",
        "snapshot_delete",
        "clone",
        "rename",
        "update_resources",
    }
)


def check_action(action: str) -> str:
    """`action` if faults can be injected into it.

    Raises:
        ValueError: It is not one of `FAULTABLE_ACTIONS` (the message lists them).
    """
    if action not in FAULTABLE_ACTIONS:
        known = ", ".join(sorted(FAULTABLE_ACTIONS))
        raise ValueError(f"unknown simulated action {action!r}; known actions: {known}")
    return action


@dataclass(eq=False)
class _Waiter:
    """One call blocked by a hang."""

    action: str
    vm_id: str
    event: anyio.Event
    preempted: bool = False


@dataclass
class Faults:
    """The faults armed on one simulated backend.

    Attributes:
        failures: Action -> detail of the failure its next call raises.
        hung: Actions whose calls block until released.
        available: False while the simulated host is lost.
        ignoring_shutdown: VMs whose guest ignores graceful shutdown requests.
    """

    failures: dict[str, str] = field(default_factory=dict)
    hung: set[str] = field(default_factory=set)
    available: bool = True
    ignoring_shutdown: set[str] = field(default_factory=set)
    _waiters: list[_Waiter] = field(default_factory=list)

    def take_failure(self, action: str) -> str | None:
        """The detail of an armed failure of `action`, disarming it; None if none is armed."""
        return self.failures.pop(action, None)

    def release(self, action: str) -> None:
        """Stop hanging `action` and let every blocked call of it continue."""
        self.hung.discard(action)
        for waiter in self._waiters:
            if waiter.action == action:
                waiter.event.set()

    def preempt(self, vm_id: str) -> None:
        """Wake every call blocked on `vm_id`, telling it that it was pre-empted."""
        for waiter in self._waiters:
            if waiter.vm_id == vm_id:
                waiter.preempted = True
                waiter.event.set()

    def blocked(self, action: str | None = None) -> int:
        """How many calls (of `action`, or of any action) are blocked right now."""
        return sum(1 for w in self._waiters if action is None or w.action == action)

    async def wait_if_hung(self, action: str, vm_id: str) -> bool:
        """Block while `action` hangs.

        Args:
            action: The call's action.
            vm_id: The VM it acts on.

        Returns:
            True if a force-stop of the VM pre-empted the call, False if it may go on.
        """
        if action not in self.hung:
            return False
        waiter = _Waiter(action, vm_id, anyio.Event())
        self._waiters.append(waiter)
        try:
            await waiter.event.wait()
        finally:
            self._waiters.remove(waiter)
        return waiter.preempted
