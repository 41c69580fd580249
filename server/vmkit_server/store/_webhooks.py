"""Transaction methods for the ``webhooks`` table, and the cache of enabled webhooks.

Every appended event reads the enabled webhooks (to queue their deliveries in the same
transaction), so their ids and type patterns are cached per database. The server is its
database's only writer, and every change to the table goes through the methods here,
which drop the cache. A transaction that changed webhooks reads the table itself until it
ends, and nothing it read is cached before then: a rollback leaves nothing stale behind.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select

from vmkit_server.store._base import TxBase, after_clause
from vmkit_server.store.rows import WebhookRow
from vmkit_server.store.schema import webhooks

__all__ = [
    "Subscription",
    "WebhooksTx",
    "enabled_webhooks",
    "type_matches",
]

#: An enabled webhook as the outbox sees it: its id and its event type patterns.
Subscription = tuple[str, tuple[str, ...]]

_w = webhooks.c
_INSERT = insert(webhooks).returning(*webhooks.c)
_GET = select(webhooks).where(_w.id == bindparam("webhook_id"))
_LIST = select(webhooks).order_by(_w.created_at, _w.id)
_ENABLED = select(_w.id, _w.types).where(_w.enabled.is_(True)).order_by(_w.created_at, _w.id)
_DELETE = delete(webhooks).where(_w.id == bindparam("webhook_id"))


def type_matches(event_type: str, patterns: Sequence[str]) -> bool:
    """Whether an event type matches one of the patterns.

    A pattern ending in ``*`` matches every type starting with what precedes it (``vm.*``
    matches ``vm.created`` and ``vm.snapshot.created``; ``*`` matches all), as the event
    stream's ``types=`` filter does; any other pattern matches exactly.

    Args:
        event_type: The event's type.
        patterns: The patterns.

    Returns:
        True if one matches.
    """
    for pattern in patterns:
        if pattern.endswith("*"):
            if event_type.startswith(pattern[:-1]):
                return True
        elif event_type == pattern:
            return True
    return False


@dataclass(slots=True)
class _Cache:
    """The enabled webhooks of one database, and the transactions changing them now."""

    enabled: tuple[Subscription, ...] | None = None
    writers: list[Connection] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_CACHES: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _cache_of(engine: Engine) -> _Cache:
    with _CACHES_LOCK:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = _Cache()
        return cache


def enabled_webhooks(tx: TxBase) -> tuple[Subscription, ...]:
    """The enabled webhooks' ids and type patterns, oldest first (cached, see above).

    Args:
        tx: The transaction to read in when the cache cannot answer.

    Returns:
        ``(id, patterns)`` pairs.
    """
    conn = tx.connection
    cache = _cache_of(conn.engine)
    with cache.lock:
        cache.writers = [c for c in cache.writers if not c.closed]
        if cache.enabled is not None and not cache.writers:
            return cache.enabled
        cacheable = not cache.writers
    found = tuple((r.id, tuple(r.types)) for r in conn.execute(_ENABLED))
    if cacheable:
        with cache.lock:
            if not cache.writers:  # no webhook write began meanwhile
                cache.enabled = found
    return found


class WebhooksTx(TxBase):
    """Reads and writes of webhooks (each write drops the cache of enabled ones)."""

    __slots__ = ()

    def insert_webhook(
        self,
        *,
        id: str,
        url: str,
        types: Sequence[str],
        secret: str,
        enabled: bool = True,
        description: str = "",
    ) -> WebhookRow:
        """Record a new webhook with generation 1, created/updated at ``clock()``.

        Args:
            id: The webhook id chosen by the caller.
            url: Where deliveries are POSTed.
            types: Event type patterns (``vm.*``).
            secret: The signing secret (``whsec_...``).
            enabled: Whether events are queued for it.
            description: Free text.

        Returns:
            The stored row.

        Raises:
            StoreConflictError: If the id is taken.
        """
        now = self._now()
        values = {
            "id": id,
            "url": url,
            "types": list(types),
            "secret": secret,
            "enabled": enabled,
            "description": description,
            "disabled_reason": None,
            "failure_count": 0,
            "created_at": now,
            "updated_at": now,
            "generation": 1,
        }
        self._forget_webhooks()
        row = self._write(_INSERT, values).one()
        return WebhookRow(**row._mapping)

    def get_webhook(self, webhook_id: str) -> WebhookRow | None:
        """Find a webhook by id.

        Args:
            webhook_id: The webhook id.

        Returns:
            The row, or None.
        """
        row = self._run(_GET, {"webhook_id": webhook_id}).first()
        return None if row is None else WebhookRow(**row._mapping)

    def list_webhooks(
        self, *, page_size: int | None = None, after: tuple[datetime, str] | None = None
    ) -> list[WebhookRow]:
        """Webhooks in (created_at, id) order: all of them, or one page.

        Args:
            page_size: The page size; up to ``page_size + 1`` rows are returned so the
                caller can tell whether there is a next page. None: every webhook.
            after: (created_at, id) of the last webhook of the previous page.

        Returns:
            The rows.
        """
        stmt = _LIST
        if after is not None:
            stmt = stmt.where(after_clause(_w.created_at, _w.id, after))
        if page_size is not None:
            stmt = stmt.limit(page_size + 1)
        return [WebhookRow(**r._mapping) for r in self._run(stmt)]

    def update_webhook(
        self, webhook_id: str, *, expected_generation: int | None = None, **fields: Any
    ) -> WebhookRow | None:
        """Change columns of a webhook, bumping ``generation`` and ``updated_at``.

        Args:
            webhook_id: The webhook id.
            expected_generation: If given, only update a webhook still at this generation.
            **fields: Columns to set.

        Returns:
            The updated row, or None if missing or at another generation.

        Raises:
            StoreError: For an unknown or immutable column.
        """
        if "types" in fields:
            fields["types"] = list(fields["types"])
        self._forget_webhooks()
        row = self._update_row(
            webhooks, webhook_id, fields, expected_generation=expected_generation
        )
        return None if row is None else WebhookRow(**row._mapping)

    def delete_webhook(self, webhook_id: str) -> bool:
        """Delete a webhook and (by cascade) its deliveries, pending ones included.

        Args:
            webhook_id: The webhook id.

        Returns:
            True if one was deleted.
        """
        self._forget_webhooks()
        return self._rowcount(_DELETE, {"webhook_id": webhook_id}) > 0

    def enabled_webhooks(self) -> tuple[Subscription, ...]:
        """The enabled webhooks' ids and type patterns, oldest first (cached).

        Returns:
            ``(id, patterns)`` pairs.
        """
        return enabled_webhooks(self)

    def _forget_webhooks(self) -> None:
        """Drop the cache, and keep it from filling until this transaction ends."""
        cache = _cache_of(self._conn.engine)
        with cache.lock:
            cache.enabled = None
            if not any(c is self._conn for c in cache.writers):
                cache.writers.append(self._conn)
