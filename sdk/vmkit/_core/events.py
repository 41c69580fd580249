"""Events and the bookkeeping of a live stream, shared by both twins (no I/O here).

A stream remembers the id of the last event it handed out, sends it as ``Last-Event-ID``
when it reconnects (so the server resumes right after it: nothing missed, nothing repeated),
and decides after each disconnection whether to reconnect and after how long.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Self

from vmkit import errors
from vmkit._core.retry import RETRYABLE_STATUSES

__all__ = [
    "RESET",
    "Event",
    "ReconnectPolicy",
    "StreamCursor",
    "StreamReset",
    "parse_frame",
    "read_timeout",
]

#: The SSE event name of a reset notice.
RESET = "reset"


@dataclass(frozen=True)
class Event:
    """One entry of the server's event log: something changed.

    Attributes:
        id: Its position in the log; ids only grow. Pass it as ``last_event_id`` to a new
            stream (or as ``since`` to ``client.events.list``) to continue after it.
        type: What happened: ``vm.created``, ``vm.state_changed``, ``vm.snapshot.created``,
            ``operation.finished``, ``vm.console.output``, ... (new types may appear).
        time: When the server recorded it (UTC).
        subject_type: What the event is about: ``vm``, ``snapshot``, ``operation``, ...
        subject_id: The id of that subject.
        vm_id: The VM concerned, if any.
        data: The payload, as JSON: the resource as it is after the change (``vm``,
            ``snapshot`` or ``operation``, with its new ``etag``) and what changed
            (``previous_state``, ``previous_name``, ...).
    """

    id: int
    type: str
    time: datetime
    subject_type: str
    subject_id: str
    vm_id: str | None
    data: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Self:
        """Build one from the API's ``Event`` JSON.

        Args:
            body: The decoded JSON object.

        Returns:
            The event.

        Raises:
            KeyError: A required field is missing.
            ValueError: A field has the wrong form.
        """
        vm_id = body.get("vm_id")
        data = body.get("data", {})
        if not isinstance(data, Mapping):
            raise ValueError(f"event data must be an object, not {type(data).__name__}")
        return cls(
            id=int(body["id"]),
            type=str(body["type"]),
            time=datetime.fromisoformat(str(body["time"])),
            subject_type=str(body["subject_type"]),
            subject_id=str(body["subject_id"]),
            vm_id=None if vm_id is None else str(vm_id),
            data=dict(data),
        )


@dataclass(frozen=True)
class StreamReset:
    """The stream could not resume where it left off: some events are lost to it.

    The server sends this (instead of silently skipping) when the events after the stream's
    ``Last-Event-ID`` were pruned from its log, or when that id is not from its log at all
    (say, the server's data was wiped). The stream goes on with the oldest event the server
    still holds; anything you derived from earlier events may be stale, so read the current
    state again (``client.vms.list()``, ...).

    Attributes:
        type: Always ``"reset"``, so a loop can test ``item.type`` for every item.
        reason: ``"pruned"`` or ``"unknown_id"``.
        last_event_id: The id the stream asked to resume after.
        oldest_event_id: The oldest id the server's log still holds (None if it is empty).
    """

    type: ClassVar[str] = RESET
    reason: str
    last_event_id: int
    oldest_event_id: int | None

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Self:
        """Build one from the API's ``StreamReset`` JSON.

        Args:
            body: The decoded JSON object.

        Returns:
            The notice.

        Raises:
            KeyError: A required field is missing.
            ValueError: A field has the wrong form.
        """
        oldest = body.get("oldest_event_id")
        return cls(
            reason=str(body["reason"]),
            last_event_id=int(body["last_event_id"]),
            oldest_event_id=None if oldest is None else int(oldest),
        )


def parse_frame(event: str, data: str) -> Event | StreamReset | None:
    """What one SSE frame (or WebSocket message) carries.

    Args:
        event: The frame's ``event`` field (the event type, or ``reset``).
        data: Its ``data`` field (JSON).

    Returns:
        The event or the reset notice; None for a frame without data (a ``retry`` hint).

    Raises:
        vmkit.errors.APIError: The data is not the JSON the API describes.
    """
    if not data:
        return None
    try:
        body = json.loads(data)
        if not isinstance(body, Mapping):
            raise TypeError(f"expected a JSON object, not {type(body).__name__}")
        if event == RESET:
            return StreamReset.from_dict(body)
        return Event.from_dict(body)
    except (ValueError, KeyError, TypeError) as exc:
        raise errors.APIError(
            f"malformed {event or 'message'} frame in the event stream: {exc!r}"
        ) from exc


def read_timeout(heartbeat: float) -> float:
    """How long a stream waits for a byte before it deems the connection dead.

    Args:
        heartbeat: The seconds between the server's keep-alive comments.

    Returns:
        Two heartbeats, and at least five seconds more than one.
    """
    return max(2.0 * heartbeat, heartbeat + 5.0)


@dataclass(frozen=True)
class ReconnectPolicy:
    """How patiently a stream reconnects.

    Attributes:
        backoff_base: The first delay in seconds (the server's ``retry`` hint replaces it).
        backoff_max: The longest delay in seconds.
        jitter: The fraction (0..1) by which a delay is randomly shortened.
    """

    backoff_base: float = 0.5
    backoff_max: float = 30.0
    jitter: float = 0.5


class StreamCursor:
    """Where a stream stands, and whether and when to reconnect after losing the connection.

    Args:
        last_event_id: The id to resume after (None: the server's live tail).
        max_reconnects: Failed reconnections in a row after which the stream gives up
            (None: never).
        policy: The backoff.
        rand: A source of floats in [0, 1) for the jitter.
    """

    def __init__(
        self,
        last_event_id: int | None,
        *,
        max_reconnects: int | None = None,
        policy: ReconnectPolicy | None = None,
        rand: Callable[[], float],
    ) -> None:
        self.last_event_id = last_event_id
        self.max_reconnects = max_reconnects
        self.policy = policy or ReconnectPolicy()
        self.failures = 0
        self.retry_hint: float | None = None
        self._rand = rand

    def headers(self) -> dict[str, str]:
        """The headers of the next connection: ``Last-Event-ID`` once an id is known.

        Returns:
            The headers.
        """
        if self.last_event_id is None:
            return {}
        return {"Last-Event-ID": str(self.last_event_id)}

    def connected(self) -> None:
        """The server accepted a connection: the failures in a row start again from zero."""
        self.failures = 0

    def received(
        self, event: str, data: str, event_id: str, retry: int | None
    ) -> Event | StreamReset | None:
        """Take in one frame.

        Args:
            event: Its ``event`` field.
            data: Its ``data`` field.
            event_id: Its ``id`` field ("" if none).
            retry: Its ``retry`` field in milliseconds, if any.

        Returns:
            What to hand to the user, if anything (see :func:`parse_frame`).

        Raises:
            vmkit.errors.APIError: A malformed frame.
        """
        if retry is not None and retry >= 0:
            self.retry_hint = retry / 1000.0
        item = parse_frame(event, data)
        if event_id.isdigit():
            self.last_event_id = int(event_id)
        elif isinstance(item, Event):
            self.last_event_id = item.id
        return item

    def disconnected(self, error: BaseException | None) -> float | None:
        """The connection ended (`error` is None when the server closed it): wait how long?

        Args:
            error: What failed: an error of :mod:`vmkit.errors` from connecting, or None.

        Returns:
            Seconds to wait before reconnecting; None to give up (the caller raises
            `error`, or ends the stream if there is none).
        """
        if error is not None and not _worth_reconnecting(error):
            return None
        self.failures += 1
        if self.max_reconnects is not None and self.failures > self.max_reconnects:
            return None
        base = self.retry_hint if self.retry_hint is not None else self.policy.backoff_base
        exponent = min(self.failures - 1, 60)
        delay = min(self.policy.backoff_max, base * 2.0**exponent)
        delay *= 1.0 - self.policy.jitter * self._rand()
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, int | float) and retry_after > delay:
            delay = float(retry_after)
        return delay


def _worth_reconnecting(error: BaseException) -> bool:
    if isinstance(error, errors.APIConnectionError):  # timeouts included
        return True
    if isinstance(error, errors.APIStatusError):
        return error.status in RETRYABLE_STATUSES or error.status >= 500
    return False
