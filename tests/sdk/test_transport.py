"""Transport-level unit tests with respx, run against both twins.

Every test body is written once; the ``twin`` fixture hands it either the async
transport or its generated sync twin behind the same awaitable ``request``. Sleeps are
recorded instead of slept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from vmkit import errors
from vmkit._async._transport import AsyncTransport
from vmkit._core.retry import RetryPolicy
from vmkit._sync._transport import SyncTransport

BASE = "http://vmkit.test"
KEY_RE = re.compile(r"ik_[0-9a-f]{32}")
POLICY = RetryPolicy(max_retries=2, backoff_base=0.5, jitter=0.0)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Run the async tests on asyncio."""
    return "asyncio"


class Twin:
    """One transport (async or sync) behind an awaitable ``request``, with recorded sleeps."""

    def __init__(
        self, kind: str, *, on_sleep: Callable[[float], None] | None = None, **kwargs: Any
    ) -> None:
        self.kind = kind
        self.sleeps: list[float] = []
        self._on_sleep = on_sleep
        options: dict[str, Any] = {"base_url": BASE, "token": "vmk_test", "policy": POLICY}
        options.update(kwargs)
        if kind == "async":

            async def arecord(seconds: float) -> None:
                self.record(seconds)

            self.async_transport = AsyncTransport(sleep=arecord, **options)
        else:
            self.sync_transport = SyncTransport(sleep=self.record, **options)

    def record(self, seconds: float) -> None:
        """The injected sleep: remember the delay instead of waiting."""
        self.sleeps.append(seconds)
        if self._on_sleep is not None:
            self._on_sleep(seconds)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send through whichever transport this twin wraps."""
        if self.kind == "async":
            return await self.async_transport.request(method, url, **kwargs)
        return self.sync_transport.request(method, url, **kwargs)

    async def close(self) -> None:
        """Close the transport."""
        if self.kind == "async":
            await self.async_transport.aclose()
        else:
            self.sync_transport.close()


@pytest.fixture(params=["async", "sync"])
async def make_twin(request: pytest.FixtureRequest) -> AsyncIterator[Callable[..., Twin]]:
    """A factory of twins of the parametrized kind, closed after the test."""
    made: list[Twin] = []

    def make(**kwargs: Any) -> Twin:
        twin = Twin(request.param, **kwargs)
        made.append(twin)
        return twin

    yield make
    for twin in made:
        await twin.close()


@pytest.fixture
def twin(make_twin: Callable[..., Twin]) -> Twin:
    """A twin with the default test policy."""
    return make_twin()


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    """A respx router for BASE; every test states its routes."""
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def problem(status: int, code: str, **extra: Any) -> httpx.Response:
    """A problem+json answer."""
    body = {"status": status, "title": "x", "code": code, **extra}
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})


async def test_success_sends_auth_and_user_agent(twin: Twin, mock: respx.MockRouter) -> None:
    """A 200 is returned as is, with the bearer token and User-Agent on the wire."""
    route = mock.get("/v1/vms").mock(return_value=httpx.Response(200, json={"items": []}))
    response = await twin.request("get", "/v1/vms", params={"page_size": 2})
    assert response.json() == {"items": []}
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == "Bearer vmk_test"
    assert sent.headers["User-Agent"].startswith("vmkit-python/")
    assert sent.url.params["page_size"] == "2"
    assert "Idempotency-Key" not in sent.headers


async def test_304_is_returned(twin: Twin, mock: respx.MockRouter) -> None:
    """Not Modified is a success for conditional reads."""
    mock.get("/v1/vms/web-1").mock(return_value=httpx.Response(304))
    assert (await twin.request("GET", "/v1/vms/web-1")).status_code == 304


async def test_post_gets_one_key_reused_on_every_attempt(
    twin: Twin, mock: respx.MockRouter
) -> None:
    """A minted Idempotency-Key is the same on all three attempts."""
    route = mock.post("/v1/vms").mock(
        side_effect=[problem(503, "BACKEND_UNAVAILABLE"), httpx.Response(502), httpx.Response(201)]
    )
    response = await twin.request("POST", "/v1/vms", json={"name": "web-1"})
    assert response.status_code == 201
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert route.call_count == 3
    assert len(keys) == 1
    assert KEY_RE.fullmatch(keys.pop())
    assert twin.sleeps == [0.5, 1.0]


async def test_keys_are_minted_for_post_only(twin: Twin, mock: respx.MockRouter) -> None:
    """GET, PATCH and DELETE carry no key unless given; each POST gets a new one."""
    mock.route(method__in=["GET", "PATCH", "DELETE"]).mock(return_value=httpx.Response(200))
    posts = mock.post("/v1/vms/web-1:start").mock(return_value=httpx.Response(202))
    for method in ("GET", "PATCH", "DELETE"):
        response = await twin.request(method, "/v1/vms/web-1")
        assert "Idempotency-Key" not in response.request.headers
    await twin.request("POST", "/v1/vms/web-1:start")
    await twin.request("POST", "/v1/vms/web-1:start")
    first, second = (call.request.headers["Idempotency-Key"] for call in posts.calls)
    assert first != second


async def test_given_key_and_if_match_are_sent(twin: Twin, mock: respx.MockRouter) -> None:
    """A caller's key (argument or header) is used as is, and If-Match is set."""
    route = mock.post("/v1/vms/web-1:stop").mock(return_value=httpx.Response(202))
    await twin.request("POST", "/v1/vms/web-1:stop", idempotency_key="ik_mine", if_match='"e1"')
    await twin.request("POST", "/v1/vms/web-1:stop", headers={"idempotency-key": "ik_hdr"})
    first, second = (call.request.headers for call in route.calls)
    assert (first["Idempotency-Key"], first["If-Match"]) == ("ik_mine", '"e1"')
    assert second["Idempotency-Key"] == "ik_hdr"


