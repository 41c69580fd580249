"""What code following the event log sees, with either client."""

from __future__ import annotations

from datetime import datetime
from typing import Any, assert_type

import vmkit


def follow(client: vmkit.Client, vm: vmkit.VM) -> int | None:
    stream = client.events.stream(["vm.*"], vm=vm, last_event_id=41, heartbeat=5)
    assert_type(stream, vmkit.EventStream)
    with stream as events:
        for item in events:
            assert_type(item, vmkit.Event | vmkit.StreamReset)
            assert_type(item.type, str)
            if isinstance(item, vmkit.StreamReset):
                assert_type(item.oldest_event_id, int | None)
                continue
            assert_type(item.id, int)
            assert_type(item.time, datetime)
            assert_type(item.vm_id, str | None)
            assert_type(item.data["vm"], Any)
    return events.last_event_id


def poll(client: vmkit.Client) -> None:
    for event in client.events.list(since=41, types="operation.finished", page_size=100):
        assert_type(event, vmkit.Event)
    assert_type(client.events.list().to_list(), vmkit.ResourceList[vmkit.Event])


async def follow_async(client: vmkit.AsyncClient) -> None:
    async with client.events.stream("vm.state_changed", max_reconnects=3) as events:
        assert_type(events, vmkit.AsyncEventStream)
        async for item in events:
            assert_type(item, vmkit.Event | vmkit.StreamReset)
            break
    await events.aclose()
    async for event in client.events.list(vm="web-1"):
        assert_type(event, vmkit.Event)
