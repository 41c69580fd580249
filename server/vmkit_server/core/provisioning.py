"""Operations that make or remove VMs: create, clone, delete (also used by the TTL reaper)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..backends.base import BackendVMNotFoundError, Observation, VMSpec
from ..store import OperationRow, Tx, VMRow
from . import errors
from .context import Services
from .events import vm_event
from .guards import check_if_match, load_vm, require_capability, require_idle, require_state
from .ids import new_id
from .images import Images
from .lifecycle import begin_operation, observe_or_none
from .observe import apply_failure, apply_observation
from .runner import Job, RunContext
from .states import ACTIONS, FORCE_DELETE_EXTRA, VMState

__all__ = ["Provisioning"]

DEFAULTS = {"cpus": 1, "memory_mib": 512, "disk_gib": 10}


def _spec_of(row: VMRow) -> VMSpec:
    return VMSpec(
        id=row.id,
        name=row.name,
        cpus=row.cpus,
        memory_mib=row.memory_mib,
        disk_gib=row.disk_gib,
        image=row.image,
        labels=dict(row.labels),
    )


class Provisioning:
    """Creates, clones and deletes VMs.

    Args:
        svc: The shared services.
        images: The image catalog a create's ``image`` is checked against.
    """

    def __init__(self, svc: Services, images: Images) -> None:
        self._svc = svc
        self._images = images

    def _insert_vm(self, tx: Tx, body: dict[str, Any], *, op_id: str | None) -> VMRow:
        if tx.get_vm(body["name"]) is not None:
            raise errors.already_exists("vm", body["name"])
        now = self._svc.clock()
        ttl = body.get("ttl_seconds")
        return tx.insert_vm(
            id=new_id("vm"),
            name=body["name"],
            state=str(VMState.CREATING),
            state_reason=None,
            desired_state=str(VMState.RUNNING if body.get("start") else VMState.STOPPED),
            cpus=body.get("cpus", DEFAULTS["cpus"]),
            memory_mib=body.get("memory_mib", DEFAULTS["memory_mib"]),
            disk_gib=body.get("disk_gib", DEFAULTS["disk_gib"]),
            image=body.get("image"),
            labels=dict(body.get("labels") or {}),
            backend=self._svc.backend.name,
            host=self._svc.host,
            ip_addresses=[],
            ready=False,
            ttl_seconds=ttl,
            expires_at=now + timedelta(seconds=ttl) if ttl else None,
            operation_id=op_id,
            extra={},
        )

    async def create(self, body: dict[str, Any]) -> OperationRow:
        """Record a new VM (`creating`) and provision it in the background.

        Raises:
            ProblemError: 409 `VM_ALREADY_EXISTS`, 501 if the backend cannot create.
        """
        svc = self._svc
        require_capability(svc.backend, "create")
        image = await self._images.resolve(body.get("image"))
        if image is not None:
            body = {**body, "image": image}
        start = bool(body.get("start"))
        with svc.store.tx() as tx:
            vm = self._insert_vm(tx, body, op_id=None)
            vm_event(tx, "vm.created", vm)
            op, vm = begin_operation(
                svc,
                tx,
                vm,
                kind="vm.create",
                transitional=None,
                desired=vm.desired_state,
                params={"start": start},
            )
        spec = _spec_of(vm)

        async def run(ctx: RunContext) -> Observation:
            obs = await svc.backend.create(spec, ctx)
            if start:
                obs = await svc.backend.start(spec.id, ctx)
            return obs

        svc.runner.submit(self._vm_job(op, vm.id, run, {"vm_id": vm.id, "vm_name": vm.name}))
        return op

    async def clone(self, ref: str, body: dict[str, Any], *, if_match: str | None) -> OperationRow:
        """Copy a stopped, paused or suspended VM into a new one.

        Raises:
            ProblemError: 404, 409 (state, busy, name taken), 412 or 501.
        """
        svc = self._svc
        action = ACTIONS["clone"]
        require_capability(svc.backend, action.capability)
        start = bool(body.get("start"))
        with svc.store.tx() as tx:
            source = load_vm(tx, ref)
            check_if_match(ref, source.id, source.generation, if_match)
            require_idle(tx, source)
            require_state(source, action.name, action.allowed_from)
            new_body = {
                "name": body["name"],
                "cpus": source.cpus,
                "memory_mib": source.memory_mib,
                "disk_gib": source.disk_gib,
                "image": source.image,
                "labels": body.get("labels", dict(source.labels)),
                "start": start,
            }
            op, source = begin_operation(
                svc,
                tx,
                source,
                kind=action.kind,
                transitional=None,
                desired=None,
                params={"clone_name": body["name"], "start": start},
            )
            clone = self._insert_vm(tx, new_body, op_id=op.id)
            vm_event(tx, "vm.created", clone, cloned_from=source.id)
        target = _spec_of(clone)
        source_id = source.id

        async def run(ctx: RunContext) -> Observation:
            obs = await svc.backend.clone(source_id, target, ctx)
            if start:
                obs = await svc.backend.start(target.id, ctx)
            return obs

        def settle(tx: Tx, obs: Observation) -> dict[str, Any]:
            apply_observation(tx, target.id, obs)
            src = tx.update_vm(source_id, operation_id=None, desired_state=None)
            if src is not None:
                vm_event(tx, "vm.cloned", src, clone_id=target.id, clone_name=target.name)
            return {"vm_id": target.id, "vm_name": target.name, "source_vm_id": source_id}

        async def recover() -> Observation | None:
            return await observe_or_none(svc, target.id)

        def settle_failure(tx: Tx, problem: dict[str, Any], obs: Observation | None) -> None:
            tx.update_vm(source_id, operation_id=None, desired_state=None)
            if obs is None:
                # nothing was made: the half-created record goes away with the failed operation
                gone = tx.get_vm(target.id)
                if gone is not None:
                    tx.delete_vm(target.id)
                    vm_event(tx, "vm.deleted", gone, reason="failed")
            else:
                apply_observation(tx, target.id, obs)

        svc.runner.submit(Job(op.id, run, settle, recover, settle_failure))
        return op

    async def delete(
        self, ref: str, *, force: bool, if_match: str | None, reason: str | None = None
    ) -> OperationRow:
        """Delete a VM (and its snapshots); `force` powers a running VM off first.

        Raises:
            ProblemError: 404, 409 (state or busy), 412 or 501.
        """
        svc = self._svc
        action = ACTIONS["delete"]
        require_capability(svc.backend, "delete")
        with svc.store.tx() as tx:
            vm = load_vm(tx, ref)
            check_if_match(ref, vm.id, vm.generation, if_match)
            require_idle(tx, vm)
            allowed = set(action.allowed_from) | (set(FORCE_DELETE_EXTRA) if force else set())
            require_state(vm, "delete" if not force else "force-delete", allowed)
            powered = vm.state in FORCE_DELETE_EXTRA
            op, vm = begin_operation(
                svc,
                tx,
                vm,
                kind=action.kind,
                transitional=action.transitional,
                desired=None,
                params={"force": force, "reason": reason},
            )
        vm_id = vm.id

        async def run(ctx: RunContext) -> None:
            try:
                # A backend without force-stop deletes powered VMs itself (see Backend.delete).
                if powered and svc.backend.capabilities.force_stop:
                    ctx.log("powering the VM off before deleting it")
                    await svc.backend.force_stop(vm_id, ctx)
                await svc.backend.delete(vm_id, ctx)
            except BackendVMNotFoundError:
                # Deleting is idempotent: a VM whose creation failed before the backend
                # made it (or that someone removed behind our back) is already gone there.
                ctx.log("the backend has no such VM; removing the record")

        def settle(tx: Tx, _: None) -> dict[str, Any]:
            row = tx.get_vm(vm_id)
            if row is not None:
                final = tx.update_vm(vm_id, state_reason=reason or "deleted")
                tx.delete_vm(vm_id)
                vm_event(tx, "vm.deleted", final or row, reason=reason or "deleted")
            return {"vm_id": vm_id, "deleted": True, "reason": reason or "deleted"}

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

    def _vm_job(self, op: OperationRow, vm_id: str, run: Any, result: dict[str, Any]) -> Job:
        svc = self._svc

        def settle(tx: Tx, obs: Observation) -> dict[str, Any]:
            apply_observation(tx, vm_id, obs)
            return result

        return Job(
            op.id,
            run,
            settle,
            lambda: observe_or_none(svc, vm_id),
            lambda tx, problem, obs: apply_failure(tx, vm_id, problem, obs),
        )
