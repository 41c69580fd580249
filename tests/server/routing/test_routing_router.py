"""SpecRouter: matching, 404/405, HEAD, request ids, errors, auth and construction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from routing_helpers import GOOD_TOKEN, SPEC, ErrorLog, echo, handlers

from vmkit_server.routing import SpecRouter

pytestmark = pytest.mark.anyio

PROBLEM_JSON = "application/problem+json"


async def test_plain_get_reaches_its_handler(client: httpx.AsyncClient) -> None:
    """A template with a parameter is matched and the handler gets the parameter."""
    response = await client.get("/v1/vms/web-1")
    assert response.status_code == 200
    assert response.json()["operation"] == "getVm"
    assert response.json()["path"] == {"vm": "web-1"}
    assert response.json()["principal"] == "alice"


async def test_colon_verb_is_its_own_route(client: httpx.AsyncClient) -> None:
    """`/v1/vms/x:start` is the action, never getVm with vm='x:start'."""
    response = await client.post("/v1/vms/web-1:start")
    assert (response.status_code, response.json()["operation"]) == (200, "startVm")
    assert response.json()["path"] == {"vm": "web-1"}


async def test_unknown_verb_is_404(client: httpx.AsyncClient) -> None:
    """A misspelt custom method is no route at all."""
    response = await client.post("/v1/vms/web-1:stat")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["code"] == "NOT_FOUND"
    assert body["type"] == "urn:vmkit:problem:not-found"
    assert body["status"] == 404
    assert body["instance"] == "/v1/vms/web-1:stat"


@pytest.mark.parametrize("path", ["/nope", "/v1/vms/", "/v1/vms/a/b", "/v1/vms/a/snapshots/b"])
async def test_unknown_paths_are_404(client: httpx.AsyncClient, path: str) -> None:
    """Paths the spec does not describe answer 404 problem+json."""
    response = await client.get(path)
    assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")


async def test_nested_verb_route(client: httpx.AsyncClient) -> None:
    """Two parameters and a verb in one template."""
    response = await client.post("/v1/vms/web-1/snapshots/before:restore")
    assert response.json()["operation"] == "restoreSnapshot"
    assert response.json()["path"] == {"vm": "web-1", "snapshot": "before"}


async def test_path_params_are_percent_decoded(client: httpx.AsyncClient) -> None:
    """An encoded character in a segment is decoded before validation."""
    response = await client.post("/v1/vms/web-1/snapshots/a%20b:restore")
    assert response.json()["path"]["snapshot"] == "a b"


async def test_wrong_method_is_405_with_allow(client: httpx.AsyncClient) -> None:
    """A path that exists without this method answers 405 and lists the spec's methods."""
    response = await client.put("/v1/vms/web-1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, DELETE, HEAD"
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"
    action = await client.get("/v1/vms/web-1:start")
    assert (action.status_code, action.headers["allow"]) == (405, "POST")


async def test_head_runs_get_without_body(client: httpx.AsyncClient) -> None:
    """HEAD on a GET route answers the GET's headers and no body."""
    get = await client.get("/healthz")
    head = await client.head("/healthz")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


async def test_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    """A sane X-Request-Id is kept, in the header and in the handler's call."""
    response = await client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.json()["request_id"] == "abc-123"


@pytest.mark.parametrize("sent", ["", "bad id with spaces", "x" * 200])
async def test_insane_request_id_is_replaced(client: httpx.AsyncClient, sent: str) -> None:
    """An empty, odd or huge X-Request-Id is replaced by a generated one."""
    response = await client.get("/healthz", headers={"X-Request-Id": sent})
    generated = response.headers["x-request-id"]
    assert generated != sent
    assert generated.startswith("req_")


async def test_every_problem_carries_the_request_id(client: httpx.AsyncClient) -> None:
    """Problems repeat the id in the header and the body."""
    response = await client.get("/nope")
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_handler_problem_becomes_problem_json(client: httpx.AsyncClient) -> None:
    """A ProblemError from a handler keeps its status, code and metadata."""
    response = await client.post("/v1/vms/web-1:fail")
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["code"] == "VM_INVALID_STATE"
    assert body["type"] == "urn:vmkit:problem:vm-invalid-state"
    assert body["title"] == "Conflict"
    assert body["metadata"] == {"allowed_from": ["stopped"]}


async def test_crash_is_500_without_stack_trace(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, error_log: ErrorLog
) -> None:
    """An unexpected exception is logged with its traceback; the client sees only the id."""
    with caplog.at_level(logging.ERROR, logger="vmkit_server"):
        response = await client.get("/boom", headers={"X-Request-Id": "req-500"})
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "INTERNAL_ERROR"
    assert body["detail"] == "internal error; see the server log for request req-500"
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    [record] = caplog.records
    assert "req-500" in record.getMessage()
    assert record.exc_info is not None
    assert [type(exc) for exc, _ in error_log] == [RuntimeError]


async def test_missing_token_is_401_before_body_validation(client: httpx.AsyncClient) -> None:
    """Without a token an invalid body is not looked at: 401, and no schema details."""
    response = await client.post(
        "/v1/vms", json={"bogus": True}, headers={"Authorization": "Bearer wrong"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "UNAUTHENTICATED"
    assert "errors" not in body
    assert "bogus" not in response.text


async def test_security_empty_skips_authentication(router: SpecRouter) -> None:
    """`security: []` operations work without a token; the principal is None."""
    transport = httpx.ASGITransport(app=router)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as anonymous:
        health = await anonymous.get("/healthz")
        vm = await anonymous.get("/v1/vms/web-1")
    assert (health.status_code, health.json()["principal"]) == (200, None)
    assert vm.status_code == 401


async def test_operations_are_described(router: SpecRouter) -> None:
    """The router exposes each operation's info, with effective security."""
    health = router.operations["getHealth"]
    assert (health.method, health.path_template, health.security) == ("GET", "/healthz", ())
    start = router.operations["startVm"]
    assert start.security == ({"bearerAuth": []},)
    assert start.path_template == "/v1/vms/{vm}:start"


def test_missing_handler_fails_construction() -> None:
    """Every operation in the spec needs a handler: the spec comes first."""
    table = handlers()
    del table["startVm"]
    del table["getVm"]
    with pytest.raises(ValueError, match="without a handler: getVm, startVm"):
        SpecRouter(SPEC, table)


def test_handler_without_operation_fails_construction() -> None:
    """A handler for an operation the spec lacks is a mistake too."""
    table = handlers()
    table["launchRocket"] = echo
    with pytest.raises(ValueError, match="spec lacks: launchRocket"):
        SpecRouter(SPEC, table)


async def test_fallback_serves_undescribed_paths(make_router: Callable[..., SpecRouter]) -> None:
    """With a fallback app, paths outside the spec go there instead of a 404."""
    seen: list[str] = []

    async def fallback(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    transport = httpx.ASGITransport(app=make_router(fallback=fallback))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/metrics", headers={"Authorization": f"Bearer {GOOD_TOKEN}"})
    assert (response.status_code, seen) == (204, ["/metrics"])
