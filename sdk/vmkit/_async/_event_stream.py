"""``client.events.stream(...)``: the server's live events, reconnecting by itself."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx
from httpx_sse import ServerSentEvent

from vmkit import errors
from vmkit._async._api_events import connection_error
from vmkit._core.events import Event, StreamCursor, StreamReset
from vmkit._core.retry import jitter

if TYPE_CHECKING:
    from vmkit._async._api import AsyncAPI

__all__ = ["AsyncEventStream"]


class AsyncEventStream:
    """The server's events as they happen, oldest first, each exactly once.

    Iterate it for :class:`vmkit.Event` objects (and a :class:`vmkit.StreamReset` if the
    server lost events the stream had not received yet). When the connection drops or the
    server restarts, it reconnects by itself, waiting a little longer after each failure,
    and sends the id of the last event it handed out (``Last-Event-ID``), so the server
    resumes right after it: nothing is missed, nothing repeated.

    Use it as a context manager so the connection is closed when you are done; entering
    connects at once, so every event committed after ``__aenter__`` returns is delivered::

        async with client.events.stream(types=["vm.*"]) as events:
            async for event in events:
                if isinstance(event, vmkit.StreamReset):
                    ...  # events were lost: read the current state again
                else:
                    print(event.id, event.type, event.vm_id)

    Args:
        api: The client's API.
        types: Type patterns (``vm.*``, ``operation.finished``); all types when None.
        vm: A VM's name or id; all VMs when None.
        last_event_id: Resume after this event (None: only events from now on).
        heartbeat: Seconds between the server's keep-alive comments; a connection silent
            for two of them is deemed dead and replaced.
        max_reconnects: Failed reconnections in a row before the last error is raised
            (None: keep trying).
    """

    def __init__(
        self,
        api: AsyncAPI,
        *,
        types: Sequence[str] | None,
        vm: str | None,
        last_event_id: int | None,
        heartbeat: float,
        max_reconnects: int | None,
    ) -> None:
        self._api = api
        self._types = None if types is None else list(types)
        self._vm = vm
        self._heartbeat = heartbeat
        self._cursor = StreamCursor(last_event_id, max_reconnects=max_reconnects, rand=jitter)
        self._connection: contextlib.AsyncExitStack | None = None
        self._frames: AsyncIterator[ServerSentEvent] | None = None
        self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open" if self._frames else "idle"
        return f"<{type(self).__name__} {state} last_event_id={self.last_event_id}>"

    @property
    def last_event_id(self) -> int | None:
        """The id of the last event handed out (None before the first one)."""
        return self._cursor.last_event_id

    async def __aenter__(self) -> Self:
        await self._connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Event | StreamReset:
        while not self._closed:
            frames = await self._connect()
            if frames is None:
                break
            try:
                frame = await anext(frames)
            except StopAsyncIteration:
                await self._reconnect_after(None)
                continue
            except httpx.RequestError as exc:
                await self._reconnect_after(connection_error(exc))
                continue
            item = self._cursor.received(frame.event, frame.data, frame.id, frame.retry)
            if item is not None:
                return item
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Close the connection; iteration ends. Closing twice is harmless."""
        self._closed = True
        await self._disconnect()

    async def _connect(self) -> AsyncIterator[ServerSentEvent] | None:
        """The current connection's frames, connecting (and retrying) when there is none."""
        while self._frames is None and not self._closed:
            connection = contextlib.AsyncExitStack()
            try:
                self._frames = await self._api.open_event_stream(
                    connection,
                    types=self._types,
                    vm=self._vm,
                    headers=self._cursor.headers(),
                    heartbeat=self._heartbeat,
                )
            except errors.APIError as exc:
                await connection.aclose()
                await self._wait_or_raise(exc)
                continue
            self._connection = connection
            self._cursor.connected()
        return self._frames

    async def _disconnect(self) -> None:
        connection, self._connection, self._frames = self._connection, None, None
        if connection is not None:
            await connection.aclose()

    async def _reconnect_after(self, error: errors.APIError | None) -> None:
        await self._disconnect()
        await self._wait_or_raise(error)

    async def _wait_or_raise(self, error: errors.APIError | None) -> None:
        delay = self._cursor.disconnected(error)
        if delay is None:
            self._closed = True
            if error is not None:
                raise error
            return
        await self._api.sleep(delay)
