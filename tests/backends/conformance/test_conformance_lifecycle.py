"""Lifecycle on every backend: create, start, stop, force-stop, restart, pause, suspend, delete."""

from __future__ import annotations

import pytest
from conformance_helpers import WAIT, Target

import vmkit
from vmkit.errors import NotFoundError


def test_create_gives_a_stopped_vm_on_this_backend(target: Target, client: vmkit.Client) -> None:
    """A new VM is stopped, on the target's backend, with the resources asked for."""
    vm = target.new_vm(client)
    assert "stopped" == vm.state
    assert target.setup.backend_name == vm.backend
    for field in ("cpus", "memory_mib", "disk_gib"):
        if field in target.setup.create:
            assert target.setup.create[field] == getattr(vm, field)
    assert vm.id == client.vms.get(vm.name).id


def test_start_then_stop(target: Target, client: vmkit.Client) -> None:
    """Start runs the VM (and it reports ready where the backend can tell); stop ends it."""
    target.require("start", "stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    assert "running" == vm.state
    if target.capabilities["ready_signal"]:
        assert vm.wait_ready(timeout=WAIT).ready
    stopped = vm.stop(wait=True, wait_timeout=WAIT, timeout_seconds=30, force_after_timeout=True)
    assert ("stopped", False) == (stopped.state, stopped.ready)


def test_force_stop_powers_off(target: Target, client: vmkit.Client) -> None:
    """Force-stop ends a running VM at once."""
    target.require("start", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    assert "stopped" == vm.force_stop(wait=True, wait_timeout=WAIT).state


def test_restart_keeps_it_running(target: Target, client: vmkit.Client) -> None:
    """A restarted VM is running again."""
    target.require("start", "restart", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    assert "running" == vm.restart(wait=True, wait_timeout=WAIT).state
    vm.force_stop(wait=True, wait_timeout=WAIT)


def test_pause_then_resume(target: Target, client: vmkit.Client) -> None:
    """Pause freezes a running VM; resume runs it again."""
    target.require("start", "pause", "resume", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    assert "paused" == vm.pause(wait=True, wait_timeout=WAIT).state
    assert "running" == vm.resume(wait=True, wait_timeout=WAIT).state
    vm.force_stop(wait=True, wait_timeout=WAIT)


def test_suspend_then_start_again(target: Target, client: vmkit.Client) -> None:
    """Suspend saves a running VM; starting (or resuming) it runs it again."""
    target.require("start", "suspend", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    assert "suspended" == vm.suspend(wait=True, wait_timeout=WAIT).state
    again = vm.resume if target.capabilities["resume"] else vm.start
    assert "running" == again(wait=True, wait_timeout=WAIT).state
    vm.force_stop(wait=True, wait_timeout=WAIT)


def test_delete_removes_the_vm(target: Target, client: vmkit.Client) -> None:
    """A deleted VM is gone from the API."""
    target.require("delete")
    vm = target.new_vm(client)
    client.vms.delete(vm.id, wait=True, wait_timeout=WAIT)
    with pytest.raises(NotFoundError):
        client.vms.get(vm.id)


def test_the_lifecycle_is_in_the_event_log(target: Target, client: vmkit.Client) -> None:
    """Creating and starting a VM leaves vm.created and vm.state_changed events for it."""
    target.require("start", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    vm.force_stop(wait=True, wait_timeout=WAIT)
    types = [event.type for event in client.events.list(vm=vm.id)]
    assert "vm.created" in types
    assert types.count("vm.state_changed") >= 2
