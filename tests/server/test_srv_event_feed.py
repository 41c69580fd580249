"""The shared event feed and subscriptions, on a real store with a tiny in-memory cache."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from vmkit_server.core.bus import EventBus
from vmkit_server.core.event_feed import EventFeed, EventFilter, Frame, type_matches
from vmkit_server.core.streams import Subscription
from vmkit_server.store import Store

pytestmark = pytest.mark.anyio


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A store whose commits wake a bus attached to this loop (as the app wires it)."""
    s = Store.open(f"sqlite:///{tmp_path / 'vmkit.db'}")
    yield s
    s.close()


def _bus(store: Store) -> EventBus:
    bus = EventBus()
    bus.attach(asyncio.get_running_loop())
    store.on_events_committed(bus.publish)
    return bus


def _append(store: Store, count: int, *, type_: str = "vm.updated", vm: str = "vm_a") -> None:
    for _ in range(count):
        with store.tx() as tx:
            tx.append_event(type_, subject_type="vm", subject_id=vm, vm_id=vm, data={"n": 1})


async def _drain(sub: Subscription, until_id: int) -> list[int]:
    ids: list[int] = []
    while sub.cursor < until_id:
        frames = await sub.next(5.0)
        assert frames is not None
        ids += [f.id for f in frames]
    return ids


def test_type_patterns_match_as_the_store_does() -> None:
    """`vm.*` is a prefix (nested types too), `*` everything, anything else exact."""
    assert type_matches("vm.snapshot.created", ["vm.*"])
    assert type_matches("operation.finished", ["*"])
    assert type_matches("vm.created", ["host.*", "vm.created"])
    assert not type_matches("vm.created", ["vm.create", "vm"])


def test_a_frame_is_rendered_once_for_sse_and_websocket() -> None:
    """The SSE frame and the WebSocket message carry the same JSON."""
    frame = Frame.build(7, "vm.created", "vm_a", b'{"id":7}')
    assert b'id: 7\nevent: vm.created\ndata: {"id":7}\n\n' == frame.sse
    assert '{"id":7,"event":"vm.created","data":{"id":7}}' == frame.ws


async def test_a_subscription_far_behind_reads_the_log_then_the_cache(store: Store) -> None:
    """Replaying from the start crosses from log queries to the cache: each id exactly once."""
    bus = _bus(store)
    _append(store, 10)
    feed = EventFeed(store, bus, cache_size=4, page_size=3)
    feed.start()
    _append(store, 25)  # more than the cache keeps: it is trimmed meanwhile
    await feed.wait(10, 5.0)
    ids: list[int] = []
    cursor = 0
    while cursor < 35:  # three at a time: log pages first, then the cached tail
        frames, cursor = feed.frames_after(cursor, EventFilter(), 3)
        ids += [f.id for f in frames]
    assert list(range(1, 36)) == ids
    sub = Subscription(feed, EventFilter(), 0, None, lambda: None)
    assert list(range(1, 36)) == await _drain(sub, 35)
    feed.close()


async def test_filters_skip_without_losing_the_position(store: Store) -> None:
    """A filtered subscription sees only its events and still moves past the others."""
    bus = _bus(store)
    feed = EventFeed(store, bus, cache_size=8)
    feed.start()
    sub = Subscription(feed, EventFilter(("vm.state_changed",), "vm_b"), 0, None, lambda: None)
    _append(store, 3)
    _append(store, 1, type_="vm.state_changed", vm="vm_a")
    _append(store, 2, type_="vm.state_changed", vm="vm_b")
    frames = await sub.next(5.0)
    assert frames is not None
    assert [5, 6] == [f.id for f in frames]
    assert 6 == sub.cursor
    assert [] == await sub.next(0.01)  # nothing new: the timeout passes


async def test_closing_the_feed_ends_every_subscription(store: Store) -> None:
    """close() wakes waiting subscriptions, which then return None."""
    feed = EventFeed(store, _bus(store))
    feed.start()
    sub = Subscription(feed, EventFilter(), feed.newest_id, None, lambda: None)
    waiting = asyncio.create_task(sub.next(30.0))
    await asyncio.sleep(0)
    feed.close()
    assert await asyncio.wait_for(waiting, 5.0) is None


async def test_without_a_bus_on_the_loop_the_feed_polls_the_log(store: Store) -> None:
    """An app served without its lifespan startup has no bus wake-ups: the feed still follows."""
    feed = EventFeed(store, EventBus())
    feed.start()
    _append(store, 2)
    await feed.wait(0, 5.0)
    frames, cursor = feed.frames_after(0, EventFilter(), 10)
    assert ([1, 2], 2) == ([f.id for f in frames], cursor)
    feed.close()
