"""The fake Nemeton against its manual page: auth, routes, error bodies, time, events, MCP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fakes._support import serve_app
from fakes.nemeton import DEFAULT_TOKEN, FAKE_VERSION, create_app
from starlette.applications import Starlette
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from vmkit.peers.nemeton import AuthenticatedClient
from vmkit.peers.nemeton.api.console import (
    clear_console,
    execute_console_command,
    read_console,
    send_console,
)
from vmkit.peers.nemeton.api.snapshots import (
    create_snapshot,
    delete_snapshot,
    list_snapshots,
    restore_snapshot,
)
from vmkit.peers.nemeton.api.vms import force_stop_vm, get_vm, list_vms, start_vm
from vmkit.peers.nemeton.models import (
    ConsoleCommand,
    ConsoleInput,
    ConsoleOutput,
    Error,
    Snapshot,
    SnapshotCreate,
    Vm,
)

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
#: The 15 routes the page lists, with `:id` and `:sid` filled in later.
DOCUMENTED = [
    ("GET", "/api/v1/vms"),
    ("GET", "/api/v1/vms/{id}"),
    ("POST", "/api/v1/vms/{id}/start"),
    ("POST", "/api/v1/vms/{id}/stop"),
    ("POST", "/api/v1/vms/{id}/force-stop"),
    ("POST", "/api/v1/vms/{id}/pause"),
    ("POST", "/api/v1/vms/{id}/resume"),
    ("GET", "/api/v1/vms/{id}/snapshots"),
    ("POST", "/api/v1/vms/{id}/snapshots"),
    ("POST", "/api/v1/vms/{id}/snapshots/{sid}/restore"),
    ("DELETE", "/api/v1/vms/{id}/snapshots/{sid}"),
    ("GET", "/api/v1/vms/{id}/console"),
    ("POST", "/api/v1/vms/{id}/console"),
    ("POST", "/api/v1/vms/{id}/console/execute"),
    ("DELETE", "/api/v1/vms/{id}/console"),
]
#: The event types the page lists.
EVENT_TYPES = {
    "vm.started", "vm.stopped", "vm.paused", "vm.resumed", "vm.error",
    "snapshot.created", "snapshot.restored", "snapshot.deleted", "console.output",
    "download.started", "download.completed", "download.failed",
}  # fmt: skip


@pytest.fixture
def app() -> Starlette:
    """A fresh fake, with steps short enough for tests."""
    return create_app(step_seconds=0.01)


@pytest.fixture
def api(app: Starlette) -> Iterator[httpx.Client]:
    """An authenticated client of the fake on a real socket."""
    with serve_app(app) as url, httpx.Client(base_url=url, headers=AUTH, timeout=10) as client:
        yield client


def new_vm(api: httpx.Client, name: str = "ci-1") -> dict[str, Any]:
    """A VM made the way Nemeton's app makes one (the API documents no create)."""
    response = api.post("/_fake/vms", json={"name": name, "cpuCount": 4})
    assert 201 == response.status_code
    body: dict[str, Any] = response.json()
    return body


class Events:
    """An SSE subscription to `/api/v1/events`, read one event at a time."""

    def __init__(self, api: httpx.Client) -> None:
        self._cm = api.stream("GET", "/api/v1/events")
        self.response = self._cm.__enter__()
        self._lines = self.response.iter_lines()
        assert ": subscribed" == next(self._lines)

    def next(self) -> tuple[str, dict[str, Any]]:
        """The next event's type and data."""
        kind = data = None
        for line in self._lines:
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
            elif not line and kind is not None and data is not None:
                return kind, data
        raise AssertionError("the event stream ended")

    def until(self, kind: str) -> list[str]:
        """Every event type up to and including the first `kind`."""
        seen = []
        while not seen or seen[-1] != kind:
            seen.append(self.next()[0])
        return seen

    def close(self) -> None:
        """End the subscription."""
        self._cm.__exit__(None, None, None)


@pytest.fixture
def events(api: httpx.Client) -> Iterator[Events]:
    """A live SSE subscription."""
    sub = Events(api)
    try:
        yield sub
    finally:
        sub.close()


def test_every_route_refuses_a_missing_or_wrong_token(api: httpx.Client) -> None:
    """Each documented route, the events feed, docs and MCP answer 401 with an error body."""
    vm = new_vm(api)
    routes = [
        *DOCUMENTED,
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/docs"),
        ("GET", "/api/v1/openapi.json"),
        ("POST", "/mcp"),
    ]
    for method, path in routes:
        url = path.format(id=vm["id"], sid="snap-1")
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": DEFAULT_TOKEN}):
            response = httpx.request(method, f"{api.base_url}{url}", headers=headers)
            assert (401, "missing or invalid bearer token") == (
                response.status_code,
                response.json()["error"],
            ), (method, url, headers)


