"""Reading the event log: pages for polling clients, live subscriptions for streams.

A subscription starts after a position of the log (the client's ``Last-Event-ID``, or the
newest event for the live tail) and hands out the wanted events in id order, each once.
When the log no longer holds what follows that position (pruned) or never held it (an id
from another server's log), the subscription first says so with a `reset` notice and goes
on with the oldest event still held, so nothing is skipped silently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..problems import ProblemError
from ..store import EventRow
from . import errors
from .console_watch import ConsoleWatcher, names_console_output
from .context import Services
from .event_feed import EventFeed, EventFilter, Frame, event_view
from .render import render_json

__all__ = ["EventStreams", "Reset", "Subscription"]

# Ids of VMs (not names) are taken as given: the events of a deleted VM stay readable.
_VM_ID_PREFIX = "vm_"
# The most frames one read of a subscription returns.
_BATCH = 500


@dataclass(frozen=True)
class Reset:
    """Why a subscription could not resume exactly where its client left off.

    Attributes:
        reason: ``pruned`` (the events after the client's id were deleted) or ``unknown_id``
            (the id is newer than anything this log ever held).
        last_event_id: The id the client asked to resume after.
        oldest_event_id: The oldest id the log still holds (None when it is empty).
        resume_after: The position the subscription goes on from (the frame's id).
    """

    reason: str
    last_event_id: int
    oldest_event_id: int | None
    resume_after: int

    def frame(self) -> Frame:
        """The `reset` frame: its data is a StreamReset, its id the position resumed from."""
        body = render_json(
            {
                "reason": self.reason,
                "last_event_id": self.last_event_id,
                "oldest_event_id": self.oldest_event_id,
            }
        )
        return Frame.build(self.resume_after, "reset", None, body)


class Subscription:
    """The events after a position of the log that pass a filter, as they are committed.

    Args:
        feed: The shared feed.
        accept: The filter.
        cursor: The position to start after.
        reset: The notice to send first, if any.
        release: Called once by :meth:`close`.
    """

    def __init__(
        self,
        feed: EventFeed,
        accept: EventFilter,
        cursor: int,
        reset: Reset | None,
        release: Callable[[], None],
    ) -> None:
        self._feed = feed
        self._accept = accept
        self._cursor = cursor
        self.reset = reset
        self._release = release

    @property
    def cursor(self) -> int:
        """The position reached: every wanted event up to it was handed out."""
        return self._cursor

    async def next(self, timeout: float) -> list[Frame] | None:
        """The next wanted events, waiting for them at most `timeout` seconds.

        Args:
            timeout: Seconds to wait when there is nothing new.

        Returns:
            One or more frames; an empty list when `timeout` passed first; None once the
            server closes its streams.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._feed.closed:
            frames, self._cursor = self._feed.frames_after(self._cursor, self._accept, _BATCH)
            if frames:
                return frames
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._feed.wait(self._cursor, remaining)
        return None

    def close(self) -> None:
        """Let go of what the subscription holds (a console watch)."""
        self._release()


class EventStreams:
    """The events service: pages of the log and live subscriptions.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc
        self.feed = EventFeed(svc.store, svc.bus)
        self.console = ConsoleWatcher(svc)

    def page(
        self,
        *,
        since: int | None,
        page_token: str | None,
        page_size: int,
        types: Sequence[str] = (),
        vm: str | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of events after `since` (or the page token), oldest first.

        Args:
            since: The last id the client saw (0 or None: from the oldest kept).
            page_token: The previous page's `next_page_token` (wins over `since`).
            page_size: The most events to return.
            types: Type patterns (all types when empty).
            vm: A VM's name or id (all VMs when None).

        Returns:
            The Event objects and the next page's token (None on the last page).

        Raises:
            ProblemError: 404 `VM_NOT_FOUND` for an unknown VM name; 422 for a bad token.
        """
        after = _decode_token(page_token) if page_token is not None else (since or 0)
        vm_id = self.resolve_vm(vm)
        with self._svc.store.read() as tx:
            rows = tx.list_events(
                after_id=after, limit=page_size + 1, types=tuple(types), vm_id=vm_id
            )
        page: Sequence[EventRow] = rows[:page_size]
        token = str(page[-1].id) if len(rows) > page_size else None
        return [event_view(r) for r in page], token

    def resolve_vm(self, vm: str | None) -> str | None:
        """The VM id a `vm=` filter names: an id as given, a name looked up.

        Args:
            vm: The filter's value, or None.

        Returns:
            The VM's id, or None for no filter.

        Raises:
            ProblemError: 404 `VM_NOT_FOUND` for an unknown name.
        """
        if vm is None or vm.startswith(_VM_ID_PREFIX):
            return vm
        row = self._svc.store.get_vm(vm)
        if row is None:
            raise errors.not_found("vm", vm)
        return row.id

    def subscribe(
        self, *, after: int | None, types: Sequence[str] = (), vm: str | None = None
    ) -> Subscription:
        """Follow the log after `after` (its newest event when None).

        Args:
            after: The last id the client received (``Last-Event-ID``), or None.
            types: Type patterns (all types when empty).
            vm: A VM's name or id (all VMs when None).

        Returns:
            The subscription, with its `reset` notice when it cannot resume exactly.

        Raises:
            ProblemError: 404 `VM_NOT_FOUND` for an unknown VM name.
        """
        accept = EventFilter(tuple(types), self.resolve_vm(vm))
        feed = self.feed
        feed.start()
        with self._svc.store.read() as tx:
            oldest = tx.first_event_id()
            newest = max(tx.last_event_id() or 0, feed.newest_id)
        reset = None
        cursor = newest if after is None else after
        if after is not None and after > newest:
            reset = Reset("unknown_id", after, oldest, newest if oldest is None else oldest - 1)
        elif after is not None and after < (newest if oldest is None else oldest - 1):
            reset = Reset("pruned", after, oldest, newest if oldest is None else oldest - 1)
        if reset is not None:
            cursor = reset.resume_after
        release: Callable[[], None] = _nothing
        if names_console_output(accept.types) and not feed.closed:
            release = self.console.acquire(accept.vm_id)
        return Subscription(feed, accept, cursor, reset, release)

    def close(self) -> None:
        """End every live subscription (server shutdown): they return None from `next`."""
        self.feed.close()
        self.console.close()


def _nothing() -> None:
    return None


def _decode_token(token: str) -> int:
    if not token.isdigit() or len(token) > 19:
        raise ProblemError(
            422,
            "VALIDATION_FAILED",
            "page_token is not a token this server issued",
            errors=[
                {
                    "location": "query",
                    "pointer": "/page_token",
                    "detail": "not a valid page token",
                    "keyword": "format",
                }
            ],
        )
    return int(token)
