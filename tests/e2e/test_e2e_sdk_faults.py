"""The sync SDK against a live server whose simulated backend misbehaves on purpose.

Faults are injected on the server's event loop (`server.call`); whatever a test arms it
disarms in `finally`, because the server is shared by the module's tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from e2e_helpers import events_of, unique_name, wait_until

import vmkit
from vmkit.errors import (
    BackendUnavailableError,
    NotFoundError,
    OperationFailedError,
    OperationInProgressError,
)
from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.testing import RunningServer


@pytest.fixture
def sim(server: RunningServer) -> SimulatedBackend:
    """The server's simulated backend (for fault injection through `server.call`)."""
    backend = server.backend
    assert isinstance(backend, SimulatedBackend)
    return backend


@pytest.fixture
def hung_start(server: RunningServer, sim: SimulatedBackend) -> Iterator[None]:
    """Backend starts block until the test ends (or a force-stop pre-empts them)."""
    server.call(lambda: sim.hang("start"))
    try:
        yield
    finally:
        server.call(lambda: sim.release("start"))


def _running(op: vmkit.Operation) -> vmkit.Operation | None:
    return op if op.refresh().state == "running" else None


@pytest.mark.usefixtures("hung_start")
def test_busy_vm_is_409_in_progress_and_force_stop_pre_empts(client: vmkit.Client) -> None:
    """While a start hangs: other actions get OPERATION_IN_PROGRESS; force-stop cancels it."""
    vm = client.vms.create(unique_name("busy"), wait=True)
    start = client.vms.start(vm)
    wait_until(lambda: _running(start), timeout=10, what="the start to run")
    vm.refresh()
    assert ("starting", "running", start.id) == (vm.state, vm.desired_state, vm.operation_id)
    for action in (client.vms.start, client.vms.pause, client.vms.delete):
        with pytest.raises(OperationInProgressError) as busy:
            action(vm)
        assert ("OPERATION_IN_PROGRESS", start.id) == (busy.value.code, busy.value.operation_id)
    stop = client.vms.force_stop(vm)
    stop.wait(timeout=10)
    start.refresh()
    assert ("cancelled", "succeeded") == (start.state, stop.state)
    assert start.error is not None and "force-stop" in start.error.get("detail", "")
    assert ("stopped", None) == (vm.refresh().state, vm.operation_id)


@pytest.mark.usefixtures("hung_start")
def test_cancel_a_running_operation(client: vmkit.Client) -> None:
    """:cancel of a running start ends it `cancelled`; the VM is what the backend says."""
    vm = client.vms.create(unique_name("cancel"), wait=True)
    start = client.vms.start(vm)
    wait_until(lambda: _running(start), timeout=10, what="the start to run")
    client.operations.cancel(start)
    with pytest.raises(OperationFailedError) as ended:
        start.wait(timeout=10)
    assert "cancelled" == ended.value.operation.state == start.state
    assert ("stopped", None) == (vm.refresh().state, vm.operation_id)


def test_failed_start_says_why_in_the_operation(
    client: vmkit.Client, server: RunningServer, sim: SimulatedBackend
) -> None:
    """A start the backend refuses ends `failed` with the backend's reason in `error.detail`."""
    vm = client.vms.create(unique_name("fail"), wait=True)
    server.call(lambda: sim.fail_next("start", "the disk image is missing"))
    op = vm.start()
    with pytest.raises(OperationFailedError) as failed:
        op.wait(timeout=10)
    assert "failed" == op.state
    assert op.error is not None and "the disk image is missing" in op.error["detail"]
    assert failed.value.problem == op.error
    assert ("stopped", "failed", None) == (vm.refresh().state, vm.state_reason, vm.operation_id)
    assert "running" == vm.start(wait=True, wait_timeout=10).state  # the fault was one-shot


