"""Errors look the same on every backend: unknown VMs, taken names, wrong states."""

from __future__ import annotations

import pytest
from conformance_helpers import WAIT, Target

import vmkit
from vmkit.errors import ConflictError, NotFoundError, VMStateError


def test_an_unknown_vm_is_404(target: Target, client: vmkit.Client) -> None:
    """Asking for a VM nobody made answers 404 VM_NOT_FOUND."""
    with pytest.raises(NotFoundError) as caught:
        client.vms.get("no-such-vm")
    assert "VM_NOT_FOUND" == caught.value.code


def test_a_taken_name_is_409(target: Target, client: vmkit.Client) -> None:
    """A second VM with the same name is refused before the backend is asked."""
    target.require("create")
    vm = target.new_vm(client)
    with pytest.raises(ConflictError):
        client.vms.create(vm.name, **target.setup.create)


def test_an_action_in_the_wrong_state_is_409(target: Target, client: vmkit.Client) -> None:
    """Pausing (or, failing that, stopping) a stopped VM answers 409 with its state."""
    target.require("start")
    vm = target.new_vm(client)
    action = "pause" if target.capabilities["pause"] else "stop"
    target.require(action)
    with pytest.raises(VMStateError):
        getattr(client.vms, action)(vm.id)


def test_an_unknown_snapshot_is_404(target: Target, client: vmkit.Client) -> None:
    """Restoring a snapshot that does not exist answers 404."""
    target.require("snapshots")
    vm = target.new_vm(client)
    with pytest.raises(NotFoundError):
        client.snapshots.restore(vm.id, "never-taken", wait=True, wait_timeout=WAIT)
