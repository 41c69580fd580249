"""A forced delete of a running VM on a backend that has no force-stop (TTstack's qemu engine)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import vmkit
from vmkit_server.backends.base import OperationContext, PowerState
from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.testing import start_server


class DeletesInAnyState(SimulatedBackend):
    """A hypervisor that cannot power off on its own but destroys a VM in any state."""

    def __init__(self) -> None:
        super().__init__(delay=0.0)
        self.capabilities = replace(self.capabilities, force_stop=False)
        self.deleted_while: list[PowerState] = []

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Note the state, then delete as if it were off."""
        vm = self._vms[vm_id]
        self.deleted_while.append(vm.power)
        vm.power = PowerState.STOPPED
        await super().delete(vm_id, ctx)


def test_the_backend_deletes_a_running_vm_itself(tmp_path: Path) -> None:
    """The server does not call the force-stop the backend lacks: delete gets the running VM."""
    backend = DeletesInAnyState()
    server = start_server(tmp_path / "data", backend=backend)
    try:
        with vmkit.Client(server.url, server.token) as client:
            vm = client.vms.create("busy", start=True, wait=True)
            assert "running" == vm.state
            client.vms.delete(vm.id, force=True, wait=True)
            assert [] == list(client.vms.list())
    finally:
        server.stop()
    assert [PowerState.RUNNING] == backend.deleted_while
