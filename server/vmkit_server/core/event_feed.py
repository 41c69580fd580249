"""The newest events, read from the log once and handed to every live stream.

A hundred streams following the log must not mean a hundred queries per commit. One pump
task waits on the `EventBus`, reads what was committed, renders each event once (JSON, an SSE
frame, a WebSocket message) and keeps the newest ones in memory; streams take their frames
from there and only query the log themselves while they replay events older than that.

Every write transaction runs on the event loop's thread without awaiting inside (see
`Store`), so commits happen in id order and "everything up to id N is committed" holds as
soon as N is announced: a reader that has seen N never finds a smaller id later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import EventRow, Store
from .bus import EventBus
from .clock import isoformat
from .render import render_json

__all__ = ["EventFeed", "EventFilter", "Frame", "event_view", "type_matches"]

log = logging.getLogger("vmkit_server.events")


def event_view(row: EventRow) -> dict[str, Any]:
    """The API's Event object.

    Args:
        row: The stored event.

    Returns:
        The JSON-ready dict.
    """
    return {
        "id": row.id,
        "type": row.type,
        "time": isoformat(row.time),
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "vm_id": row.vm_id,
        "data": row.data,
    }


def type_matches(type_: str, patterns: Sequence[str]) -> bool:
    """Whether an event type matches one of the patterns, as the store's `type_filter` does.

    Args:
        type_: The event type.
        patterns: Exact types, or prefixes ending in ``*`` (``vm.*``, ``*``).

    Returns:
        True if one matches.
    """
    return any(type_.startswith(p[:-1]) if p.endswith("*") else type_ == p for p in patterns)


@dataclass(frozen=True, slots=True)
class Frame:
    """One event, rendered once for every stream.

    Attributes:
        id: The event's id.
        type: Its type.
        vm_id: The VM it concerns, if any.
        json: The Event as JSON.
        sse: The Server-Sent Events frame (``id``, ``event``, ``data``, blank line).
        ws: The WebSocket message: ``{"id": ..., "event": ..., "data": <Event>}``.
    """

    id: int
    type: str
    vm_id: str | None
    json: bytes
    sse: bytes
    ws: str

    @classmethod
    def of(cls, row: EventRow) -> Frame:
        """Render an event of the log.

        Args:
            row: The event.

        Returns:
            The frame.
        """
        return cls.build(row.id, row.type, row.vm_id, render_json(event_view(row)))

    @classmethod
    def build(cls, id_: int, type_: str, vm_id: str | None, body: bytes) -> Frame:
        """A frame with any JSON body (a `reset` frame carries a StreamReset).

        Args:
            id_: The frame's ``id``.
            type_: Its ``event``.
            vm_id: The VM it concerns.
            body: Its JSON ``data`` (compact: no newline).

        Returns:
            The frame.
        """
        sse = b"id: %d\nevent: %s\ndata: %s\n\n" % (id_, type_.encode(), body)
        ws = f'{{"id":{id_},"event":"{type_}","data":{body.decode()}}}'
        return cls(id_, type_, vm_id, body, sse, ws)


@dataclass(frozen=True)
class EventFilter:
    """Which events a stream wants: type patterns (all when empty) and one VM (all if None).

    Attributes:
        types: The type patterns.
        vm_id: The VM's id.
    """

    types: tuple[str, ...] = ()
    vm_id: str | None = None
    _prefixes: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _exact: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_prefixes", tuple(p[:-1] for p in self.types if p[-1:] == "*"))
        object.__setattr__(self, "_exact", frozenset(p for p in self.types if p[-1:] != "*"))

    def accepts(self, frame: Frame) -> bool:
        """Whether the stream wants this event.

        Args:
            frame: The event.

        Returns:
            True to send it.
        """
        if self.vm_id is not None and frame.vm_id != self.vm_id:
            return False
        if not self.types:
            return True
        return frame.type in self._exact or frame.type.startswith(self._prefixes)


class EventFeed:
    """The newest events of the log in memory, and a way to wait for more.

    Args:
        store: The store holding the log.
        bus: Announces commits of new events.
        cache_size: How many of the newest events to keep rendered.
        page_size: How many events one query reads.
    """

    def __init__(
        self, store: Store, bus: EventBus, *, cache_size: int = 2048, page_size: int = 500
    ) -> None:
        self._store = store
        self._bus = bus
        self._cache_size = cache_size
        self._page_size = page_size
        self._frames: list[Frame] = []
        self._ids: list[int] = []
        # Every event with _floor < id <= _scanned is in _frames.
        self._floor = 0
        self._scanned = 0
        self._started = False
        self._closed = False
        self._wake: asyncio.Event | None = None
        self._pump: asyncio.Task[None] | None = None

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called: streams end."""
        return self._closed

    @property
    def newest_id(self) -> int:
        """The newest event id the feed knows is committed."""
        return max(self._scanned, self._bus.last_id)

    def start(self) -> None:
        """Start following the log from its newest event (idempotent; needs a running loop)."""
        if self._started or self._closed:
            return
        self._started = True
        with self._store.read() as tx:
            newest = tx.last_event_id() or 0
        self._floor = self._scanned = max(newest, self._bus.last_id)
        self._wake = asyncio.Event()
        self._pump = asyncio.get_running_loop().create_task(self._run(), name="event-feed")

    def close(self) -> None:
        """Stop following the log and wake every waiting stream so that it ends."""
        self._closed = True
        if self._pump is not None:
            self._pump.cancel()
        self._notify()

    def frames_after(self, cursor: int, accept: EventFilter, limit: int) -> tuple[list[Frame], int]:
        """Up to `limit` wanted events after `cursor`, and the position to continue from.

        The position only grows: it is the last event examined, so a stream whose filter
        skips most events does not examine them again.

        Args:
            cursor: The last position of the stream.
            accept: The stream's filter.
            limit: The most events to return.

        Returns:
            The frames, oldest first, and the new position.
        """
        self.start()
        if cursor >= self._floor:
            found: list[Frame] = []
            position = self._scanned
            frames = self._frames
            for index in range(bisect_right(self._ids, cursor), len(frames)):
                frame = frames[index]
                if accept.accepts(frame):
                    found.append(frame)
                    if len(found) >= limit:
                        position = frame.id
                        break
            return found, max(cursor, position)
        # Older than what is kept in memory: read the log itself.
        scanned = self._scanned
        with self._store.read() as tx:
            rows = tx.list_events(
                after_id=cursor, limit=limit, types=accept.types, vm_id=accept.vm_id
            )
        frames = [Frame.of(row) for row in rows]
        if len(rows) == limit:
            return frames, rows[-1].id
        # The query saw every commit up to `scanned`: nothing else wanted is in between.
        return frames, max(cursor, scanned, rows[-1].id if rows else 0)

    async def wait(self, cursor: int, timeout: float) -> None:
        """Return once the feed has read past `cursor`, on close, or after `timeout` seconds.

        Args:
            cursor: The stream's position.
            timeout: Seconds to wait at most.
        """
        self.start()
        wake = self._wake
        if self._closed or self._scanned > cursor or wake is None:
            return
        # asyncio.timeout, unlike wait_for on 3.11, makes no task per wait: 100 streams
        # wake on every commit.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await wake.wait()

    def _notify(self) -> None:
        wake = self._wake
        if wake is not None:
            # Wake every current waiter; later ones wait on a fresh event.
            self._wake = asyncio.Event()
            wake.set()

    async def _run(self) -> None:
        while not self._closed:
            if await self._bus.wait_after(self._scanned) <= self._scanned:
                # A bus not attached to a loop (an app served without its lifespan startup)
                # returns at once: poll the log instead of spinning.
                await asyncio.sleep(0.1)
            try:
                self._read_new()
            except Exception:  # the store may be briefly unavailable: try again soon
                log.exception("reading the event log failed")
                await asyncio.sleep(1.0)
                continue
            self._notify()

    def _read_new(self) -> None:
        announced = self._bus.last_id
        while True:
            with self._store.read() as tx:
                rows = tx.list_events(after_id=self._scanned, limit=self._page_size)
            for row in rows:
                frame = Frame.of(row)
                self._frames.append(frame)
                self._ids.append(frame.id)
            if rows:
                self._scanned = rows[-1].id
            if len(rows) < self._page_size:
                break
        # Announced ids the query did not return were pruned meanwhile: nothing to wait for.
        self._scanned = max(self._scanned, announced)
        excess = len(self._frames) - self._cache_size
        if excess > self._cache_size // 4:  # trim in batches: slicing a list is O(n)
            self._floor = self._ids[excess - 1]
            del self._frames[:excess]
            del self._ids[:excess]
