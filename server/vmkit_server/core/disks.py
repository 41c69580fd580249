"""Growing a VM's disk."""

from __future__ import annotations

from typing import Any

from ..backends.base import Observation
from ..backends.guest import DiskResizer
from ..problems import ProblemError
from ..store import OperationRow, Tx
from . import errors
from .context import Services
from .guards import check_if_match, load_vm, require_capability, require_idle, require_state
from .lifecycle import begin_operation, observe_or_none
from .observe import apply_failure, apply_observation
from .runner import Job, RunContext
from .states import ACTIONS

__all__ = ["Disks"]


class Disks:
    """The disk service: ``POST /v1/vms/{vm}:resize-disk``.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    async def resize(self, ref: str, disk_gib: int, *, if_match: str | None) -> OperationRow:
        """Grow a stopped or running VM's disk to `disk_gib`.

        Raises:
            ProblemError: 404, 409 (state, busy), 412, 422 (not larger), 501.
        """
        svc = self._svc
        action = ACTIONS["resize_disk"]
        require_capability(svc.backend, action.capability)
        backend = svc.backend
        if not isinstance(backend, DiskResizer):
            raise errors.capability_not_supported(backend.name, action.capability)
        with svc.store.tx() as tx:
            vm = load_vm(tx, ref)
            check_if_match(ref, vm.id, vm.generation, if_match)
            require_idle(tx, vm)
            require_state(vm, action.name, action.allowed_from)
            if disk_gib <= vm.disk_gib:
                raise ProblemError(
                    422,
                    "VALIDATION_FAILED",
                    f"disks only grow: VM {vm.name!r} has {vm.disk_gib} GiB already",
                    errors=[
                        {
                            "location": "body",
                            "pointer": "/disk_gib",
                            "detail": f"must be more than {vm.disk_gib}",
                            "keyword": "minimum",
                        }
                    ],
                    metadata={"disk_gib": vm.disk_gib},
                )
            op, _ = begin_operation(
                svc,
                tx,
                vm,
                kind=action.kind,
                transitional=None,
                desired=None,
                params={"disk_gib": disk_gib, "from_gib": vm.disk_gib},
            )
        vm_id = vm.id

        async def run(ctx: RunContext) -> Observation:
            ctx.log(f"growing the disk from {vm.disk_gib} to {disk_gib} GiB")
            return await backend.resize_disk(vm_id, disk_gib, ctx)

        def settle(tx: Tx, obs: Observation) -> dict[str, Any]:
            tx.update_vm(vm_id, disk_gib=disk_gib)
            apply_observation(tx, vm_id, obs)
            return {"vm_id": vm_id, "disk_gib": disk_gib}

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
