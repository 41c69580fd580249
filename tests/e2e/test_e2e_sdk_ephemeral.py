"""client.vms.ephemeral: the VM exists inside the block and is gone after it, whatever happens."""

from __future__ import annotations

import pytest
from e2e_helpers import unique_name

import vmkit
from vmkit.errors import NotFoundError, OperationFailedError
from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.testing import RunningServer


class Boom(Exception):
    """Raised inside a block to check the VM is deleted all the same."""


def _exists(client: vmkit.Client, vm_id: str) -> bool:
    try:
        client.vms.get(vm_id)
    except NotFoundError:
        return False
    return True


def test_vm_is_running_inside_and_gone_after(client: vmkit.Client) -> None:
    """The block gets a running VM with the given settings; leaving it deletes the VM."""
    name = unique_name("eph")
    with client.vms.ephemeral(name, cpus=2, labels={"team": "qa"}) as vm:
        assert (name, "running", 2, {"team": "qa"}) == (vm.name, vm.state, vm.cpus, vm.labels)
        assert _exists(client, vm.id)
    assert not _exists(client, vm.id)


def test_exception_in_the_block_propagates_and_the_vm_is_deleted(client: vmkit.Client) -> None:
    """An exception inside the block is re-raised unchanged after the VM is deleted."""
    with pytest.raises(Boom), client.vms.ephemeral(start=False) as vm:
        assert "stopped" == vm.state and vm.name.startswith("ephemeral-")
        raise Boom
    assert not _exists(client, vm.id)


def test_vm_deleted_inside_the_block_is_fine(client: vmkit.Client) -> None:
    """Deleting the VM yourself inside the block is not an error on exit."""
    with client.vms.ephemeral(unique_name("self-deleted")) as vm:
        vm.delete(force=True, wait=True)
    assert not _exists(client, vm.id)


def test_busy_vm_is_deleted_on_exit(client: vmkit.Client) -> None:
    """A VM left mid-snapshot is deleted once it settles."""
    with client.vms.ephemeral(unique_name("busy")) as vm:
        vm.snapshot("left-running")  # not waited for
    assert not _exists(client, vm.id)


def test_failed_provisioning_raises_and_leaves_nothing(
    client: vmkit.Client, server: RunningServer
) -> None:
    """When creation fails the block never runs, the error says why and no VM is left."""
    backend = server.backend
    assert isinstance(backend, SimulatedBackend)
    server.call(lambda: backend.fail_next("create", "no space left on the pool"))
    name = unique_name("doomed")
    entered = False
    with pytest.raises(OperationFailedError) as failed, client.vms.ephemeral(name):
        entered = True
    assert not entered
    assert "no space left on the pool" in str(failed.value)
    assert not _exists(client, name)


@pytest.mark.anyio
async def test_async_twin_deletes_after_an_exception(async_client: vmkit.AsyncClient) -> None:
    """`async with` works the same way."""
    with pytest.raises(Boom):
        async with async_client.vms.ephemeral(unique_name("aeph")) as vm:
            assert "running" == vm.state
            raise Boom
    with pytest.raises(NotFoundError):
        await async_client.vms.get(vm.id)