def test_backend_unavailable_is_503_or_a_failed_operation(
    client: vmkit.Client, server: RunningServer, sim: SimulatedBackend
) -> None:
    """With the host lost, a start answers 503 or fails BACKEND_UNAVAILABLE; then it heals."""
    vm = client.vms.create(unique_name("lost"), wait=True)
    server.call(lambda: sim.set_available(False))
    try:
        with httpx.Client(base_url=server.url) as http:
            ready = http.get("/readyz")
        assert (503, "application/problem+json") == (
            ready.status_code,
            ready.headers["content-type"].split(";")[0],
        )
        try:
            op = vm.start()
        except BackendUnavailableError as exc:
            assert (503, "BACKEND_UNAVAILABLE") == (exc.status, exc.code)
        else:
            with pytest.raises(OperationFailedError) as failed:
                op.wait(timeout=10)
            assert "BACKEND_UNAVAILABLE" == failed.value.code
    finally:
        server.call(lambda: sim.set_available(True))
    vm.wait_for("stopped", timeout=10, poll_interval=0.05)
    assert "running" == vm.start(wait=True, wait_timeout=10).state


def test_crashed_guest_becomes_error_crashed(
    client: vmkit.Client, server: RunningServer, sim: SimulatedBackend
) -> None:
    """A crash the server did not cause is picked up by reconciliation: `error`, `crashed`."""
    vm = client.vms.create(unique_name("crash"), start=True, wait=True)
    server.call(lambda: sim.crash(vm.id))
    vm.wait_for("error", timeout=10, poll_interval=0.05)
    assert ("error", "crashed", False) == (vm.state, vm.state_reason, vm.ready)
    assert ("running", "booted") == (vm.start(wait=True).state, vm.state_reason)


def test_guest_power_off_becomes_stopped_shutdown(
    client: vmkit.Client, server: RunningServer, sim: SimulatedBackend
) -> None:
    """A guest that powers itself off is reconciled to `stopped` with reason `shutdown`."""
    vm = client.vms.create(unique_name("halt"), start=True, wait=True)
    server.call(lambda: sim.power_off_from_guest(vm.id))
    vm.wait_for("stopped", timeout=10, poll_interval=0.05)
    assert ("stopped", "shutdown", []) == (vm.state, vm.state_reason, vm.ip_addresses)


def test_stop_of_a_guest_that_ignores_it_fails_without_force(
    client: vmkit.Client, server: RunningServer, sim: SimulatedBackend
) -> None:
    """A graceful stop that times out without `force_after_timeout` fails; the VM still runs."""
    vm = client.vms.create(unique_name("stubborn"), start=True, wait=True)
    server.call(lambda: sim.ignore_shutdown(vm.id))
    try:
        op = vm.stop(timeout_seconds=0.05, force_after_timeout=False)
        with pytest.raises(OperationFailedError):
            op.wait(timeout=10)
        assert "running" == vm.refresh().state
        assert "stopped" == vm.stop(timeout_seconds=0.05, wait=True).state
        assert "destroyed" == vm.state_reason
    finally:
        server.call(lambda: sim.ignore_shutdown(vm.id, False))


def _gone(client: vmkit.Client, vm_id: str) -> bool | None:
    try:
        client.vms.get(vm_id)
    except NotFoundError:
        return True
    return None


def test_ttl_reaper_deletes_an_expired_vm_with_reason_expired(
    client: vmkit.Client, server: RunningServer
) -> None:
    """A VM whose TTL passed is deleted by the reaper; its `vm.deleted` says `expired`."""
    vm = client.vms.create(unique_name("ttl"), ttl_seconds=1, start=True, wait=True)
    assert (1, True) == (vm.ttl_seconds, vm.expires_at is not None)
    wait_until(lambda: _gone(client, vm.id), timeout=15, what="the reaper to delete the VM")
    deletes = list(client.operations.list(vm=vm.id, kind="vm.delete"))
    assert ["succeeded"] == [op.state for op in deletes]
    deleted = [data for _, kind, data in events_of(server.data_dir, vm.id) if kind == "vm.deleted"]
    assert ["expired"] == [data.get("reason") for data in deleted]
