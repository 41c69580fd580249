"""The event stream over WebSocket (/v1/events/ws): the same frames, the same token rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from events_helpers import wait_op
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from vmkit_server.testing import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("events-ws") / "data", reconcile_interval=60)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        yield client


def _ws(server: RunningServer, query: str = "", token: str | None = None) -> ClientConnection:
    url = server.url.replace("http://", "ws://") + "/v1/events/ws" + query
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return connect(url, additional_headers=headers, proxy=None, open_timeout=10)


def _next(ws: ClientConnection) -> dict[str, Any]:
    message = ws.recv(timeout=10)
    assert isinstance(message, str)
    body: dict[str, Any] = json.loads(message)
    return body


def _token(http: httpx.Client, scope: str) -> str:
    created = http.post("/v1/tokens", json={"name": scope, "scopes": [scope]})
    secret: str = created.json()["secret"]
    return secret


def test_events_arrive_as_json_messages(server: RunningServer, http: httpx.Client) -> None:
    """Each event is one text message {id, event, data} whose data is the Event of the log."""
    with _ws(server, "?types=vm.created", token=server.token) as ws:
        wait_op(http, http.post("/v1/vms", json={"name": "ws-1"}))
        message = _next(ws)
    [logged] = http.get("/v1/events", params={"types": "vm.created", "vm": "ws-1"}).json()["items"]
    assert {"id": logged["id"], "event": "vm.created", "data": logged} == message


def test_the_token_may_come_as_a_query_parameter(server: RunningServer, http: httpx.Client) -> None:
    """Browsers cannot set headers on a WebSocket: ?token= works, and resuming too."""
    first = http.get("/v1/events", params={"page_size": 1}).json()["items"][0]
    with _ws(server, f"?token={_token(http, 'read')}&last_event_id={first['id'] - 1}") as ws:
        message = _next(ws)
    assert first == message["data"]


def test_heartbeats_fill_the_silence(server: RunningServer) -> None:
    """After heartbeat_seconds without events a heartbeat message comes."""
    with _ws(server, "?types=host.never&heartbeat_seconds=0.05", token=server.token) as ws:
        assert {"event": "heartbeat"} == _next(ws)


def test_an_unknown_id_gets_a_reset_message(server: RunningServer) -> None:
    """The reset notice has the same shape as over SSE."""
    with _ws(server, "?last_event_id=1000000000", token=server.token) as ws:
        message = _next(ws)
    assert ("reset", "unknown_id") == (message["event"], message["data"]["reason"])


@pytest.mark.parametrize(
    ("who", "query", "status", "code"),
    [
        ("nobody", "", 401, "UNAUTHENTICATED"),
        ("connect", "", 403, "PERMISSION_DENIED"),
        ("admin", "?types=NOPE", 422, "VALIDATION_FAILED"),
        ("admin", "?page_size=3", 422, "VALIDATION_FAILED"),
        ("admin", "?vm=no-such-vm", 404, "VM_NOT_FOUND"),
    ],
)
def test_refusals_are_problem_answers_before_the_handshake(
    server: RunningServer, http: httpx.Client, who: str, query: str, status: int, code: str
) -> None:
    """No token, the wrong scope, bad parameters: an HTTP problem, no WebSocket."""
    tokens = {"nobody": None, "admin": server.token}
    token = tokens[who] if who in tokens else _token(http, who)
    with pytest.raises(InvalidStatus) as refused:
        _ws(server, query, token=token)
    response = refused.value.response
    assert status == response.status_code
    assert code == json.loads(response.body or b"{}")["code"]


def test_shutting_down_closes_the_websocket(tmp_path: Path) -> None:
    """The server closes open WebSockets when it stops, and stops promptly."""
    running = start_server(tmp_path / "data")
    try:
        with _ws(running, "?types=host.never", token=running.token) as ws:
            running.stop()
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
    finally:
        running.stop()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code in {1001, 1012}
    assert not running._thread.is_alive()
