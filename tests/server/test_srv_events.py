"""GET /v1/events over a real socket: JSON pages, filters, the SSE stream, resuming, resets."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from events_helpers import SSE, frames, take_events, wait_op

from vmkit_server.testing import RunningServer, start_server

_names = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("events") / "data", reconcile_interval=60)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token; reads give up after 10 s without a byte."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        yield client


def _vm(http: httpx.Client, *, start: bool = False) -> dict[str, Any]:
    name = f"ev-{next(_names)}"
    created = wait_op(http, http.post("/v1/vms", json={"name": name, "start": start}))
    return {"name": name, "id": created["target"]["id"]}


def _log(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """Every event the JSON pages give for these parameters, following the tokens."""
    items: list[dict[str, Any]] = []
    params = {"page_size": 1000, **params}
    while True:
        page = http.get("/v1/events", params=params)
        assert 200 == page.status_code, page.text
        items += page.json()["items"]
        token = page.json()["next_page_token"]
        if token is None:
            return items
        params["page_token"] = token


def _newest(http: httpx.Client) -> int:
    return int(_log(http)[-1]["id"])


def _prune_before(server: RunningServer, event: dict[str, Any]) -> None:
    """Delete every event older than `event` (as the retention pass would)."""
    keep_after = datetime.fromisoformat(event["time"])

    def prune() -> int:
        with server.app.store.tx() as tx:
            return tx.prune_events(keep_after)

    server.call(prune)


def test_pages_follow_their_tokens_oldest_first(http: httpx.Client) -> None:
    """Small pages chained by next_page_token give the same events as one big page."""
    _vm(http)
    everything = _log(http)
    paged = _log(http, page_size=2)
    ids = [e["id"] for e in paged]
    assert [e["id"] for e in everything] == ids
    assert sorted(set(ids)) == ids
    first = http.get("/v1/events", params={"page_size": 2}).json()
    assert 2 == len(first["items"]) and first["next_page_token"] is not None


def test_since_and_the_filters_narrow_the_page(http: httpx.Client) -> None:
    """`since` is exclusive; `types` takes exact types and prefixes; `vm` takes a name or id."""
    before = _newest(http)
    vm = _vm(http, start=True)
    _vm(http)
    after = _log(http, since=before)
    assert all(e["id"] > before for e in after)
    by_name = _log(http, since=before, vm=vm["name"])
    by_id = _log(http, since=before, vm=vm["id"])
    assert by_name == by_id == [e for e in after if e["vm_id"] == vm["id"]]
    vm_types = {e["type"] for e in _log(http, since=before, types="vm.*")}
    assert {"vm.created", "vm.state_changed"} <= vm_types
    assert all(t.startswith("vm.") for t in vm_types)
    two = _log(http, since=before, types=["vm.created", "operation.finished"])
    assert {"vm.created", "operation.finished"} == {e["type"] for e in two}


def test_each_event_has_the_api_shape_and_the_new_etag(http: httpx.Client) -> None:
    """An event names its subject and carries the resource with the ETag a GET shows."""
    vm = _vm(http)
    updated = http.patch(f"/v1/vms/{vm['name']}", json={"labels": {"k": "v"}})
    [event] = _log(http, vm=vm["id"], types="vm.updated")
    assert {"id", "type", "time", "subject_type", "subject_id", "vm_id", "data"} == set(event)
    assert ("vm", vm["id"], vm["id"]) == (
        event["subject_type"],
        event["subject_id"],
        event["vm_id"],
    )
    assert updated.headers["ETag"] == event["data"]["vm"]["etag"]


def test_bad_filters_and_tokens_are_refused(http: httpx.Client) -> None:
    """An unknown VM name is 404; a bad pattern, VM reference or page token is 422."""
    assert 404 == http.get("/v1/events", params={"vm": "no-such-vm"}).status_code
    for params in ({"types": "VM.*"}, {"types": "vm.*.x"}, {"vm": "Bad_Name"}, {"since": -1}):
        answer = http.get("/v1/events", params=params)
        assert (422, "VALIDATION_FAILED") == (answer.status_code, answer.json()["code"]), params
    answer = http.get("/v1/events", params={"page_token": "not-ours"})
    assert (422, "/page_token") == (answer.status_code, answer.json()["errors"][0]["pointer"])


def test_the_stream_sends_id_event_and_the_event_as_data(http: httpx.Client) -> None:
    """SSE: a retry hint first, then one frame per event: id, event = type, data = the Event."""
    before = _newest(http)
    vm = _vm(http)
    expected = _log(http, since=before)
    params = {"last_event_id": before}
    with http.stream("GET", "/v1/events", params=params, headers=SSE) as response:
        assert 200 == response.status_code
        assert "text/event-stream" == response.headers["content-type"].split(";")[0]
        assert "no-store" == response.headers["cache-control"]
        blocks = frames(response)
        assert [("retry", "1000")] == next(blocks).fields
        got = [next(blocks) for _ in expected]
    assert [(str(e["id"]), e["type"]) for e in expected] == [
        (f.get("id"), f.get("event")) for f in got
    ]
    assert expected == [f.data for f in got]
    assert vm["id"] in {f.data["vm_id"] for f in got}


def test_a_quiet_stream_sends_heartbeat_comments(http: httpx.Client) -> None:
    """Without events to send, a comment line every heartbeat_seconds keeps proxies happy."""
    params = {"types": "host.never", "heartbeat_seconds": 0.05}
    with http.stream("GET", "/v1/events", params=params, headers=SSE) as response:
        blocks = frames(response)
        next(blocks)  # the retry hint
        beats = [next(blocks), next(blocks)]
    assert [["heartbeat"], ["heartbeat"]] == [b.comments for b in beats]
    assert [[], []] == [b.fields for b in beats]


def test_the_live_tail_starts_now_and_filters_apply(http: httpx.Client) -> None:
    """Without Last-Event-ID only later events come, and only those the filters let through."""
    vm = _vm(http)
    params = {"types": "vm.updated", "vm": vm["name"]}
    with http.stream("GET", "/v1/events", params=params, headers=SSE) as response:
        blocks = frames(response)
        _vm(http)  # another VM: filtered out
        http.patch(f"/v1/vms/{vm['name']}", json={"labels": {"n": "1"}})
        [frame] = take_events(blocks, 1)
    assert ("vm.updated", vm["id"]) == (frame.get("event"), frame.data["vm_id"])
    assert {"n": "1"} == frame.data["data"]["vm"]["labels"]


@pytest.mark.parametrize("how", ["header", "query"])
def test_resuming_after_a_disconnect_misses_and_repeats_nothing(
    http: httpx.Client, how: str
) -> None:
    """Disconnect, change things, reconnect with the last id seen: exactly the events since."""
    vm = _vm(http)
    params: dict[str, Any] = {"vm": vm["id"]}
    with http.stream("GET", "/v1/events", params=params, headers=SSE) as response:
        blocks = frames(response)
        http.patch(f"/v1/vms/{vm['id']}", json={"labels": {"n": "1"}})
        [seen] = take_events(blocks, 1)
    last = int(seen.get("id") or 0)
    for action in ("start", "pause", "resume"):
        wait_op(http, http.post(f"/v1/vms/{vm['id']}:{action}"))
    missed = _log(http, since=last, vm=vm["id"])
    headers = dict(SSE)
    if how == "header":
        headers["Last-Event-ID"] = str(last)
    else:
        params["last_event_id"] = last
    with http.stream("GET", "/v1/events", params=params, headers=headers) as response:
        blocks = frames(response)
        got = take_events(blocks, len(missed))
        wait_op(http, http.post(f"/v1/vms/{vm['id']}:stop"))
        [live] = take_events(blocks, 1)
    assert [e["id"] for e in missed] == [f.data["id"] for f in got]
    assert [e["type"] for e in missed] == [f.get("event") for f in got]
    assert int(live.data["id"]) > missed[-1]["id"]


def test_the_header_wins_over_the_query(http: httpx.Client) -> None:
    """An EventSource reconnects with its first URL and a newer Last-Event-ID header."""
    vm = _vm(http)
    events = _log(http, vm=vm["id"])
    params = {"vm": vm["id"], "last_event_id": 0}
    headers = {**SSE, "Last-Event-ID": str(events[-2]["id"])}
    with http.stream("GET", "/v1/events", params=params, headers=headers) as response:
        blocks = frames(response)
        [first] = take_events(blocks, 1)
    assert events[-1]["id"] == first.data["id"]


def test_a_pruned_id_gets_a_reset_then_the_oldest_event(
    server: RunningServer, http: httpx.Client
) -> None:
    """When the log no longer holds what follows Last-Event-ID, a `reset` frame says so."""
    _vm(http)
    _vm(http)
    log = _log(http)
    # the first event of the second half whose time is later than its predecessor's
    half = len(log) // 2
    kept = next(
        e for p, e in zip(log[half - 1 :], log[half:], strict=False) if e["time"] > p["time"]
    )
    _prune_before(server, kept)
    stale = log[0]["id"]
    headers = {**SSE, "Last-Event-ID": str(stale)}
    with http.stream("GET", "/v1/events", headers=headers) as response:
        blocks = frames(response)
        reset, first = take_events(blocks, 2)
    assert "reset" == reset.get("event")
    assert {"reason": "pruned", "last_event_id": stale, "oldest_event_id": kept["id"]} == (
        reset.data
    )
    assert str(kept["id"] - 1) == reset.get("id")
    assert kept == first.data
    resumed = {**SSE, "Last-Event-ID": str(kept["id"] - 1)}
    with http.stream("GET", "/v1/events", headers=resumed) as response:
        blocks = frames(response)
        [again] = take_events(blocks, 1)
    assert kept == again.data  # resuming after the reset's id: no second reset


def test_an_id_this_log_never_had_gets_a_reset(http: httpx.Client) -> None:
    """An id newer than the log (another server's, or a wiped one's) is not waited for."""
    _vm(http)
    headers = {**SSE, "Last-Event-ID": str(10**15)}
    with http.stream("GET", "/v1/events", headers=headers) as response:
        blocks = frames(response)
        [reset] = take_events(blocks, 1)
    assert ("reset", "unknown_id", 10**15) == (
        reset.get("event"),
        reset.data["reason"],
        reset.data["last_event_id"],
    )


def test_json_is_the_default_and_head_does_not_stream(http: httpx.Client) -> None:
    """Without Accept: text/event-stream the answer is a page; HEAD never opens a stream."""
    assert "application/json" == http.get("/v1/events").headers["content-type"]
    head = http.head("/v1/events", headers=SSE)
    assert (200, "application/json") == (head.status_code, head.headers["content-type"])
    refused = http.get("/v1/events", headers={"Accept": "text/event-stream;q=0"})
    assert "application/json" == refused.headers["content-type"]


def test_streams_need_a_token_with_the_read_scope(
    server: RunningServer, http: httpx.Client
) -> None:
    """401 without a token, 403 for a `connect` token, a stream for a `read` token."""
    tokens = {
        scope: http.post("/v1/tokens", json={"name": scope, "scopes": [scope]}).json()["secret"]
        for scope in ("read", "connect")
    }
    statuses = {}
    for who, secret in (("none", None), ("connect", tokens["connect"]), ("read", tokens["read"])):
        headers = dict(SSE)
        if secret is not None:
            headers["Authorization"] = f"Bearer {secret}"
        with (
            httpx.Client(base_url=server.url, timeout=10) as anonymous,
            anonymous.stream("GET", "/v1/events", headers=headers) as response,
        ):
            statuses[who] = (response.status_code, response.headers["content-type"].split(";")[0])
    assert {
        "none": (401, "application/problem+json"),
        "connect": (403, "application/problem+json"),
        "read": (200, "text/event-stream"),
    } == statuses


def test_a_revoked_token_ends_its_stream_at_the_next_heartbeat(
    server: RunningServer, http: httpx.Client
) -> None:
    """A stream does not outlive its token: it ends after the token is revoked."""
    token = http.post("/v1/tokens", json={"name": "r", "scopes": ["read"]}).json()
    headers = {**SSE, "Authorization": f"Bearer {token['secret']}"}
    params = {"heartbeat_seconds": 0.05, "types": "host.never"}
    with (
        httpx.Client(base_url=server.url, timeout=10) as reader,
        reader.stream("GET", "/v1/events", params=params, headers=headers) as response,
    ):
        blocks = frames(response)
        next(blocks)
        assert ["heartbeat"] == next(blocks).comments
        http.delete(f"/v1/tokens/{token['id']}")
        rest = list(blocks)  # ends: the server closed the stream
    assert all(b.comments == ["heartbeat"] for b in rest)


def test_shutting_down_ends_open_streams_at_once(tmp_path: Any) -> None:
    """A stream must not keep the server from stopping: stop() ends it promptly."""
    running = start_server(tmp_path / "data")
    headers = {**SSE, "Authorization": f"Bearer {running.token}"}
    try:
        with (
            httpx.Client(base_url=running.url, timeout=10) as client,
            client.stream("GET", "/v1/events", headers=headers) as response,
        ):
            blocks = frames(response)
            next(blocks)
            running.stop()  # would wait for the stream without StreamClosingServer
            assert [] == [b for b in blocks if b.get("event")]
    finally:
        running.stop()
    assert not running._thread.is_alive()
