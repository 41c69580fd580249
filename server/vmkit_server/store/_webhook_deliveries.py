"""Transaction methods for ``webhook_deliveries``: the transactional outbox of webhooks.

:func:`queue_event_deliveries` runs inside ``append_event``, so an event and the deliveries
it owes are committed (or rolled back) together. A delivery stays ``pending`` until an
attempt succeeds or the retries run out; a server that dies mid-attempt finds the row still
pending, and due, when it starts again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)

from vmkit_server.store._base import TxBase
from vmkit_server.store._types import UTCDateTime, format_time
from vmkit_server.store._webhooks import enabled_webhooks, type_matches
from vmkit_server.store.errors import StoreError
from vmkit_server.store.rows import EventRow, WebhookDeliveryRow
from vmkit_server.store.schema import webhook_deliveries, webhooks

__all__ = ["WebhookDeliveriesTx", "event_payload", "queue_event_deliveries"]

# The type of a test delivery (core.webhooks.PING): sent even while its webhook is disabled.
_PING = "webhook.ping"

_d = webhook_deliveries.c
_w = webhooks.c
_INSERT = insert(webhook_deliveries)
_INSERT_ONE = insert(webhook_deliveries).returning(*webhook_deliveries.c)
_GET = select(webhook_deliveries).where(_d.id == bindparam("delivery_id"))
# A disabled webhook's deliveries wait (re-enabling it resumes them); a ping is always sent.
_SENDABLE = and_(_d.state == "pending", or_(_w.enabled.is_(True), _d.event_type == _PING))
# Built once (the worker runs them after every commit); `skip` lists the webhooks with an
# attempt in flight.
_NOT_SKIPPED = _d.webhook_id.not_in(bindparam("skip", expanding=True))
# Per webhook, its longest-waiting due delivery (one attempt per webhook at a time).
_RANKED = (
    select(
        webhook_deliveries,
        func.row_number()
        .over(partition_by=_d.webhook_id, order_by=(_d.next_attempt_at, _d.id))
        .label("rank"),
    )
    .join(webhooks, _w.id == _d.webhook_id)
    .where(
        _SENDABLE,
        _NOT_SKIPPED,
        _d.next_attempt_at <= bindparam("now", type_=UTCDateTime()),
    )
    .subquery()
)
_DUE = (
    select(*(_RANKED.c[c.name] for c in webhook_deliveries.c))
    .where(_RANKED.c.rank == 1)
    .order_by(_RANKED.c.next_attempt_at, _RANKED.c.id)
    .limit(bindparam("limit", type_=Integer()))
)
_NEXT_DUE = (
    select(func.min(_d.next_attempt_at))
    .join(webhooks, _w.id == _d.webhook_id)
    .where(_SENDABLE, _NOT_SKIPPED)
)
_PRUNE = delete(webhook_deliveries).where(
    _d.state.in_(["succeeded", "failed"]),
    _d.last_attempt_at < bindparam("before", type_=UTCDateTime()),
)
_UPDATABLE = frozenset(
    {
        "state",
        "attempts",
        "response_status",
        "latency_ms",
        "error",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
    }
)
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lowercase


def _new_id(prefix: str) -> str:
    # The format of core.ids.new_id (the store does not import core): time-sortable.
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return f"{prefix}_{''.join(reversed(chars))}"


def event_payload(event: EventRow) -> dict[str, Any]:
    """The Standard Webhooks payload of an event: ``type``, ``timestamp`` and ``data``.

    ``data`` is the event as ``GET /v1/events`` shows it (the ``Event`` schema), so a
    receiver can treat webhook and stream events alike.

    Args:
        event: The event.

    Returns:
        The JSON object to POST.
    """
    time_text = format_time(event.time)
    return {
        "type": event.type,
        "timestamp": time_text,
        "data": {
            "id": event.id,
            "type": event.type,
            "time": time_text,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "vm_id": event.vm_id,
            "data": event.data,
        },
    }


def queue_event_deliveries(tx: TxBase, event: EventRow) -> int:
    """Queue one delivery per enabled webhook whose types match ``event``, due now.

    Called by ``append_event``, in the event's transaction.

    Args:
        tx: The transaction that appended the event.
        event: The event.

    Returns:
        How many deliveries were queued.
    """
    targets = [wid for wid, patterns in enabled_webhooks(tx) if type_matches(event.type, patterns)]
    if not targets:
        return 0
    payload = event_payload(event)
    rows = [
        {
            "id": _new_id("whd"),
            "webhook_id": webhook_id,
            "message_id": _new_id("msg"),
            "event_id": event.id,
            "event_type": event.type,
            "payload": payload,
            "state": "pending",
            "attempts": 0,
            "response_status": None,
            "latency_ms": None,
            "error": None,
            "created_at": event.time,
            "last_attempt_at": None,
            "next_attempt_at": event.time,
            "delivered_at": None,
        }
        for webhook_id in targets
    ]
    # one executemany; append_event has already checked that the transaction writes
    tx.connection.execute(_INSERT, rows)
    return len(rows)


class WebhookDeliveriesTx(TxBase):
    """Reads and writes of webhook deliveries."""

    __slots__ = ()

    def insert_webhook_delivery(
        self,
        *,
        webhook_id: str,
        event_type: str,
        payload: Mapping[str, Any],
        event_id: int | None = None,
    ) -> WebhookDeliveryRow:
        """Queue one delivery (a ping, typically), due now.

        Args:
            webhook_id: The webhook.
            event_type: The payload's type.
            payload: The body to POST.
            event_id: The event delivered, if any.

        Returns:
            The stored row, with new ``id`` and ``message_id``.

        Raises:
            StoreConflictError: If there is no such webhook.
        """
        now = self._now()
        values = {
            "id": _new_id("whd"),
            "webhook_id": webhook_id,
            "message_id": _new_id("msg"),
            "event_id": event_id,
            "event_type": event_type,
            "payload": dict(payload),
            "state": "pending",
            "attempts": 0,
            "response_status": None,
            "latency_ms": None,
            "error": None,
            "created_at": now,
            "last_attempt_at": None,
            "next_attempt_at": now,
            "delivered_at": None,
        }
        row = self._write(_INSERT_ONE, values).one()
        return WebhookDeliveryRow(**row._mapping)

    def get_webhook_delivery(self, delivery_id: str) -> WebhookDeliveryRow | None:
        """Find a delivery by id.

        Args:
            delivery_id: The delivery id.

        Returns:
            The row, or None.
        """
        row = self._run(_GET, {"delivery_id": delivery_id}).first()
        return None if row is None else WebhookDeliveryRow(**row._mapping)

    def list_webhook_deliveries(
        self, webhook_id: str, *, page_size: int, before: tuple[datetime, str] | None = None
    ) -> list[WebhookDeliveryRow]:
        """One page of a webhook's deliveries, newest first.

        Args:
            webhook_id: The webhook.
            page_size: The page size; up to ``page_size + 1`` rows are returned.
            before: (created_at, id) of the last delivery of the previous page.

        Returns:
            The rows.
        """
        conds: list[ColumnElement[bool]] = [_d.webhook_id == webhook_id]
        if before is not None:
            when, last_id = before
            conds.append(
                tuple_(_d.created_at, _d.id)
                < tuple_(literal(when, UTCDateTime()), literal(last_id))
            )
        stmt = (
            select(webhook_deliveries)
            .where(*conds)
            .order_by(_d.created_at.desc(), _d.id.desc())
            .limit(page_size + 1)
        )
        return [WebhookDeliveryRow(**r._mapping) for r in self._run(stmt)]

    def due_webhook_deliveries(
        self, now: datetime, *, limit: int, skip_webhooks: Collection[str] = ()
    ) -> list[WebhookDeliveryRow]:
        """Pending deliveries due by ``now``: the longest-waiting one of each webhook.

        Deliveries of disabled webhooks wait, except pings. Ordered by due time.

        Args:
            now: The current time.
            limit: The most rows (webhooks) to return.
            skip_webhooks: Webhooks to leave out (those with an attempt in flight).

        Returns:
            The rows.
        """
        params = {"now": now, "limit": limit, "skip": list(skip_webhooks)}
        return [WebhookDeliveryRow(**r._mapping) for r in self._run(_DUE, params)]

    def next_webhook_delivery_due(self, *, skip_webhooks: Collection[str] = ()) -> datetime | None:
        """When the next sendable pending delivery is due (possibly in the past).

        Args:
            skip_webhooks: Webhooks to leave out (those with an attempt in flight).

        Returns:
            The earliest ``next_attempt_at``, or None if nothing is pending.
        """
        when: datetime | None = self._run(_NEXT_DUE, {"skip": list(skip_webhooks)}).scalar()
        return when

    def update_webhook_delivery(self, delivery_id: str, **fields: Any) -> WebhookDeliveryRow | None:
        """Record an attempt's outcome on a delivery.

        Args:
            delivery_id: The delivery id.
            **fields: Columns to set: ``state``, ``attempts``, ``response_status``,
                ``latency_ms``, ``error``, ``last_attempt_at``, ``next_attempt_at``,
                ``delivered_at``.

        Returns:
            The updated row, or None if it is gone (its webhook was deleted).

        Raises:
            StoreError: For a column that cannot be set.
        """
        bad = sorted(set(fields) - _UPDATABLE)
        if bad:
            raise StoreError(f"cannot update webhook_deliveries column(s): {', '.join(bad)}")
        stmt = (
            update(webhook_deliveries)
            .where(_d.id == delivery_id)
            .values(**fields)
            .returning(*webhook_deliveries.c)
        )
        row = self._write(stmt).first()
        return None if row is None else WebhookDeliveryRow(**row._mapping)

    def prune_webhook_deliveries(self, before: datetime) -> int:
        """Delete finished deliveries whose last attempt is older than ``before``.

        Args:
            before: Finished deliveries last tried before this time go.

        Returns:
            How many were deleted.
        """
        return self._rowcount(_PRUNE, {"before": before})
