"""Waking whoever waits for new events (live streams, webhook delivery) after a commit.

The event log in the store is the truth; the bus only carries "the log now reaches id N"
from the committing code to the waiters, so a waiter that missed a wake-up loses nothing:
it reads the log from its own last id.
"""

from __future__ import annotations

import asyncio
import contextlib

__all__ = ["EventBus"]


class EventBus:
    """A broadcast of the newest committed event id.

    Connect it with ``store.on_events_committed(bus.publish)``; ``publish`` may be called
    from any thread.

    Args:
        last_id: The newest event id when the bus starts (0 for an empty log).
    """

    def __init__(self, last_id: int = 0) -> None:
        self._last_id = last_id
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None

    @property
    def last_id(self) -> int:
        """The newest event id published so far."""
        return self._last_id

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind the bus to the server's event loop (call once, from that loop, at startup).

        Args:
            loop: The loop waiters run on.
        """
        self._loop = loop
        self._changed = asyncio.Event()

    def publish(self, event_id: int) -> None:
        """Announce that the log now reaches ``event_id`` (thread-safe; never blocks).

        Args:
            event_id: The id of the newest committed event.
        """
        loop = self._loop
        if loop is None:
            self._last_id = max(self._last_id, event_id)
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._advance(event_id)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._advance, event_id)

    def _advance(self, event_id: int) -> None:
        if event_id <= self._last_id:
            return
        self._last_id = event_id
        changed = self._changed
        if changed is not None:
            # Wake every current waiter; later ones wait on a fresh event.
            self._changed = asyncio.Event()
            changed.set()

    async def wait_after(self, event_id: int, timeout: float | None = None) -> int:
        """Wait until an event newer than ``event_id`` is published, or ``timeout`` passes.

        Args:
            event_id: The newest id the caller has seen.
            timeout: Seconds to wait at most (None: no limit).

        Returns:
            The newest published id (still ``<= event_id`` after a timeout).
        """
        if self._last_id > event_id or self._changed is None:
            return self._last_id
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout)
        return self._last_id
