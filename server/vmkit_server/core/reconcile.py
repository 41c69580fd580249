"""Keeping records true: recovery after a restart, periodic reconciliation, the TTL reaper."""

from __future__ import annotations

import asyncio
import logging

from ..backends.base import BackendError, Observation
from ..problems import ProblemError
from ..store import Tx, VMRow
from .adoption import Adoption
from .context import Services
from .events import operation_event, snapshot_event, vm_event
from .lifecycle import observe_or_none
from .observe import apply_observation
from .provisioning import Provisioning
from .states import TRANSITIONAL, VMState

__all__ = ["Reconciler"]

log = logging.getLogger("vmkit_server.reconcile")
# A pass over a large fleet gives other requests a turn of the event loop this often.
_YIELD_EVERY = 50

SERVER_RESTARTED = {
    "type": "urn:vmkit:problem:server-restarted",
    "title": "Server restarted",
    "status": 503,
    "code": "SERVER_RESTARTED",
    "detail": (
        "the server stopped while this operation was running; the VM's state was re-read "
        "from the backend, so check it and retry the action if needed"
    ),
}


class Reconciler:
    """Makes VM records match the backend, and deletes VMs whose TTL has passed.

    Args:
        svc: The shared services.
        provisioning: Used by the reaper to delete expired VMs.
    """

    def __init__(self, svc: Services, provisioning: Provisioning) -> None:
        self._svc = svc
        self._provisioning = provisioning
        self._adoption = Adoption(svc)

    async def recover(self) -> None:
        """At start: end every operation a previous process left unfinished, then reconcile.

        Operations cannot be resumed across processes (their backend call is gone), so they
        fail with `SERVER_RESTARTED`; each VM they drove is set to what the backend observes.
        """
        svc = self._svc
        with svc.store.tx() as tx:
            for op in tx.unfinished_operations():
                row = tx.update_operation(
                    op.id, state="failed", error=SERVER_RESTARTED, finished_at=svc.clock()
                )
                if row is not None:
                    operation_event(tx, "operation.finished", row)
                if op.target_type == "snapshot" and op.vm_id is not None:
                    # the backend may or may not have finished: say so rather than guess
                    snap = tx.update_snapshot(op.target_id, state="error")
                    if snap is not None:
                        snapshot_event(tx, "vm.snapshot.updated", snap)
        with svc.store.read() as tx:
            vms = tx.all_vms()
        for vm in vms:
            await self._reconcile_vm(vm, after_restart=True)
        await self._adoption.run()

    async def tick(self) -> None:
        """One reconciliation pass over every idle VM, adoption of VMs made outside vmkit,
        then one reaper pass."""
        with self._svc.store.read() as tx:
            vms = tx.all_vms()
        for n, vm in enumerate(vms, 1):
            if vm.operation_id is None:
                await self._reconcile_vm(vm, after_restart=False)
            if n % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
        await self._adoption.run()
        await self.reap()

    async def reconcile_one(self, vm_id: str) -> None:
        """Re-observe one idle VM now (a backend reported it changed); busy VMs are left to
        their operation, unknown ids are ignored."""
        vm = self._svc.store.get_vm(vm_id)
        if vm is not None and vm.operation_id is None:
            await self._reconcile_vm(vm, after_restart=False)

    async def reap(self) -> None:
        """Delete every idle VM whose `expires_at` has passed (reason `expired`)."""
        svc = self._svc
        with svc.store.read() as tx:
            expired = tx.list_expired_vms(svc.clock())
        for vm in expired:
            if vm.operation_id is not None or vm.state in TRANSITIONAL:
                continue
            try:
                await self._provisioning.delete(vm.id, force=True, if_match=None, reason="expired")
                log.info("VM %s expired; deleting it", vm.name)
            except ProblemError as exc:
                log.info("could not reap VM %s yet: %s", vm.name, exc)

    async def _reconcile_vm(self, vm: VMRow, *, after_restart: bool) -> None:
        svc = self._svc
        try:
            obs = await observe_or_none(svc, vm.id)
        except BackendError as exc:
            log.info("cannot observe VM %s: %s", vm.name, exc)
            return
        # A periodic pass compares with the row it listed (the write below reads it again); at
        # start, with the record recovery may just have changed.
        known = svc.store.get_vm(vm.id) if after_restart else vm
        if not self._needs_change(known, obs, after_restart=after_restart):
            return  # the common case: nothing to write, so no write transaction either
        with svc.store.tx() as tx:
            current = tx.get_vm(vm.id)
            if not self._needs_change(current, obs, after_restart=after_restart):
                return
            assert current is not None
            if obs is None:
                self._settle_missing(tx, current)
            else:
                apply_observation(tx, vm.id, obs)

    @classmethod
    def _needs_change(
        cls, current: VMRow | None, obs: Observation | None, *, after_restart: bool
    ) -> bool:
        if current is None or (not after_restart and current.operation_id is not None):
            return False
        if obs is None:
            return not (
                current.state == VMState.ERROR
                and current.state_reason in {"failed", "missing"}
                and current.operation_id is None
            )
        return cls._differs(current, obs) or (after_restart and current.operation_id is not None)

    @staticmethod
    def _differs(vm: VMRow, obs: Observation) -> bool:
        return (
            vm.state != str(obs.state)
            or vm.ready != obs.ready
            or list(vm.ip_addresses) != list(obs.ip_addresses)
            or (vm.state_reason != obs.reason and obs.reason is not None)
        )

    @staticmethod
    def _settle_missing(tx: Tx, vm: VMRow) -> None:
        """The backend does not know the VM: finish an interrupted delete, or say it is lost."""
        if vm.state == VMState.DELETING:
            tx.delete_vm(vm.id)
            vm_event(tx, "vm.deleted", vm, reason="deleted")
            return
        reason = "failed" if vm.state == VMState.CREATING else "missing"
        if vm.state == VMState.ERROR and vm.state_reason == reason and vm.operation_id is None:
            return
        row = tx.update_vm(
            vm.id,
            state=str(VMState.ERROR),
            state_reason=reason,
            ready=False,
            ip_addresses=[],
            operation_id=None,
            desired_state=None,
        )
        if row is not None and row.state != vm.state:
            vm_event(tx, "vm.state_changed", row, previous_state=vm.state)
