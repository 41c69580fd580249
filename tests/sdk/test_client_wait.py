"""Operation.wait, wait=True and the VM handle's waiters, with an injected clock and sleep."""

from __future__ import annotations

import json

import pytest
import respx
from client_helpers import (
    FakeTime,
    done_body,
    example,
    failed_body,
    json_response,
    op_body,
    vm_body,
)

import vmkit
from vmkit import errors

OP_ID = op_body()["id"]
WAIT_PATH = f"/v1/operations/{OP_ID}:wait"


@pytest.mark.anyio
async def test_wait_long_polls_until_succeeded(
    client: vmkit.AsyncClient, mock: respx.MockRouter, fake_time: FakeTime
) -> None:
    """wait() long-polls :wait, pausing between early answers, and returns the operation."""
    mock.post("/v1/vms/web-1:start").mock(return_value=json_response(202, op_body()))
    route = mock.get(WAIT_PATH).mock(
        side_effect=[
            json_response(200, op_body(state="running")),
            json_response(200, op_body(state="running", progress=0.5)),
            json_response(200, done_body()),
        ]
    )

    op = await client.vms.start("web-1")
    result = await op.wait(timeout=60)

    assert result is op
    assert (op.state, op.progress) == ("succeeded", 1.0)
    assert {"vm_id": op.target["id"], "state": "running"} == op.result
    assert route.call_count == 3
    holds = [float(c.request.url.params["timeout_seconds"]) for c in route.calls]
    assert all(0 < hold <= 30 for hold in holds)
    assert fake_time.sleeps == [0.05, 0.1]


