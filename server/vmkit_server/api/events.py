"""Handlers for the `events` tag: the event log as JSON pages or as Server-Sent Events."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from starlette.responses import Response, StreamingResponse

from ..core.facade import Core
from ..core.streams import Subscription
from ..problems import ProblemError
from ..routing import Call
from ._responses import page_response

__all__ = ["list_events"]

EVENT_STREAM = "text/event-stream"
# Sent first: how long an EventSource should wait before reconnecting (milliseconds).
_RETRY = b"retry: 1000\n\n"
_HEARTBEAT = b": heartbeat\n\n"
_STREAM_HEADERS = {
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",  # nginx would otherwise buffer the stream
}


async def list_events(call: Call, core: Core) -> Response:
    """GET /v1/events: a JSON page, or with `Accept: text/event-stream` the live stream."""
    q = call.query
    if wants_event_stream(call.request.headers.get("accept")) and call.request.method == "GET":
        subscription = core.events.subscribe(
            after=start_after(call), types=q.get("types") or (), vm=q.get("vm")
        )
        authorization = call.request.headers.get("authorization")

        def still_allowed() -> bool:
            try:
                core.auth.authenticate(authorization)
            except ProblemError:
                return False
            return True

        return StreamingResponse(
            sse_body(subscription, float(q["heartbeat_seconds"]), still_allowed),
            media_type=EVENT_STREAM,
            headers=_STREAM_HEADERS,
        )
    items, token = core.events.page(
        since=q.get("since"),
        page_token=q.get("page_token"),
        page_size=q["page_size"],
        types=q.get("types") or (),
        vm=q.get("vm"),
    )
    return page_response(items, token)


def wants_event_stream(accept: str | None) -> bool:
    """Whether an `Accept` header asks for `text/event-stream` (with a non-zero q).

    Args:
        accept: The header's value.

    Returns:
        True for a stream.
    """
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if media.lower() == EVENT_STREAM:
            return not any(_is_q_zero(p) for p in params)
    return False


def _is_q_zero(param: str) -> bool:
    name, _, value = param.partition("=")
    if name.strip().lower() != "q":
        return False
    try:
        return float(value) == 0.0
    except ValueError:
        return False


def start_after(call: Call) -> int | None:
    """Where a stream starts: `Last-Event-ID`, else `last_event_id`, else `since`, else live.

    The header wins: a browser's EventSource reconnects with the URL it first used and the
    header set to the last id it received.
    """
    header = call.headers.get("Last-Event-ID")
    if header is not None:
        return int(header)
    for name in ("last_event_id", "since"):
        value = call.query.get(name)
        if value is not None:
            return int(value)
    return None


async def sse_body(
    subscription: Subscription, heartbeat: float, still_allowed: Callable[[], bool]
) -> AsyncIterator[bytes]:
    """The stream's bytes: a `retry` hint, the `reset` notice if any, then events and heartbeats.

    It ends when the server shuts down, or at the heartbeat after the token stopped being
    valid (revoked or expired); a client that disconnects cancels it.

    Args:
        subscription: What to send.
        heartbeat: Seconds of silence after which a comment line is sent.
        still_allowed: Whether the token that opened the stream is still valid.
    """
    try:
        first = _RETRY
        if subscription.reset is not None:
            first += subscription.reset.frame().sse
        yield first
        while True:
            frames = await subscription.next(heartbeat)
            if frames is None:
                return
            if frames:
                yield b"".join(f.sse for f in frames)
            elif still_allowed():
                yield _HEARTBEAT
            else:
                return
    finally:
        subscription.close()
