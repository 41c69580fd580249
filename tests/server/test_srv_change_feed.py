"""A backend's own change feed (`Watching`) reaches vmkit at once, without waiting for a pass."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import vmkit
from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.core.change_feed import ChangeFeed
from vmkit_server.testing import start_server


class PushingSimulated(SimulatedBackend):
    """A simulated hypervisor that announces the VMs it changes on a feed."""

    def __init__(self) -> None:
        super().__init__(delay=0.0)
        self.changes: asyncio.Queue[str] = asyncio.Queue()

    async def watch(self) -> AsyncIterator[str]:
        """Every id put on `changes`."""
        while True:
            yield await self.changes.get()


def test_a_pushed_change_is_recorded_before_any_pass(tmp_path: Path) -> None:
    """With passes an hour apart, a crash the backend announces still becomes an event."""
    backend = PushingSimulated()
    server = start_server(tmp_path / "data", backend=backend, reconcile_interval=3600)
    try:
        with vmkit.Client(server.url, server.token) as client:
            vm = client.vms.create("pushed", start=True, wait=True)
            with client.events.stream("vm.state_changed", vm=vm.id) as events:
                server.call(lambda: backend.crash(vm.id))
                server.call(lambda: backend.changes.put_nowait(vm.id))
                event = next(iter(events))
            assert ("error", "crashed") == (
                event.data["vm"]["state"],
                event.data["vm"]["state_reason"],
            )
    finally:
        server.stop()


class FlakyFeed(SimulatedBackend):
    """A feed that yields one id, then fails; then ends cleanly."""

    def __init__(self) -> None:
        super().__init__(delay=0.0)
        self.opened = 0

    async def watch(self) -> AsyncIterator[str]:
        """One id per connection; the first connection then breaks."""
        self.opened += 1
        yield f"vm-{self.opened}"
        if self.opened == 1:
            raise ConnectionError("feed lost")


@pytest.mark.anyio
async def test_a_lost_feed_reconnects_and_one_bad_vm_does_not_stop_it() -> None:
    """Each connection is followed; pauses grow after failures; reconcile errors are logged."""
    backend = FlakyFeed()
    seen: list[str] = []
    pauses: list[float] = []

    async def reconcile(vm_id: str) -> None:
        seen.append(vm_id)
        if vm_id == "vm-2":
            raise RuntimeError("this VM's observation failed")

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    await ChangeFeed(backend, reconcile, sleep=sleep).run(connections=3)
    assert ["vm-1", "vm-2", "vm-3"] == seen
    assert [0.5, 0.5, 0.5] == pauses  # each connection delivered, so the pause reset


class DeadFeed(SimulatedBackend):
    """A feed that fails before delivering anything."""

    async def watch(self) -> AsyncIterator[str]:
        """Fails at once."""
        raise ConnectionError("refused")
        yield "never"  # an async generator all the same


@pytest.mark.anyio
async def test_a_feed_that_keeps_failing_backs_off() -> None:
    """Pauses double while nothing comes through."""
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    async def reconcile(vm_id: str) -> None:
        raise AssertionError("nothing to reconcile")

    await ChangeFeed(DeadFeed(delay=0.0), reconcile, sleep=sleep).run(connections=4)
    assert [0.5, 1.0, 2.0, 4.0] == pauses
