"""The durable event log: one event per change, in order, each with the resource's new ETag."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from e2e_helpers import events_of, read_only_db, unique_name

import vmkit
from vmkit_server.testing import RunningServer, start_server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("events") / "data", reconcile_interval=60)
    yield running
    running.stop()


def _vm_events(events: list[tuple[int, str, dict[str, object]]]) -> list[tuple[str, ...]]:
    seen: list[tuple[str, ...]] = []
    for _, type_, data in events:
        if type_ == "vm.state_changed":
            vm = data["vm"]
            assert isinstance(vm, dict)
            seen.append((type_, str(data["previous_state"]), str(vm["state"])))
        elif type_.startswith("vm."):
            seen.append((type_,))
    return seen


def test_a_vms_life_is_recorded_step_by_step(live: RunningServer) -> None:
    """create, start, pause, resume, stop, snapshot, delete: the exact sequence of states."""
    with vmkit.Client(live.url, live.token) as client:
        vm = client.vms.create(unique_name("life"), wait=True)
        vm.start(wait=True)
        vm.pause(wait=True)
        vm.resume(wait=True)
        vm.stop(wait=True)
        vm.snapshot("cold", wait=True)
        vm.delete(wait=True)
    assert [
        ("vm.created",),
        ("vm.state_changed", "creating", "stopped"),
        ("vm.state_changed", "stopped", "starting"),
        ("vm.state_changed", "starting", "running"),
        ("vm.state_changed", "running", "paused"),
        ("vm.state_changed", "paused", "starting"),
        ("vm.state_changed", "starting", "running"),
        ("vm.state_changed", "running", "stopping"),
        ("vm.state_changed", "stopping", "stopped"),
        ("vm.snapshot.created",),
        ("vm.state_changed", "stopped", "deleting"),
        ("vm.deleted",),
    ] == _vm_events(events_of(live.data_dir, vm.id))


def test_each_event_carries_the_etag_the_api_shows(live: RunningServer) -> None:
    """The VM inside the last event has the ETag a GET returns at that moment."""
    with vmkit.Client(live.url, live.token) as client:
        vm = client.vms.create(unique_name("etag"), wait=True)
        vm.update(labels={"k": "v"})
        current = client.vms.get(vm.id)
    last_vm_event = [d for _, t, d in events_of(live.data_dir, vm.id) if t.startswith("vm.")][-1]
    vm_data = last_vm_event["vm"]
    assert isinstance(vm_data, dict)
    assert current.etag == vm_data["etag"]
    assert {"k": "v"} == vm_data["labels"]


def test_operations_announce_created_and_finished(live: RunningServer) -> None:
    """Every operation has operation.created first and operation.finished last."""
    with vmkit.Client(live.url, live.token) as client:
        vm = client.vms.create(unique_name("ops"), wait=True)
        op = vm.start()
        op.wait(timeout=30)
    op_events = [
        (t, d["operation"]["state"])  # type: ignore[index]
        for _, t, d in events_of(live.data_dir, vm.id)
        if t.startswith("operation.") and d["operation"]["id"] == op.id  # type: ignore[index]
    ]
    assert ("operation.created", "pending") == op_events[0]
    assert ("operation.finished", "succeeded") == op_events[-1]


def test_the_token_is_stored_only_as_a_hash(live: RunningServer) -> None:
    """The database never holds the admin token's plaintext."""
    with contextlib.closing(read_only_db(live.data_dir)) as db:
        rows = db.execute("SELECT hash, prefix FROM tokens").fetchall()
        dump = "\n".join(db.iterdump())
    assert 1 == len(rows)
    assert live.token not in dump
    assert 64 == len(rows[0][0])