async def test_retry_after_is_honoured(twin: Twin, mock: respx.MockRouter) -> None:
    """The injected sleep receives the server's Retry-After."""
    mock.get("/v1/vms").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(503, headers={"Retry-After": "1.5"}),
            httpx.Response(200),
        ]
    )
    assert (await twin.request("GET", "/v1/vms")).status_code == 200
    assert twin.sleeps == [3.0, 1.5]


async def test_retry_after_beyond_the_deadline_gives_up(twin: Twin, mock: respx.MockRouter) -> None:
    """No sleep that outlasts the call's deadline: the 429 is raised at once."""
    route = mock.get("/v1/vms").mock(
        return_value=httpx.Response(
            429, json={"code": "RATE_LIMITED"}, headers={"Retry-After": "60"}
        )
    )
    with pytest.raises(errors.RateLimitError) as caught:
        await twin.request("GET", "/v1/vms", timeout=10)
    assert caught.value.retry_after == 60.0
    assert route.call_count == 1
    assert twin.sleeps == []


async def test_no_retry_on_vm_invalid_state(twin: Twin, mock: respx.MockRouter) -> None:
    """A 409 state conflict is raised after one attempt, with its metadata."""
    route = mock.post("/v1/vms/web-1:start").mock(
        return_value=problem(
            409,
            "VM_INVALID_STATE",
            detail="cannot start a running VM",
            metadata={"allowed_from": ["stopped"], "state": "running"},
        )
    )
    with pytest.raises(errors.VMStateError) as caught:
        await twin.request("POST", "/v1/vms/web-1:start")
    assert route.call_count == 1
    assert caught.value.allowed_from == ["stopped"]
    assert str(caught.value) == "409 VM_INVALID_STATE: cannot start a running VM"


async def test_500_is_retried_only_with_a_key(twin: Twin, mock: respx.MockRouter) -> None:
    """POST (always keyed) retries a 500; an unkeyed GET does not."""
    post = mock.post("/v1/vms").mock(side_effect=[httpx.Response(500), httpx.Response(201)])
    get = mock.get("/v1/vms").mock(return_value=httpx.Response(500))
    assert (await twin.request("POST", "/v1/vms", json={})).status_code == 201
    with pytest.raises(errors.InternalServerError):
        await twin.request("GET", "/v1/vms")
    assert (post.call_count, get.call_count) == (2, 1)


async def test_attempts_are_bounded_by_max_retries(twin: Twin, mock: respx.MockRouter) -> None:
    """Three attempts by policy, then the last error; max_retries=0 per call means one."""
    route = mock.get("/v1/vms").mock(return_value=problem(503, "BACKEND_UNAVAILABLE"))
    with pytest.raises(errors.BackendUnavailableError):
        await twin.request("GET", "/v1/vms")
    assert route.call_count == 3
    with pytest.raises(errors.BackendUnavailableError):
        await twin.request("GET", "/v1/vms", max_retries=0)
    assert route.call_count == 4
    assert twin.sleeps == [0.5, 1.0]


async def test_connection_error_is_retried(twin: Twin, mock: respx.MockRouter) -> None:
    """A refused connection never reached the server, so it is retried."""
    route = mock.post("/v1/vms").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(201)]
    )
    assert (await twin.request("POST", "/v1/vms", json={})).status_code == 201
    assert route.call_count == 2


async def test_connection_error_surfaces_typed(twin: Twin, mock: respx.MockRouter) -> None:
    """Once retries are spent, APIConnectionError is raised from the httpx error."""
    mock.get("/v1/vms").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(errors.APIConnectionError) as caught:
        await twin.request("GET", "/v1/vms")
    assert type(caught.value) is errors.APIConnectionError
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "ConnectError: refused" in str(caught.value)


async def test_timeout_becomes_api_timeout_error(twin: Twin, mock: respx.MockRouter) -> None:
    """A read timeout is an APITimeoutError; an unkeyed PATCH is not repeated."""
    route = mock.patch("/v1/vms/web-1").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(errors.APITimeoutError) as caught:
        await twin.request("PATCH", "/v1/vms/web-1", json={"labels": {}})
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert route.call_count == 1


async def test_read_timeout_of_an_idempotent_call_is_retried(
    twin: Twin, mock: respx.MockRouter
) -> None:
    """A GET that timed out reading may be asked again."""
    route = mock.get("/v1/vms").mock(side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200)])
    assert (await twin.request("GET", "/v1/vms")).status_code == 200
    assert route.call_count == 2


