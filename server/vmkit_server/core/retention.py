"""Keeping the event log bounded: events older than the retention period are deleted.

A stream or poller resuming from a deleted id gets a ``reset`` frame (see
``core/streams.py``), never a silent gap.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..store import Store
from .clock import Clock

__all__ = ["DEFAULT_EVENT_RETENTION", "EventRetention"]

#: How long events are kept by default.
DEFAULT_EVENT_RETENTION = timedelta(days=7)


class EventRetention:
    """Deletes old events, at most once per ``every``.

    Args:
        store: The store.
        clock: The wall clock.
        keep: How long an event is kept.
        every: The least time between two prunes.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        keep: timedelta = DEFAULT_EVENT_RETENTION,
        every: timedelta = timedelta(minutes=10),
    ) -> None:
        self._store = store
        self._clock = clock
        self._keep = keep
        self._every = every
        self._last: datetime | None = None

    def prune(self) -> int:
        """Delete events older than the retention period, unless that was done lately.

        Returns:
            How many events were deleted (0 when it was not time yet).
        """
        now = self._clock()
        if self._last is not None and now - self._last < self._every:
            return 0
        self._last = now
        with self._store.tx() as tx:
            return tx.prune_events(now - self._keep)
