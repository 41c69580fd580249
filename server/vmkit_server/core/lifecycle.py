"""Lifecycle actions on an existing VM: start, stop, force-stop, restart, pause, resume, suspend."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..backends.base import BackendVMNotFoundError, Observation
from ..store import OperationRow, Tx, VMRow
from .context import Services
from .events import operation_event, vm_event
from .guards import check_if_match, load_vm, require_capability, require_idle, require_state
from .ids import new_id
from .observe import apply_failure, apply_observation
from .runner import Job, RunContext
from .states import ACTIONS, Action

__all__ = ["Lifecycle", "begin_operation"]

BackendCall = Callable[[RunContext], Awaitable[Observation]]


def begin_operation(
    svc: Services,
    tx: Tx,
    vm: VMRow,
    *,
    kind: str,
    transitional: str | None,
    desired: str | None,
    params: dict[str, Any] | None = None,
    target: tuple[str, str, str] | None = None,
) -> tuple[OperationRow, VMRow]:
    """Write a pending operation and mark the VM as driven by it, with their events.

    Args:
        svc: The services.
        tx: The open transaction.
        vm: The VM the operation drives.
        kind: The operation kind (`vm.start`).
        transitional: The state to show meanwhile (None keeps the current one).
        desired: The state the operation heads for.
        params: The operation's parameters, kept with it.
        target: (type, id, name) when the target is not the VM itself (a snapshot).
    """
    target_type, target_id, target_name = target or ("vm", vm.id, vm.name)
    op = tx.insert_operation(
        id=new_id("op"),
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        target_name=target_name,
        vm_id=vm.id,
        state="pending",
        params={"vm_id": vm.id, **(params or {})},
    )
    changes: dict[str, Any] = {"operation_id": op.id, "desired_state": desired}
    if transitional is not None and transitional != vm.state:
        changes["state"] = transitional
        changes["state_reason"] = None
    row = tx.update_vm(vm.id, **changes)
    assert row is not None
    operation_event(tx, "operation.created", op)
    if row.state != vm.state:
        vm_event(tx, "vm.state_changed", row, previous_state=vm.state)
    return op, row


async def observe_or_none(svc: Services, vm_id: str) -> Observation | None:
    """The backend's view of a VM, or None if it does not know the VM."""
    try:
        return await svc.backend.observe(vm_id)
    except BackendVMNotFoundError:
        return None


class Lifecycle:
    """Starts lifecycle operations on VMs.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    async def act(
        self, ref: str, key: str, *, if_match: str | None, params: dict[str, Any] | None = None
    ) -> OperationRow:
        """Start action `key` (`start`, `stop`, `force_stop`, ...) on a VM.

        Raises:
            ProblemError: 404, 409 (state or operation in progress), 412 or 501.
        """
        action = ACTIONS[key]
        svc = self._svc
        require_capability(svc.backend, action.capability)
        pre_empted = key == "force_stop" and await self._pre_empt(ref, action, if_match)
        with svc.store.tx() as tx:
            vm = load_vm(tx, ref)
            if not pre_empted:
                check_if_match(ref, vm.id, vm.generation, if_match)
            require_idle(tx, vm)
            if not pre_empted:
                require_state(vm, action.name, action.allowed_from)
            op, _ = begin_operation(
                svc,
                tx,
                vm,
                kind=action.kind,
                transitional=action.transitional,
                desired=action.desired,
                params=params,
            )
        svc.runner.submit(self._job(op, vm.id, action, params or {}))
        return op

    async def _pre_empt(self, ref: str, action: Action, if_match: str | None) -> bool:
        """Force-stop pre-empts whatever operation drives the VM: cancel it and let it settle.

        The request is checked (If-Match, state) against the VM as it was *before* the
        cancelled operation settles, so a refused force-stop cancels nothing.

        Returns:
            True if an operation was pre-empted (the VM's state is then whatever that
            operation left, and the force-stop proceeds from it).
        """
        with self._svc.store.read() as tx:
            vm = load_vm(tx, ref)
        check_if_match(ref, vm.id, vm.generation, if_match)
        require_state(vm, action.name, action.allowed_from)
        if vm.operation_id is None:
            return False
        await self._svc.runner.cancel_and_wait(
            vm.operation_id, "pre-empted by a force-stop of the VM"
        )
        return True

    def _job(self, op: OperationRow, vm_id: str, action: Action, params: dict[str, Any]) -> Job:
        backend = self._svc.backend
        calls: dict[str, BackendCall] = {
            "start": lambda ctx: backend.start(vm_id, ctx),
            "stop": lambda ctx: backend.stop(
                vm_id,
                ctx,
                timeout_seconds=float(params.get("timeout_seconds", 60)),
                force_after_timeout=bool(params.get("force_after_timeout", True)),
            ),
            "force_stop": lambda ctx: backend.force_stop(vm_id, ctx),
            "restart": lambda ctx: backend.restart(vm_id, ctx),
            "pause": lambda ctx: backend.pause(vm_id, ctx),
            "resume": lambda ctx: backend.resume(vm_id, ctx),
            "suspend": lambda ctx: backend.suspend(vm_id, ctx),
        }
        call = calls[action.capability]
        extra_event = "vm.restarted" if action.capability == "restart" else None

        def settle(tx: Tx, obs: Observation) -> dict[str, Any]:
            row = apply_observation(tx, vm_id, obs, event=extra_event)
            return {"vm_id": vm_id, "state": row.state if row else str(obs.state)}

        return Job(
            op_id=op.id,
            run=call,
            settle=settle,
            recover=lambda: observe_or_none(self._svc, vm_id),
            settle_failure=lambda tx, problem, obs: apply_failure(tx, vm_id, problem, obs),
        )
