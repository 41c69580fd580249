"""VMs made on a peer system outside vmkit appear in vmkit and can be driven."""

from __future__ import annotations

import pytest
from conformance_helpers import WAIT, Target, adopted_vm

import vmkit


def test_a_vm_made_outside_vmkit_is_adopted(target: Target, client: vmkit.Client) -> None:
    """It shows up with a `vm.created` event (reason `adopted`) and a vmkit id."""
    make = target.setup.make_outside_vm
    if make is None:
        pytest.skip(f"{target.name} makes every VM through vmkit: nothing to adopt")
    adopted = client.vms.get(adopted_vm(client, make("made-outside"))["id"])
    assert adopted.backend == target.setup.backend_name
    if target.capabilities["delete"]:
        if adopted.state != "stopped" and target.capabilities["force_stop"]:
            adopted.force_stop(wait=True, wait_timeout=WAIT)
        client.vms.delete(adopted.id, wait=True, wait_timeout=WAIT)
