"""Clone, rename and settings on every backend that declares them."""

from __future__ import annotations

import pytest
from conformance_helpers import WAIT, Target

import vmkit
from vmkit.errors import NotFoundError


def test_clone_makes_an_independent_stopped_vm(target: Target, client: vmkit.Client) -> None:
    """A clone is a new stopped VM on the same backend; deleting it keeps the source."""
    target.require("clone")
    source = target.new_vm(client)
    copy = source.clone(f"{source.name}-copy", wait=True, wait_timeout=WAIT)
    assert (copy.state, copy.backend) == ("stopped", source.backend)
    assert copy.id != source.id
    if target.capabilities["delete"]:
        client.vms.delete(copy.id, wait=True, wait_timeout=WAIT)
        assert "stopped" == client.vms.get(source.id).state


def test_rename_changes_the_name_not_the_id(target: Target, client: vmkit.Client) -> None:
    """After a rename the VM answers to its new name only, under the same id."""
    target.require("rename")
    vm = target.new_vm(client)
    old = vm.name
    renamed = vm.rename(f"{old}-renamed")
    assert (renamed.id, renamed.name) == (vm.id, f"{old}-renamed")
    assert vm.id == client.vms.get(f"{old}-renamed").id
    with pytest.raises(NotFoundError):
        client.vms.get(old)


def test_settings_change_cpus_and_memory(target: Target, client: vmkit.Client) -> None:
    """CPUs and RAM of a stopped VM change, and the change is what the API reports after."""
    target.require("update_resources")
    vm = target.new_vm(client)
    cpus, memory = vm.cpus + 1, vm.memory_mib * 2
    client.vms.update(vm.id, cpus=cpus, memory_mib=memory)
    again = client.vms.get(vm.id)
    assert (cpus, memory) == (again.cpus, again.memory_mib)
