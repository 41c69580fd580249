"""Per-call options (timeout, headers, max_retries) and client.with_options, against respx."""

from __future__ import annotations

import httpx
import pytest
import respx
from client_helpers import BASE_URL, TOKEN, FakeTime, json_response, op_body, vm_body

import vmkit
from vmkit import errors

pytestmark = pytest.mark.anyio


async def test_per_call_headers_reach_the_wire_and_only_that_call(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """headers= is sent with that one call, on reads and on actions alike."""
    get = mock.get("/v1/vms/web-1").mock(return_value=json_response(200, vm_body()))
    start = mock.post("/v1/vms/web-1:start").mock(return_value=json_response(202, op_body()))

    await client.vms.get("web-1", headers={"X-Trace": "t-1"})
    await client.vms.start("web-1", headers={"X-Trace": "t-2"})
    await client.vms.get("web-1")

    assert ["t-1", None] == [c.request.headers.get("X-Trace") for c in get.calls]
    assert "t-2" == start.calls.last.request.headers["X-Trace"]
    assert start.calls.last.request.headers["Idempotency-Key"].startswith("ik_")


async def test_per_call_max_retries_overrides_the_client(
    client: vmkit.AsyncClient, mock: respx.MockRouter, fake_time: FakeTime
) -> None:
    """max_retries=0 on a call: one attempt; the client's default (2): three."""
    route = mock.get("/v1/vms/web-1").mock(return_value=httpx.Response(503))

    with pytest.raises(errors.BackendUnavailableError):
        await client.vms.get("web-1", max_retries=0)
    assert 1 == route.call_count

    with pytest.raises(errors.BackendUnavailableError):
        await client.vms.get("web-1")
    assert 1 + 3 == route.call_count


async def test_action_max_retries_counts_attempts(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """An action with max_retries=4 makes five attempts with one idempotency key."""
    route = mock.post("/v1/vms/web-1:stop").mock(return_value=httpx.Response(503))
    with pytest.raises(errors.BackendUnavailableError):
        await client.vms.stop("web-1", max_retries=4)
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert (5, 1) == (route.call_count, len(keys))


async def test_per_call_timeout_limits_the_attempts(
    client: vmkit.AsyncClient, mock: respx.MockRouter, fake_time: FakeTime
) -> None:
    """timeout= is the call's deadline, retries included: Retry-After beyond it gives up."""
    route = mock.get("/v1/hosts").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "20"})
    )
    with pytest.raises(errors.BackendUnavailableError):
        await client.hosts.list(timeout=5)
    assert 1 == route.call_count


async def test_with_options_is_a_copy_sharing_the_pool(fake_time: FakeTime) -> None:
    """with_options changes defaults on a copy; closing the copy leaves the pool open."""
    with respx.mock(base_url=BASE_URL) as mock:
        route = mock.get("/v1/vms/web-1").mock(return_value=httpx.Response(503))
        async with vmkit.AsyncClient(
            BASE_URL, TOKEN, sleep=fake_time.asleep, clock=fake_time.clock
        ) as client:
            patient = client.with_options(max_retries=5, headers={"X-Team": "qa"})
            assert patient is not client and patient._transport.http is client._transport.http
            assert repr(client) == repr(patient)

            with pytest.raises(errors.BackendUnavailableError):
                await patient.vms.get("web-1")
            assert 6 == route.call_count
            assert all(c.request.headers["X-Team"] == "qa" for c in route.calls)

            with pytest.raises(errors.BackendUnavailableError):
                await client.vms.get("web-1")
            assert 6 + 3 == route.call_count
            assert "X-Team" not in route.calls.last.request.headers

            await patient.aclose()
            assert not client._transport.http.is_closed
        assert client._transport.http.is_closed


def test_sync_twin_takes_the_same_options() -> None:
    """The sync client sends per-call headers and honours with_options(max_retries=0)."""
    with respx.mock(base_url=BASE_URL) as mock:
        get = mock.get("/v1/vms/web-1").mock(return_value=json_response(200, vm_body()))
        fail = mock.get("/v1/hosts").mock(return_value=httpx.Response(502))
        with vmkit.Client(BASE_URL, TOKEN, sleep=lambda _: None) as client:
            vm = client.vms.get("web-1", headers={"X-Trace": "s"}, timeout=3)
            assert "s" == get.calls.last.request.headers["X-Trace"]
            assert "web-1" == vm.name
            with pytest.raises(errors.InternalServerError):
                client.with_options(max_retries=0).hosts.list()
            assert 1 == fail.call_count