async def test_html_502_is_a_readable_internal_server_error(
    make_twin: Callable[..., Twin], mock: respx.MockRouter
) -> None:
    """A proxy's HTML page becomes an InternalServerError that quotes it."""
    twin = make_twin(policy=RetryPolicy(max_retries=0))
    html = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
    mock.get("/v1/vms").mock(
        return_value=httpx.Response(
            502, text=html, headers={"Content-Type": "text/html", "X-Request-Id": "req_7"}
        )
    )
    with pytest.raises(errors.InternalServerError) as caught:
        await twin.request("GET", "/v1/vms")
    assert caught.value.code == "HTTP_502"
    assert str(caught.value) == f"502 HTTP_502: {html} (request req_7)"


async def test_per_call_headers_do_not_leak(twin: Twin, mock: respx.MockRouter) -> None:
    """Headers, key and If-Match of one call are absent from the next."""
    route = mock.route().mock(return_value=httpx.Response(200))
    await twin.request("DELETE", "/v1/vms/a", headers={"X-Trace": "1"}, if_match='"e"')
    await twin.request("DELETE", "/v1/vms/b")
    second = route.calls.last.request.headers
    assert "X-Trace" not in second
    assert "If-Match" not in second
    assert second["Authorization"] == "Bearer vmk_test"


async def test_per_call_headers_can_override_defaults(twin: Twin, mock: respx.MockRouter) -> None:
    """A per-call header replaces the default of the same name for that call only."""
    route = mock.get("/v1/vms").mock(return_value=httpx.Response(200))
    await twin.request("GET", "/v1/vms", headers={"Authorization": "Bearer other"})
    assert route.calls.last.request.headers["Authorization"] == "Bearer other"


async def test_expired_deadline_is_not_sent(twin: Twin, mock: respx.MockRouter) -> None:
    """timeout=0 raises APITimeoutError without touching the network."""
    route = mock.get("/v1/vms").mock(return_value=httpx.Response(200))
    with pytest.raises(errors.APITimeoutError):
        await twin.request("GET", "/v1/vms", timeout=0)
    assert route.call_count == 0


async def test_deadline_limits_the_attempt_timeout(twin: Twin, mock: respx.MockRouter) -> None:
    """The call's timeout becomes the request's httpx timeout; None disables it."""
    route = mock.get("/v1/vms").mock(return_value=httpx.Response(200))
    await twin.request("GET", "/v1/vms", timeout=7)
    bounded = route.calls.last.request.extensions["timeout"]
    assert 0 < bounded["read"] <= 7
    await twin.request("GET", "/v1/vms", timeout=None)
    assert route.calls.last.request.extensions["timeout"]["read"] is None


async def test_clock_drives_the_deadline(
    make_twin: Callable[..., Twin], mock: respx.MockRouter
) -> None:
    """With a clock that advances while sleeping, retries stop at the deadline."""
    now = [0.0]

    def advance(seconds: float) -> None:
        now[0] += seconds

    twin = make_twin(
        clock=lambda: now[0],
        on_sleep=advance,
        timeout=2.0,
        policy=RetryPolicy(max_retries=5, jitter=0),
    )
    route = mock.get("/v1/vms").mock(return_value=httpx.Response(503))
    with pytest.raises(errors.BackendUnavailableError):
        await twin.request("GET", "/v1/vms")
    # 0.5 then 1.0 fit into 2 s; the next backoff (2.0) does not.
    assert route.call_count == 3
    assert twin.sleeps == [0.5, 1.0]


async def test_retries_are_logged(
    twin: Twin, mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    """Each retry logs method, URL, attempt and reason at INFO on 'vmkit'."""
    mock.get("/v1/vms").mock(side_effect=[httpx.Response(503), httpx.Response(200)])
    with caplog.at_level(logging.INFO, logger="vmkit"):
        await twin.request("GET", "/v1/vms")
    [record] = [r for r in caplog.records if r.name == "vmkit"]
    assert record.levelno == logging.INFO
    assert record.getMessage() == (
        f"retrying GET {BASE}/v1/vms after attempt 1 in 0.50s: 503 HTTP_503"
    )


async def test_user_supplied_client_is_used_and_not_closed(mock: respx.MockRouter) -> None:
    """http_client is used for sending and left open by aclose()."""
    mock.get("/v1/vms").mock(return_value=httpx.Response(200))
    async with httpx.AsyncClient() as http:
        async with AsyncTransport(
            base_url=BASE + "/", token=None, policy=POLICY, http_client=http
        ) as t:
            assert t.http is http
            response = await t.request("GET", "v1/vms")
            assert "Authorization" not in response.request.headers
        assert not http.is_closed
    with SyncTransport(base_url=BASE, token="vmk_x", policy=POLICY) as sync:
        assert sync.url_for("https://elsewhere/x") == "https://elsewhere/x"
        assert sync.default_headers["Authorization"] == "Bearer vmk_x"
        assert repr(sync) == f"SyncTransport(base_url='{BASE}')"
    assert sync.http.is_closed