@pytest.mark.anyio
async def test_wait_raises_operation_failed_with_the_problem(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """A failed operation raises OperationFailedError carrying the operation and its problem."""
    mock.get(f"/v1/operations/{OP_ID}").mock(return_value=json_response(200, op_body()))
    mock.get(WAIT_PATH).mock(return_value=json_response(200, failed_body()))

    op = await client.operations.get(OP_ID)
    with pytest.raises(errors.OperationFailedError) as caught:
        await op.wait()

    assert caught.value.operation is op
    assert caught.value.code == "BACKEND_UNAVAILABLE"
    assert caught.value.problem["detail"] == "qemu exited with status 1"
    assert op.state == "failed"


@pytest.mark.anyio
async def test_wait_times_out_on_the_injected_clock(
    client: vmkit.AsyncClient, mock: respx.MockRouter, fake_time: FakeTime
) -> None:
    """An operation that never finishes raises WaitTimeoutError once the timeout has passed."""
    mock.get(f"/v1/operations/{OP_ID}").mock(return_value=json_response(200, op_body()))
    route = mock.get(WAIT_PATH).mock(return_value=json_response(200, op_body(state="running")))

    op = await client.operations.get(OP_ID)
    with pytest.raises(errors.WaitTimeoutError) as caught:
        await op.wait(timeout=5, poll_interval=1.0)

    assert caught.value.operation is op
    assert caught.value.timeout == 5
    assert pytest.approx(sum(fake_time.sleeps)) == 5.0
    assert route.call_count == len(fake_time.sleeps) + 1
    assert isinstance(caught.value, TimeoutError)


@pytest.mark.anyio
async def test_operations_wait_by_id(client: vmkit.AsyncClient, mock: respx.MockRouter) -> None:
    """client.operations.wait(id) fetches the operation, then waits for it."""
    mock.get(f"/v1/operations/{OP_ID}").mock(return_value=json_response(200, op_body()))
    mock.get(WAIT_PATH).mock(return_value=json_response(200, done_body()))

    op = await client.operations.wait(OP_ID, timeout=10)

    assert op.state == "succeeded"


@pytest.mark.anyio
async def test_create_with_wait_returns_the_vm(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """create(wait=True) waits for the operation and returns the VM it targets."""
    vm_id = vm_body()["id"]
    mock.post("/v1/vms").mock(return_value=json_response(202, op_body(kind="vm.create")))
    mock.get(WAIT_PATH).mock(return_value=json_response(200, done_body(kind="vm.create")))
    get = mock.get(f"/v1/vms/{vm_id}").mock(return_value=json_response(200, vm_body()))

    vm = await client.vms.create("web-1", start=True, wait=True)

    assert isinstance(vm, vmkit.AsyncVM)
    assert (vm_id, "web-1", "running") == (vm.id, vm.name, vm.state)
    assert get.call_count == 1


@pytest.mark.anyio
async def test_handle_actions_update_the_handle(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """vm.stop(wait=True) returns the same handle with the re-read fields."""
    vm_id = vm_body()["id"]
    mock.get(f"/v1/vms/{vm_id}").mock(
        side_effect=[
            json_response(200, vm_body()),
            json_response(200, vm_body(state="stopped", state_reason="shutdown", ready=False)),
        ]
    )
    mock.post(f"/v1/vms/{vm_id}:stop").mock(return_value=json_response(202, op_body()))
    mock.get(WAIT_PATH).mock(return_value=json_response(200, done_body()))

    vm = await client.vms.get(vm_id)
    same = await vm.stop(wait=True)

    assert same is vm
    assert (vm.state, vm.state_reason, vm.ready) == ("stopped", "shutdown", False)
    twin = vmkit.AsyncVM(client, vm.model)
    assert (twin, hash(twin)) == (vm, hash(vm))


@pytest.mark.anyio
async def test_wait_for_polls_until_the_state(
    client: vmkit.AsyncClient, mock: respx.MockRouter, fake_time: FakeTime
) -> None:
    """wait_for re-reads the VM until it is in the wanted state."""
    states = ["starting", "starting", "running"]
    mock.get(f"/v1/vms/{vm_body()['id']}").mock(
        side_effect=[json_response(200, vm_body(state=s)) for s in ["stopped", *states]]
    )

    vm = await client.vms.get(vm_body()["id"])
    await vm.wait_for("running", timeout=30)

    assert vm.state == "running"
    assert len(fake_time.sleeps) == 2


@pytest.mark.anyio
async def test_wait_for_stops_on_error_and_on_timeout(
    client: vmkit.AsyncClient, mock: respx.MockRouter, fake_time: FakeTime
) -> None:
    """wait_for raises when the VM enters error, and WaitTimeoutError when time runs out."""
    mock.get("/v1/vms/vm_1").mock(
        side_effect=[
            json_response(200, vm_body(id="vm_1", state="starting")),
            json_response(200, vm_body(id="vm_1", state="error", state_reason="crashed")),
        ]
    )
    mock.get("/v1/vms/vm_2").mock(return_value=json_response(200, vm_body(id="vm_2", ready=False)))

    vm = await client.vms.get("vm_1")
    with pytest.raises(errors.VmkitError, match="crashed"):
        await vm.wait_for("running")
    other = await client.vms.get("vm_2")
    with pytest.raises(errors.WaitTimeoutError):
        await other.wait_ready(timeout=3, poll_interval=1)

    assert pytest.approx(sum(fake_time.sleeps)) == 3.0


@pytest.mark.anyio
async def test_snapshot_create_with_wait_returns_the_snapshot(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """vm.snapshot(wait=True) waits and fetches the snapshot named in the result."""
    vm_id = vm_body()["id"]
    snap = example("Snapshot")
    mock.get(f"/v1/vms/{vm_id}").mock(return_value=json_response(200, vm_body()))
    create = mock.post(f"/v1/vms/{vm_id}/snapshots").mock(
        return_value=json_response(202, op_body(kind="snapshot.create"))
    )
    mock.get(WAIT_PATH).mock(
        return_value=json_response(200, done_body(result={"snapshot_id": snap["id"]}))
    )
    mock.get(f"/v1/vms/{vm_id}/snapshots/{snap['id']}").mock(return_value=json_response(200, snap))

    vm = await client.vms.get(vm_id)
    taken = await vm.snapshot("before-upgrade", description="clean install", wait=True)

    assert (taken.name, taken.includes_memory) == ("before-upgrade", True)
    sent = json.loads(create.calls.last.request.content)
    assert sent == {"name": "before-upgrade", "description": "clean install"}
