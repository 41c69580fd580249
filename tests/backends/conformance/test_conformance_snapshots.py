"""Snapshots on every backend that declares them: take, list, restore, delete."""

from __future__ import annotations

import pytest
from conformance_helpers import WAIT, Target

import vmkit
from vmkit.errors import NotFoundError


def test_snapshot_of_a_stopped_vm_round_trip(target: Target, client: vmkit.Client) -> None:
    """A disk snapshot is listed, restores to a stopped VM, and is gone once deleted."""
    target.require("snapshots")
    vm = target.new_vm(client)
    snap = vm.snapshot("before", wait=True, wait_timeout=WAIT)
    assert "ready" == snap.state
    assert ["before"] == [s.name for s in client.snapshots.list(vm.id)]
    restored = client.snapshots.restore(vm.id, "before", wait=True, wait_timeout=WAIT)
    assert "stopped" == restored.state
    client.snapshots.delete(vm.id, "before", wait=True, wait_timeout=WAIT)
    with pytest.raises(NotFoundError):
        client.snapshots.get(vm.id, "before")


def test_memory_snapshot_restores_a_running_vm(target: Target, client: vmkit.Client) -> None:
    """Where RAM is saved too, restoring a running VM's snapshot leaves it running."""
    target.require("snapshots", "memory_snapshots", "start", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    snap = vm.snapshot("live", wait=True, wait_timeout=WAIT)
    assert snap.includes_memory
    vm.force_stop(wait=True, wait_timeout=WAIT)
    assert "running" == client.snapshots.restore(vm.id, "live", wait=True, wait_timeout=WAIT).state
    vm.force_stop(wait=True, wait_timeout=WAIT)
