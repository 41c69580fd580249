"""The EventBus wakes waiters when newer events are committed, from any thread."""

from __future__ import annotations

import asyncio
import threading

import pytest

from vmkit_server.core.bus import EventBus

pytestmark = pytest.mark.anyio


async def test_a_waiter_wakes_on_a_newer_id_and_not_on_an_older_one() -> None:
    """publish(n) wakes waiters on ids below n; an id already seen wakes nobody."""
    bus = EventBus(last_id=5)
    bus.attach(asyncio.get_running_loop())
    assert 5 == await bus.wait_after(5, timeout=0.01)  # nothing new: times out
    waiter = asyncio.create_task(bus.wait_after(5, timeout=10))
    await asyncio.sleep(0)
    bus.publish(4)
    await asyncio.sleep(0)
    assert not waiter.done()
    bus.publish(7)
    assert 7 == await waiter
    assert 7 == await bus.wait_after(6, timeout=10)  # already newer: returns at once


async def test_publish_from_another_thread_reaches_the_loop() -> None:
    """A commit on a worker thread wakes a waiter on the loop."""
    bus = EventBus()
    bus.attach(asyncio.get_running_loop())
    waiter = asyncio.create_task(bus.wait_after(0, timeout=10))
    await asyncio.sleep(0)
    threading.Thread(target=bus.publish, args=(3,)).start()
    assert 3 == await waiter


def test_before_attach_publish_only_records() -> None:
    """Before the loop is known, publish keeps the newest id for later."""
    bus = EventBus()
    bus.publish(9)
    bus.publish(2)
    assert 9 == bus.last_id
