"""The API layer's event calls (``GET /v1/events``: a JSON page, or the SSE stream)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Unpack

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse

from vmkit import _compat, errors
from vmkit._async._api_base import AsyncAPIBase, opt, token
from vmkit._core.attempts import describe_failure
from vmkit._core.events import Event, read_timeout
from vmkit._core.problems import error_for
from vmkit._generated.api.events import list_events
from vmkit._generated.models import Event as EventModel
from vmkit._generated.models import EventList
from vmkit._generated.types import UNSET
from vmkit.types import Page, RequestOptions

__all__ = ["EVENT_STREAM", "AsyncEventsAPI", "connection_error"]

EVENT_STREAM = "text/event-stream"
# Connecting, sending and waiting for a pooled connection; reading is bounded by heartbeats.
_CONNECT_TIMEOUT = 30.0


class AsyncEventsAPI(AsyncAPIBase):
    """Reading the event log, a page at a time or as a live stream."""

    async def list_events(
        self,
        *,
        since: int | None,
        types: Sequence[str] | None,
        vm: str | None,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[Event]:
        """``GET /v1/events``: one page, as :class:`vmkit.Event` objects."""
        kwargs = list_events._get_kwargs(
            types=UNSET if types is None else list(types),
            vm=opt(vm),
            since=opt(since),
            page_size=opt(page_size),
            page_token=opt(page_token),
            heartbeat_seconds=UNSET,
        )
        body = await self._call(list_events, EventList, kwargs, request)
        return Page([_event(m) for m in body.items], token(body.next_page_token))

    async def open_event_stream(
        self,
        connection: contextlib.AsyncExitStack,
        *,
        types: Sequence[str] | None,
        vm: str | None,
        headers: dict[str, str],
        heartbeat: float,
    ) -> AsyncIterator[ServerSentEvent]:
        """``GET /v1/events`` with ``Accept: text/event-stream``: one connection's frames.

        Args:
            connection: Closing it closes the connection (also after an error).
            types: Type patterns (all types when None).
            vm: A VM's name or id (all VMs when None).
            headers: Extra headers (``Last-Event-ID``).
            heartbeat: Seconds between the server's keep-alive comments.

        Returns:
            The frames as httpx-sse parses them, until the server ends the stream.

        Raises:
            vmkit.errors.APIStatusError: The server refused the stream.
            vmkit.errors.APIConnectionError: It could not be reached (``APITimeoutError``
                included).
        """
        kwargs = list_events._get_kwargs(
            types=UNSET if types is None else list(types),
            vm=opt(vm),
            page_size=UNSET,
            heartbeat_seconds=heartbeat,
        )
        sent = self.transport.default_headers
        sent.update(headers)
        url = self.transport.url_for(kwargs["url"])
        timeout = httpx.Timeout(_CONNECT_TIMEOUT, read=read_timeout(heartbeat))
        try:
            source = await connection.enter_async_context(
                aconnect_sse(
                    self.transport.http,
                    "GET",
                    url,
                    params=kwargs["params"],
                    headers=sent,
                    timeout=timeout,
                )
            )
            response = source.response
            if not response.is_success:
                await response.aread()
                raise error_for(response, now=_compat.utcnow())
        except httpx.RequestError as exc:
            raise connection_error(exc) from exc
        media_type = response.headers.get("content-type", "").partition(";")[0]
        if media_type.strip() != EVENT_STREAM:
            raise errors.APIError(
                f"GET {url} answered {media_type or 'no content type'}, not {EVENT_STREAM}",
                request=response.request,
            )
        frames = source.aiter_sse()
        # Close the parser's generator with the connection (the sync twin's is typed as a
        # plain Iterator, hence getattr).
        close = getattr(frames, "aclose", None)
        if close is not None:
            connection.push_async_callback(close)
        return frames


def _event(model: EventModel) -> Event:
    return Event(
        id=model.id,
        type=model.type_,
        time=model.time,
        subject_type=model.subject_type,
        subject_id=model.subject_id,
        vm_id=model.vm_id,
        data=model.data.to_dict(),
    )


def connection_error(exc: httpx.RequestError) -> errors.APIConnectionError:
    """The SDK's error for a transport failure of the event stream (connecting or reading).

    Args:
        exc: What httpx raised.

    Returns:
        An :class:`~vmkit.errors.APITimeoutError` for a timeout, else an
        :class:`~vmkit.errors.APIConnectionError`.
    """
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:  # httpx raises when the error has no request attached
        request = None
    where = f"GET {request.url}" if request is not None else "the event stream"
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(request, f"{where} timed out")
    return errors.APIConnectionError(request, f"{where} failed: {describe_failure(exc)}")
