"""client.events through both twins over real sockets: pages, live streams, reconnects, resets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from e2e_helpers import unique_name
from tcp_proxy import CuttingProxy

import vmkit
from vmkit.errors import APIConnectionError, NotFoundError, PermissionDeniedError
from vmkit_server.testing import RunningServer, start_server


class Sleeps:
    """An injected sleep that records how long the SDK wanted to wait, and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.calls.append(seconds)


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def _events_until(stream: vmkit.EventStream, last_id: int) -> list[vmkit.Event]:
    """The stream's events up to and including id `last_id` (no reset expected)."""
    got: list[vmkit.Event] = []
    for item in stream:
        assert isinstance(item, vmkit.Event), item
        got.append(item)
        if item.id >= last_id:
            return got
    raise AssertionError("the stream ended")


def test_list_pages_through_events_with_filters(client: vmkit.Client) -> None:
    """events.list(since=, types=, vm=) gives typed events, oldest first, across pages."""
    start = max((e.id for e in client.events.list()), default=0)
    vm = client.vms.create(unique_name("ev-list"), start=True, wait=True)
    everything = client.events.list(since=start, page_size=2).to_list()
    assert [e.id for e in everything] == sorted({e.id for e in everything})
    mine = client.events.list(since=start, vm=vm, types="vm.*").to_list()
    assert mine == [e for e in everything if e.vm_id == vm.id and e.type.startswith("vm.")]
    assert isinstance(mine[0].time, datetime) and mine[0].time.tzinfo is not None
    assert vm.name == mine[-1].data["vm"]["name"]


def test_a_stream_entered_before_a_change_sees_it(client: vmkit.Client) -> None:
    """Entering connects at once: a change made right after is delivered, typed."""
    name = unique_name("ev-live")
    with client.events.stream(["vm.state_changed"], heartbeat=1) as events:
        client.vms.create(name, wait=True)
        item = next(i for i in events if isinstance(i, vmkit.Event) and name in str(i.data))
    assert isinstance(item, vmkit.Event)
    assert ("vm.state_changed", name, "stopped") == (
        item.type,
        item.data["vm"]["name"],
        item.data["vm"]["state"],
    )
    assert item.id == events.last_event_id


def test_resuming_from_last_event_id_misses_and_repeats_nothing(client: vmkit.Client) -> None:
    """Close a stream, change things, open one with its last_event_id: exactly what happened."""
    vm = client.vms.create(unique_name("ev-resume"), wait=True)
    with client.events.stream(vm=vm) as events:
        vm.update(labels={"step": "1"})
        first = next(iter(events))
        last = events.last_event_id
    assert isinstance(first, vmkit.Event) and last == first.id
    vm.start(wait=True)
    vm.stop(wait=True)
    missed = client.events.list(since=last, vm=vm).to_list()
    with client.events.stream(vm=vm, last_event_id=last) as events:
        got = _events_until(events, missed[-1].id)
    assert missed == got


def test_a_dropped_connection_is_resumed_by_itself(server: RunningServer) -> None:
    """The network drops the stream; the SDK reconnects with Last-Event-ID: no gap, no repeat."""
    sleeps = Sleeps()
    name = unique_name("ev-drop")
    with (
        CuttingProxy(_port(server.url)) as proxy,
        vmkit.Client(server.url, server.token) as direct,
        vmkit.Client(proxy.url, server.token, sleep=sleeps) as client,
    ):
        vm = direct.vms.create(name, wait=True)
        with client.events.stream(vm=vm, heartbeat=1) as events:
            vm.update(labels={"step": "1"})
            [first] = _events_until(events, 0)
            proxy.cut()
            vm.update(labels={"step": "2"})
            vm.start(wait=True)
            expected = direct.events.list(since=first.id, vm=vm).to_list()
            got = _events_until(events, expected[-1].id)
        assert expected == got
        assert 2 == proxy.accepted
        assert 1 == len(sleeps.calls)  # one wait before the one reconnection


def test_a_pruned_position_surfaces_a_reset(server: RunningServer, client: vmkit.Client) -> None:
    """When the log lost what followed last_event_id, the first item is a StreamReset."""
    vm = client.vms.create(unique_name("ev-reset"), wait=True)
    vm.update(labels={"a": "b"})
    log = client.events.list(vm=vm).to_list()
    cut = log[-1]

    def prune() -> int:
        with server.app.store.tx() as tx:
            return tx.prune_events(cut.time)

    server.call(prune)
    oldest_id = next(iter(client.events.list(page_size=1))).id
    with client.events.stream(last_event_id=0) as events:
        reset = next(iter(events))
        assert oldest_id - 1 == events.last_event_id  # resuming now asks for no second reset
        after = next(iter(events))
    assert vmkit.StreamReset("pruned", 0, oldest_id) == reset
    assert "reset" == reset.type
    assert (oldest_id, oldest_id) == (after.id, events.last_event_id)


def test_refusals_are_raised_when_entering(server: RunningServer, client: vmkit.Client) -> None:
    """An unknown VM or a token without `read`: the typed error, at once, no retrying."""
    with pytest.raises(NotFoundError), client.events.stream(vm="no-such-vm"):
        pass
    token = client.tokens.create("ev-connect", scopes=["connect"])
    assert token.secret is not None
    with (
        vmkit.Client(server.url, token.secret) as weak,
        pytest.raises(PermissionDeniedError),
        weak.events.stream(),
    ):
        pass


def test_a_stream_gives_up_after_max_reconnects(tmp_path: Path) -> None:
    """The server goes away for good: after max_reconnects failed attempts the error is raised."""
    running = start_server(tmp_path / "data")
    sleeps = Sleeps()
    try:
        with vmkit.Client(running.url, running.token, sleep=sleeps) as client:
            events = client.events.stream(max_reconnects=2, heartbeat=1)
            with events:
                running.stop()  # ends the stream; reconnecting is refused
                with pytest.raises(APIConnectionError):
                    next(iter(events))
    finally:
        running.stop()
    assert 2 == len(sleeps.calls)  # before each of the two attempts, the wait doubling
    assert sleeps.calls == sorted(sleeps.calls)


@pytest.mark.anyio
async def test_the_async_twin_streams_and_resumes(server: RunningServer) -> None:
    """AsyncClient: async with / async for, and a dropped connection resumed by itself."""
    sleeps = Sleeps()
    name = unique_name("ev-async")
    with CuttingProxy(_port(server.url)) as proxy:
        async with (
            vmkit.AsyncClient(server.url, server.token) as direct,
            vmkit.AsyncClient(proxy.url, server.token, sleep=sleeps.asleep) as client,
        ):
            logged = await direct.events.list().to_list()
            start = logged[-1].id if logged else 0  # this module's server may be fresh
            vm = await direct.vms.create(name, wait=True)
            stream = client.events.stream(["vm.*"], vm=vm, last_event_id=start, heartbeat=1)
            async with stream as events:
                seen: list[vmkit.Event | vmkit.StreamReset] = []
                async for item in events:
                    seen.append(item)
                    if isinstance(item, vmkit.Event) and item.type == "vm.state_changed":
                        break
                proxy.cut()
                await vm.update(labels={"x": "y"})
                async for item in events:
                    seen.append(item)
                    break
            expected = await direct.events.list(types="vm.*", vm=vm).to_list()
            listed = [e async for e in direct.events.list(types="vm.*", vm=vm)]
    assert expected == seen == listed
    assert "vm.updated" == seen[-1].type
    assert 1 == len(sleeps.calls)