def test_the_websocket_feed_needs_the_token_too(api: httpx.Client) -> None:
    """Without the header the handshake is refused; with it, events arrive as JSON."""
    ws_url = str(api.base_url).replace("http://", "ws://") + "/api/v1/events"
    with pytest.raises(InvalidStatus):
        connect(ws_url, open_timeout=5)
    vm = new_vm(api)
    with connect(ws_url, additional_headers=AUTH, open_timeout=5) as ws:
        # the subscription exists once the handshake is done
        api.post(f"/api/v1/vms/{vm['id']}/start")
        received = [json.loads(ws.recv(timeout=5)) for _ in range(2)]
    assert {"event": "vm.started", "vmId": vm["id"]} in received


def test_errors_are_json_with_a_message(api: httpx.Client) -> None:
    """404 (VM, snapshot, path), 405, 409 and 400 all answer `{"error": "..."}`."""
    vm = new_vm(api)
    base = f"/api/v1/vms/{vm['id']}"
    cases = [
        (404, api.get("/api/v1/vms/nope")),
        (404, api.post(f"{base}/snapshots/nope/restore")),
        (404, api.get("/api/v1/nothing-here")),
        (405, api.put("/api/v1/vms")),
        (409, api.post(f"{base}/pause")),
        (409, api.post(f"{base}/console", json={"text": "x"})),
        (400, api.post(f"{base}/console/execute", content=b"not json")),
    ]
    for status, response in cases:
        assert status == response.status_code, response.request.url
        assert isinstance(response.json()["error"], str)
        assert response.json()["error"]


def test_a_start_takes_a_step_and_runs_the_vm(api: httpx.Client, events: Events) -> None:
    """Start answers 200 with the VM running; the feed says vm.started; a second start is 409."""
    vm = new_vm(api)
    started = api.post(f"/api/v1/vms/{vm['id']}/start")
    assert (200, "running") == (started.status_code, started.json()["state"])
    assert "vm.started" == events.until("vm.started")[-1]
    assert 409 == api.post(f"/api/v1/vms/{vm['id']}/start").status_code


def test_an_acpi_stop_answers_at_once_and_the_guest_powers_off_later(
    api: httpx.Client, events: Events
) -> None:
    """Stop (ACPI) answers 202 with the VM still running; vm.stopped comes when the guest obeys."""
    vm = new_vm(api)
    api.post(f"/api/v1/vms/{vm['id']}/start")
    events.until("vm.started")
    answer = api.post(f"/api/v1/vms/{vm['id']}/stop")
    assert (202, "running") == (answer.status_code, answer.json()["state"])
    assert "vm.stopped" == events.until("vm.stopped")[-1]
    assert "stopped" == api.get(f"/api/v1/vms/{vm['id']}").json()["state"]


def test_states_follow_the_lifecycle(api: httpx.Client) -> None:
    """pause → paused, resume → running, force-stop → stopped; each refused where it cannot be."""
    vm = new_vm(api)
    base = f"/api/v1/vms/{vm['id']}"
    assert 409 == api.post(f"{base}/force-stop").status_code
    api.post(f"{base}/start")
    assert "paused" == api.post(f"{base}/pause").json()["state"]
    assert 409 == api.post(f"{base}/stop").status_code
    assert "running" == api.post(f"{base}/resume").json()["state"]
    assert "stopped" == api.post(f"{base}/force-stop").json()["state"]
    listed = api.get("/api/v1/vms").json()
    assert [{**vm, "state": "stopped"}] == listed


def test_a_failed_boot_shows_error(app: Starlette, api: httpx.Client, events: Events) -> None:
    """A VM that fails to start is `error`, announced by vm.error; it can be started again."""
    vm = new_vm(api)
    app.state.nemeton.vms[vm["id"]].fails_boot = True
    assert "error" == api.post(f"/api/v1/vms/{vm['id']}/start").json()["state"]
    assert "vm.error" == events.until("vm.error")[-1]
    assert "running" == api.post(f"/api/v1/vms/{vm['id']}/start").json()["state"]


def test_snapshots_round_trip(api: httpx.Client, events: Events) -> None:
    """Create (named or not), list, restore (stopped only), delete; each announced."""
    vm = new_vm(api)
    base = f"/api/v1/vms/{vm['id']}/snapshots"
    named = api.post(base, json={"name": "before"})
    assert (201, "before") == (named.status_code, named.json()["name"])
    unnamed = api.post(base).json()
    assert unnamed["name"]
    assert [named.json(), unnamed] == api.get(base).json()
    api.post(f"/api/v1/vms/{vm['id']}/start")
    assert 409 == api.post(f"{base}/{unnamed['id']}/restore").status_code
    api.post(f"/api/v1/vms/{vm['id']}/force-stop")
    restored = api.post(f"{base}/{unnamed['id']}/restore")
    assert (200, "stopped") == (restored.status_code, restored.json()["state"])
    assert 204 == api.delete(f"{base}/{unnamed['id']}").status_code
    assert 404 == api.delete(f"{base}/{unnamed['id']}").status_code
    assert [named.json()] == api.get(base).json()
    kinds = events.until("snapshot.deleted")
    assert {"snapshot.created", "snapshot.restored", "snapshot.deleted"} <= set(kinds)


