"""VMs made on a peer system outside vmkit appear in vmkit and can be driven."""

from __future__ import annotations

import pytest
from conftest import WAIT, Target

import vmkit


def test_a_vm_made_outside_vmkit_is_adopted(target: Target, client: vmkit.Client) -> None:
    """It shows up with a `vm.created` event (reason `adopted`) and a vmkit id."""
    make = target.setup.make_outside_vm
    if make is None:
        pytest.skip(f"{target.name} makes every VM through vmkit: nothing to adopt")
    handle = make("made-outside")
    with client.events.stream("vm.created", last_event_id=0) as events:
        for event in events:
            vm = event.data["vm"]
            if vm["extra"].get("adopted_from") == handle:
                assert "adopted" == event.data["reason"]
                break
    adopted = client.vms.get(vm["id"])
    assert adopted.backend == target.setup.backend_name
    if target.capabilities["delete"]:
        if adopted.state != "stopped" and target.capabilities["force_stop"]:
            adopted.force_stop(wait=True, wait_timeout=WAIT)
        client.vms.delete(adopted.id, wait=True, wait_timeout=WAIT)
