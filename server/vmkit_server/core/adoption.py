"""Taking over VMs made outside vmkit: a peer system's own VMs appear as vmkit VMs.

A backend that implements `Adopting` (the peer adapters) reports the VMs it has that no
vmkit id maps to yet. Each gets a new id and a record in the state the system reports,
with the state reason `adopted` and a `vm.created` event, and from then on is a VM like any
other: observed by the reconciler, driven through the API.
"""

from __future__ import annotations

import logging

from ..backends.base import Adopting, BackendError, DiscoveredVM
from ..store import Tx
from .context import Services
from .events import vm_event
from .ids import new_id

__all__ = ["Adoption"]

log = logging.getLogger("vmkit_server.adoption")
_MAX_NAME = 63


class Adoption:
    """Records every VM the backend discovers (a no-op for backends that do not adopt).

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    async def run(self) -> int:
        """One pass: adopt whatever the backend has that vmkit does not know yet.

        The backend maps the new id first, then the record is written with no await in
        between, so a VM is never adopted twice; a backend that cannot be asked is tried
        again on the next pass.

        Returns:
            How many VMs were adopted.
        """
        backend = self._svc.backend
        if not isinstance(backend, Adopting):
            return 0
        try:
            found = await backend.discover()
        except BackendError as exc:
            log.info("cannot look for VMs to adopt: %s", exc)
            return 0
        adopted = 0
        for vm in found:
            vm_id = new_id("vm")
            try:
                await backend.adopt(vm.handle, vm_id)
            except BackendError as exc:
                log.info("cannot adopt %s: %s", vm.handle, exc)
                continue
            with self._svc.store.tx() as tx:
                self._record(tx, vm_id, vm)
            log.info("adopted %s from the %s backend as %s", vm.handle, backend.name, vm_id)
            adopted += 1
        return adopted

    def _record(self, tx: Tx, vm_id: str, vm: DiscoveredVM) -> None:
        obs = vm.observation
        row = tx.insert_vm(
            id=vm_id,
            name=_free_name(tx, vm.name),
            state=str(obs.state),
            state_reason="adopted",
            cpus=vm.cpus,
            memory_mib=vm.memory_mib,
            disk_gib=vm.disk_gib,
            image=vm.image,
            labels={},
            backend=self._svc.backend.name,
            host=self._svc.host,
            ip_addresses=list(obs.ip_addresses),
            ready=obs.ready,
            extra={**obs.extra, "adopted_from": vm.handle},
        )
        vm_event(tx, "vm.created", row, reason="adopted")


def _free_name(tx: Tx, name: str) -> str:
    """`name`, or `name-2`, `name-3`, ... if a VM already has it (kept within 63 chars)."""
    candidate, n = name, 1
    while tx.get_vm(candidate) is not None:
        n += 1
        suffix = f"-{n}"
        candidate = name[: _MAX_NAME - len(suffix)].rstrip("-") + suffix
    return candidate
