"""Every event type of design §2 the server can produce shows up in the log (and the stream)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from events_helpers import SSE, frames, settle, take_events, until, wait_op

from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.testing import RunningServer, start_server

_names = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("emitted") / "data", reconcile_interval=60)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        yield client


def _vm(http: httpx.Client, *, start: bool = False) -> str:
    name = f"em-{next(_names)}"
    wait_op(http, http.post("/v1/vms", json={"name": name, "start": start}))
    return name


def _events(http: httpx.Client, vm: str, types: str) -> list[dict[str, Any]]:
    page = http.get("/v1/events", params={"vm": vm, "types": types, "page_size": 1000})
    items: list[dict[str, Any]] = page.json()["items"]
    return items


def test_snapshots_announce_created_restored_and_deleted(http: httpx.Client) -> None:
    """create → vm.snapshot.created (ready); restore → restored; delete → deleting, deleted."""
    vm = _vm(http)
    wait_op(http, http.post(f"/v1/vms/{vm}/snapshots", json={"name": "s"}))
    wait_op(http, http.post(f"/v1/vms/{vm}/snapshots/s:restore"))
    wait_op(http, http.delete(f"/v1/vms/{vm}/snapshots/s"))
    seen = [(e["type"], e["data"]["snapshot"]["state"]) for e in _events(http, vm, "vm.snapshot.*")]
    assert [
        ("vm.snapshot.created", "ready"),
        ("vm.snapshot.restored", "ready"),
        ("vm.snapshot.updated", "deleting"),
        ("vm.snapshot.deleted", "deleting"),
    ] == seen


def test_a_failed_snapshot_says_it_is_in_error(server: RunningServer, http: httpx.Client) -> None:
    """A snapshot whose creation failed is announced in state `error` (with its new ETag)."""
    vm = _vm(http)
    sim = server.backend
    assert isinstance(sim, SimulatedBackend)
    server.call(lambda: sim.fail_next("snapshot_create", "the disk is full"))
    done = settle(http, http.post(f"/v1/vms/{vm}/snapshots", json={"name": "s"}))
    assert "failed" == done["state"]
    [event] = _events(http, vm, "vm.snapshot.*")
    current = http.get(f"/v1/vms/{vm}/snapshots/s")
    assert ("vm.snapshot.updated", "error") == (event["type"], event["data"]["snapshot"]["state"])
    assert current.headers["ETag"] == event["data"]["snapshot"]["etag"]


def test_a_restart_passes_through_starting_and_says_restarted(http: httpx.Client) -> None:
    """restart: running → starting → running, then vm.restarted."""
    vm = _vm(http, start=True)
    before = _events(http, vm, "vm.*")[-1]["id"]
    wait_op(http, http.post(f"/v1/vms/{vm}:restart"))
    after = [e for e in _events(http, vm, "vm.*") if e["id"] > before]
    assert [
        ("vm.state_changed", "running", "starting"),
        ("vm.state_changed", "starting", "running"),
        ("vm.restarted", None, "running"),
    ] == [(e["type"], e["data"].get("previous_state"), e["data"]["vm"]["state"]) for e in after]


def test_operations_report_progress_on_the_way(http: httpx.Client) -> None:
    """operation.updated carries the state and progress as the backend reports them."""
    vm = _vm(http)
    op = wait_op(http, http.post(f"/v1/vms/{vm}:start"))
    seen = [
        (e["type"], e["data"]["operation"]["state"], e["data"]["operation"]["progress"])
        for e in _events(http, vm, "operation.*")
        if e["subject_id"] == op["id"]
    ]
    assert ("operation.created", "pending", None) == seen[0]
    assert ("operation.updated", "running", 0.5) in seen
    assert ("operation.finished", "succeeded", 1.0) == seen[-1]


def test_console_output_streams_while_someone_asks_for_it(
    server: RunningServer, http: httpx.Client
) -> None:
    """A stream of vm.console.output gets what the VM prints; only it starts the watch."""
    vm = _vm(http, start=True)
    console = server.app.core.events.console
    console.interval = 0.02
    params = {"types": "vm.*", "vm": vm, "heartbeat_seconds": 0.05}
    with http.stream("GET", "/v1/events", params=params, headers=SSE) as response:
        next(frames(response))
        assert not console.active  # vm.* matches console events but does not ask for them
    params["types"] = "vm.console.output"
    with http.stream("GET", "/v1/events", params=params, headers=SSE) as response:
        blocks = frames(response)
        next(blocks)
        assert console.active
        http.post(f"/v1/vms/{vm}/console", json={"data": "hello\n"})
        [frame] = take_events(blocks, 1)
    output = frame.data["data"]
    assert ("vm.console.output", vm) == (frame.get("event"), output["vm_name"])
    assert "> hello\n" == output["console"]["data"]
    assert output["console"]["next_offset"] - output["console"]["offset"] == len(b"> hello\n")
    until(lambda: True if not console.active else None, timeout=10, what="the watch to end")


def test_console_output_of_a_vm_that_boots_while_watched(
    server: RunningServer, http: httpx.Client
) -> None:
    """A VM started during the watch has its boot output streamed, from its first line."""
    server.app.core.events.console.interval = 0.02
    with http.stream(
        "GET", "/v1/events", params={"types": "vm.console.*"}, headers=SSE
    ) as response:
        blocks = frames(response)
        next(blocks)
        vm = _vm(http, start=True)
        printed = ""
        for frame in blocks:
            if frame.get("event") and frame.data["data"]["vm_name"] == vm:
                printed += frame.data["data"]["console"]["data"]
            if "booted" in printed:
                break
    assert "booted" in printed
