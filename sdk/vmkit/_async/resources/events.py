"""``client.events``: the server's event log, as pages or as a live stream."""

from __future__ import annotations

from collections.abc import Sequence

from vmkit._async._event_stream import AsyncEventStream
from vmkit._async._pagination import AsyncPaginator
from vmkit._async.resources._base import AsyncResource, VMRef, vm_ref
from vmkit._core.events import Event
from vmkit.types import Page

__all__ = ["AsyncEvents"]


def _type_list(types: str | Sequence[str] | None) -> list[str] | None:
    if types is None:
        return None
    return [types] if isinstance(types, str) else list(types)


class AsyncEvents(AsyncResource):
    """The event log: ``client.events``. Calls need a token with the ``read`` scope.

    Every change the server makes is an event with a monotonic id: ``vm.created``,
    ``vm.state_changed``, ``vm.snapshot.created``, ``operation.finished``, ... Follow them
    live with :meth:`stream`, or poll with :meth:`list`.
    """

    def list(
        self,
        *,
        since: int | None = None,
        types: str | Sequence[str] | None = None,
        vm: VMRef | None = None,
        page_size: int | None = None,
    ) -> AsyncPaginator[Event]:
        """The events after ``since``, oldest first, fetched a page at a time.

        For polling: remember the ``id`` of the last event you handled and pass it as
        ``since`` next time.

        Args:
            since: Only events with a larger id (from the oldest kept when None).
            types: Type patterns: ``"vm.state_changed"``, ``"vm.*"``, ``["vm.*",
                "operation.finished"]`` (all types when None).
            vm: Only events about this VM (name, id or handle).
            page_size: Events per request (the server's default when None).

        Returns:
            A paginator of :class:`vmkit.Event` objects.
        """
        type_list = _type_list(types)
        vm_name = None if vm is None else vm_ref(vm)

        async def fetch(page_token: str | None) -> Page[Event]:
            return await self._api.list_events(
                since=since,
                types=type_list,
                vm=vm_name,
                page_size=page_size,
                page_token=page_token,
            )

        return AsyncPaginator(fetch)

    def stream(
        self,
        types: str | Sequence[str] | None = None,
        *,
        vm: VMRef | None = None,
        last_event_id: int | None = None,
        heartbeat: float = 15.0,
        max_reconnects: int | None = None,
    ) -> AsyncEventStream:
        """Follow the events live (Server-Sent Events), reconnecting by itself.

        ::

            async with client.events.stream("vm.*", vm="web-1") as events:
                async for event in events:
                    print(event.type)

        Args:
            types: Type patterns, as for :meth:`list` (all types when None). Console output
                (``vm.console.output``) is produced only while a stream names it (this
                pattern or ``vm.console.*``); ``vm.*`` and ``*`` then see it too.
            vm: Only events about this VM (name, id or handle).
            last_event_id: Resume after this event id, e.g. the ``last_event_id`` of an
                earlier stream (None: only events from the moment of connecting).
            heartbeat: Seconds between the server's keep-alive comments; a connection
                silent for twice as long is replaced.
            max_reconnects: Failed reconnections in a row before the stream raises the
                last error (None: keep trying, with a growing wait up to 30 s).

        Returns:
            The stream; nothing is sent until you enter or iterate it.

        Raises:
            ValueError: If ``heartbeat`` is outside 0.05..300 seconds.
        """
        if not 0.05 <= heartbeat <= 300:
            raise ValueError(f"heartbeat must be between 0.05 and 300 seconds, not {heartbeat}")
        return AsyncEventStream(
            self._api,
            types=_type_list(types),
            vm=None if vm is None else vm_ref(vm),
            last_event_id=last_event_id,
            heartbeat=heartbeat,
            max_reconnects=max_reconnects,
        )
