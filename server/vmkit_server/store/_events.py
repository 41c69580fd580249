"""Transaction methods for the ``events`` table (the durable event log)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, insert, or_, select

from vmkit_server.store._base import TxBase
from vmkit_server.store._types import UTCDateTime
from vmkit_server.store._webhook_deliveries import queue_event_deliveries
from vmkit_server.store.rows import EventRow
from vmkit_server.store.schema import events

__all__ = ["EventsTx", "type_filter"]

_e = events.c
_INSERT = insert(events).returning(*events.c)
_FIRST_ID = select(func.min(_e.id))
_LAST_ID = select(func.max(_e.id))
_PRUNE = delete(events).where(_e.time < bindparam("keep_after", type_=UTCDateTime()))


def type_filter(patterns: Sequence[str]) -> ColumnElement[bool]:
    """A WHERE clause matching event types against patterns.

    A pattern ending in ``*`` matches every type starting with what precedes it
    (``vm.*`` matches ``vm.created`` and ``vm.snapshot.created``; ``*`` matches all);
    any other pattern matches exactly.

    Args:
        patterns: The patterns (at least one).

    Returns:
        The clause.
    """
    exact = [p for p in patterns if not p.endswith("*")]
    clauses: list[ColumnElement[bool]] = [
        _e.type.startswith(p[:-1], autoescape=True) for p in patterns if p.endswith("*")
    ]
    if exact:
        clauses.append(_e.type.in_(exact))
    return or_(*clauses)


class EventsTx(TxBase):
    """Appends to and reads of the event log."""

    __slots__ = ()

    def append_event(
        self,
        type: str,
        *,
        subject_type: str,
        subject_id: str,
        vm_id: str | None,
        data: Mapping[str, Any],
    ) -> EventRow:
        """Append an event stamped ``clock()``; its id is larger than every earlier one.

        Args:
            type: The event type, e.g. ``vm.state_changed``.
            subject_type: What the event is about (``vm``, ``operation``, ...).
            subject_id: The id of that subject.
            vm_id: The VM concerned, if any (for the ``vm=`` filter).
            data: The payload.

        Returns:
            The stored event.
        """
        values = {
            "time": self._now(),
            "type": type,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "vm_id": vm_id,
            "data": dict(data),
        }
        row = self._write(_INSERT, values).one()
        event = EventRow(**row._mapping)
        queue_event_deliveries(self, event)  # the webhook outbox: in this same transaction
        self.appended_event_id = event.id
        return event

    def list_events(
        self,
        *,
        after_id: int,
        limit: int,
        types: Sequence[str] = (),
        vm_id: str | None = None,
    ) -> list[EventRow]:
        """Events with ``id > after_id`` in id order.

        Args:
            after_id: The last id already seen (0 for the start).
            limit: The most events to return.
            types: Type patterns (see :func:`type_filter`); all types if empty.
            vm_id: Only events about this VM.

        Returns:
            The rows.
        """
        conds: list[ColumnElement[bool]] = [_e.id > after_id]
        if types:
            conds.append(type_filter(types))
        if vm_id is not None:
            conds.append(_e.vm_id == vm_id)
        stmt = select(events).where(*conds).order_by(_e.id).limit(limit)
        return [EventRow(**r._mapping) for r in self._run(stmt)]

    def first_event_id(self) -> int | None:
        """The id of the oldest event kept, or None if the log is empty.

        Returns:
            The id or None.
        """
        first: int | None = self._run(_FIRST_ID).scalar()
        return first

    def last_event_id(self) -> int | None:
        """The id of the newest event kept, or None if the log is empty.

        Returns:
            The id or None.
        """
        last: int | None = self._run(_LAST_ID).scalar()
        return last

    def prune_events(self, keep_after: datetime) -> int:
        """Delete events older than a time. Ids of deleted events are never reused.

        Args:
            keep_after: Events at or after this time are kept.

        Returns:
            How many events were deleted.
        """
        return self._rowcount(_PRUNE, {"keep_after": keep_after})