def test_the_console_reads_sends_executes_and_clears(api: httpx.Client) -> None:
    """Boot output is buffered; text is echoed; execute answers the output; clear empties it."""
    vm = new_vm(api)
    base = f"/api/v1/vms/{vm['id']}/console"
    api.post(f"/api/v1/vms/{vm['id']}/start")
    assert "login: " in api.get(base).json()["output"]
    assert 204 == api.post(base, json={"text": "echo typed\n"}).status_code
    assert api.get(base).json()["output"].endswith("echo typed\ntyped\r\n")
    assert {"output": "hello world\r\n"} == api.post(
        f"{base}/execute", json={"command": "echo hello world"}
    ).json()
    assert 204 == api.delete(base).status_code
    assert {"output": ""} == api.get(base).json()
    api.post(f"/api/v1/vms/{vm['id']}/force-stop")
    assert 409 == api.post(f"{base}/execute", json={"command": "true"}).status_code


def test_every_event_is_a_documented_type(api: httpx.Client, events: Events) -> None:
    """What the feed sends over a whole lifecycle is among the types the page lists."""
    vm = new_vm(api)
    base = f"/api/v1/vms/{vm['id']}"
    for action in ("start", "pause", "resume", "force-stop"):
        api.post(f"{base}/{action}")
    api.post(f"{base}/snapshots")
    kinds = events.until("snapshot.created")
    assert set(kinds) <= EVENT_TYPES
    assert {"vm.started", "vm.paused", "vm.resumed", "vm.stopped", "console.output"} <= set(kinds)


def test_mcp_speaks_json_rpc_with_the_documented_tools(api: httpx.Client) -> None:
    """tools/list names the page's tools; tools/call runs list_vms; unknown methods are -32601."""

    def rpc(method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": params or {}}
        answer: dict[str, Any] = api.post("/mcp", json=body).json()
        assert ("2.0", 7) == (answer["jsonrpc"], answer["id"])
        return answer

    vm = new_vm(api)
    names = {tool["name"] for tool in rpc("tools/list")["result"]["tools"]}
    assert {
        "list_vms", "start_vm", "stop_vm", "send_console", "read_console", "take_screenshot",
        "create_snapshot", "clone_vm", "resize_disk", "get_host_info",
    } == names  # fmt: skip
    listed = rpc("tools/call", {"name": "list_vms", "arguments": {}})["result"]
    assert [vm] == json.loads(listed["content"][0]["text"])
    assert -32601 == rpc("nothing/here")["error"]["code"]


def test_docs_and_openapi_are_served(api: httpx.Client) -> None:
    """Redoc at /api/v1/docs; /api/v1/openapi.json lists every documented route."""
    assert "<redoc" in api.get("/api/v1/docs").text
    doc = api.get("/api/v1/openapi.json").json()
    assert FAKE_VERSION == doc["info"]["version"]
    for method, path in DOCUMENTED:
        assert method.lower() in doc["paths"][path], path


def test_the_generated_client_parses_every_answer(api: httpx.Client) -> None:
    """`vmkit.peers.nemeton`, used on its own, gets the spec's models back from the fake."""
    vm_id = new_vm(api)["id"]
    with AuthenticatedClient(base_url=str(api.base_url), token=DEFAULT_TOKEN) as nemeton:
        assert [vm_id] == [vm.id for vm in list_vms.sync(client=nemeton) or []]
        assert isinstance(start_vm.sync(vm_id, client=nemeton), Vm)
        output = execute_console_command.sync(
            vm_id, client=nemeton, body=ConsoleCommand(command="hostname")
        )
        assert isinstance(output, ConsoleOutput)
        assert "ci-1\r\n" == output.output
        sent = send_console.sync_detailed(vm_id, client=nemeton, body=ConsoleInput(text="x"))
        assert 204 == sent.status_code
        assert isinstance(read_console.sync(vm_id, client=nemeton), ConsoleOutput)
        assert 204 == clear_console.sync_detailed(vm_id, client=nemeton).status_code
        snap = create_snapshot.sync(vm_id, client=nemeton, body=SnapshotCreate(name="s"))
        assert isinstance(snap, Snapshot)
        assert isinstance(restore_snapshot.sync(vm_id, snap.id, client=nemeton), Error)
        assert isinstance(force_stop_vm.sync(vm_id, client=nemeton), Vm)
        assert isinstance(restore_snapshot.sync(vm_id, snap.id, client=nemeton), Vm)
        assert [snap.id] == [s.id for s in list_snapshots.sync(vm_id, client=nemeton) or []]
        assert 204 == delete_snapshot.sync_detailed(vm_id, snap.id, client=nemeton).status_code
        missing = get_vm.sync("nope", client=nemeton)
        assert isinstance(missing, Error)
        assert missing.error
