"""Every capability a backend does not declare answers 501 CAPABILITY_NOT_SUPPORTED, naming it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conformance_helpers import Target

import vmkit
from vmkit.errors import CapabilityNotSupportedError

#: How to ask for each capability of a stopped VM (`ready_signal` and `memory_snapshots`
#: are properties of other actions, not actions of their own).
ASK: dict[str, Callable[[vmkit.Client, vmkit.VM], object]] = {
    "create": lambda c, vm: c.vms.create(f"{vm.name}-new"),
    "delete": lambda c, vm: c.vms.delete(vm.id),
    "start": lambda c, vm: c.vms.start(vm.id),
    "stop": lambda c, vm: c.vms.stop(vm.id),
    "force_stop": lambda c, vm: c.vms.force_stop(vm.id),
    "restart": lambda c, vm: c.vms.restart(vm.id),
    "pause": lambda c, vm: c.vms.pause(vm.id),
    "resume": lambda c, vm: c.vms.resume(vm.id),
    "suspend": lambda c, vm: c.vms.suspend(vm.id),
    "snapshots": lambda c, vm: vm.snapshot("s1"),
    "clone": lambda c, vm: vm.clone(f"{vm.name}-c"),
    "rename": lambda c, vm: vm.rename(f"{vm.name}-r"),
    "update_resources": lambda c, vm: c.vms.update(vm.id, cpus=vm.cpus + 1),
    "resize_disk": lambda c, vm: c.vms.resize_disk(vm.id, disk_gib=vm.disk_gib + 1),
    "exec": lambda c, vm: vm.exec(["true"]),
    "files": lambda c, vm: vm.download("/etc/hostname"),
    "console": lambda c, vm: vm.console(),
    "screenshot": lambda c, vm: vm.screenshot(),
}


@pytest.mark.parametrize("capability", sorted(ASK))
def test_an_undeclared_capability_answers_501(
    target: Target, client: vmkit.Client, capability: str
) -> None:
    """The answer is 501 with the stable code, and its detail names the backend."""
    if target.capabilities[capability]:
        pytest.skip(f"{target.name} declares {capability}: its own conformance test covers it")
    vm = target.new_vm(client)
    with pytest.raises(CapabilityNotSupportedError) as caught:
        ASK[capability](client, vm)
    err = caught.value
    assert (501, "CAPABILITY_NOT_SUPPORTED") == (err.status, err.code)
    assert target.setup.backend_name in str(err)


def test_every_capability_is_asked_or_implied(target: Target) -> None:
    """The table above covers every capability the API reports (so none goes unchecked)."""
    assert set(target.capabilities) - set(ASK) == {"memory_snapshots", "ready_signal"}
