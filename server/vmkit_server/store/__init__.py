"""Persistence of the reference server: SQLAlchemy Core over SQLite (or PostgreSQL).

Open a :class:`Store` once, then do all reads and writes through the :class:`Tx`
of ``store.tx()`` (write) or ``store.read()`` (read only).
"""

from vmkit_server.store.db import Store
from vmkit_server.store.errors import StoreConflictError, StoreError
from vmkit_server.store.rows import (
    EventRow,
    IdempotencyRow,
    LogRow,
    OperationRow,
    SnapshotRow,
    TokenRow,
    VMRow,
    WebhookDeliveryRow,
    WebhookRow,
)
from vmkit_server.store.tx import Tx

__all__ = [
    "EventRow",
    "IdempotencyRow",
    "LogRow",
    "OperationRow",
    "SnapshotRow",
    "Store",
    "StoreConflictError",
    "StoreError",
    "TokenRow",
    "Tx",
    "VMRow",
    "WebhookDeliveryRow",
    "WebhookRow",
]
