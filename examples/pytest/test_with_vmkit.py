"""Tests as a vmkit user writes them: no setup code, the plugin hands out VMs.

With the server extra installed (``pip install 'vmkit[server]'``) the tests run against a
reference server started in-process on the simulated backend:

    pytest examples/pytest

The same tests against a real server, with the image of your choice:

    pytest examples/pytest --vmkit-url http://127.0.0.1:8470 --vmkit-token vmk_... \\
        --vmkit-image vmkit/test-guest

Every VM ``vmkit_vm`` made is deleted after its test, even when the test fails.
"""

from __future__ import annotations

import pytest

import vmkit
from vmkit.testing import VMFactory


def test_a_fresh_vm_is_running(vmkit_vm: VMFactory) -> None:
    """``vmkit_vm()`` gives a VM that is already booted."""
    vm = vmkit_vm()

    assert "running" == vm.state


def test_stop_and_start_again(vmkit_vm: VMFactory) -> None:
    """The VM is a normal ``vmkit.VM`` handle: drive it like any other."""
    vm = vmkit_vm(cpus=2, memory_mib=1024)

    vm.stop(wait=True)
    assert "stopped" == vm.state
    vm.start(wait=True)
    assert "running" == vm.state
    assert 2 == vm.cpus


@pytest.mark.vmkit(labels={"team": "qa"}, start=False)
def test_marker_sets_defaults(vmkit_vm: VMFactory, vmkit_client: vmkit.Client) -> None:
    """The ``vmkit`` marker gives this test's VMs their defaults; ``vmkit_client`` lists them."""
    first, second = vmkit_vm(), vmkit_vm()

    names = {vm.name for vm in vmkit_client.vms.list(label={"team": "qa"})}
    assert {first.name, second.name} <= names
    assert "stopped" == first.state


@pytest.mark.anyio
async def test_with_the_async_client(
    vmkit_async_client: vmkit.AsyncClient, vmkit_vm: VMFactory
) -> None:
    """``vmkit_async_client`` works in async tests (anyio's pytest plugin runs them)."""
    vm = vmkit_vm()

    same = await vmkit_async_client.vms.get(vm.id)
    assert vm.name == same.name
