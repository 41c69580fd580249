"""The tables of the vmkit store (SQLAlchemy Core).

This module describes the *current* schema. Migrations create and alter it; see
:mod:`vmkit_server.store.migrations` for the rule about freezing old versions.
Every lookup the store performs has an index here; the comment next to each index
names the query it serves.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from vmkit_server.store._types import UTCDateTime

__all__ = [
    "events",
    "idempotency_keys",
    "metadata",
    "operation_logs",
    "operations",
    "schema_migrations",
    "snapshots",
    "tokens",
    "vms",
    "webhook_deliveries",
    "webhooks",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite only makes INTEGER PRIMARY KEY an alias of the rowid (and honours
# AUTOINCREMENT on it); other databases get a 64-bit identity column.
_AutoId = BigInteger().with_variant(Integer(), "sqlite")

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String, nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

vms = Table(
    "vms",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False, unique=True),  # get_vm by name
    Column("state", String, nullable=False),
    Column("state_reason", String),
    Column("state_changed_at", UTCDateTime, nullable=False),
    Column("desired_state", String),
    Column("cpus", Integer, nullable=False),
    Column("memory_mib", Integer, nullable=False),
    Column("disk_gib", Integer, nullable=False),
    Column("image", String),
    Column("labels", JSON, nullable=False),
    Column("backend", String, nullable=False),
    Column("host", String, nullable=False),
    Column("ip_addresses", JSON, nullable=False),
    Column("ready", Boolean, nullable=False),
    Column("ttl_seconds", Integer),
    Column("expires_at", UTCDateTime, index=True),  # list_expired_vms
    Column("operation_id", String),
    Column("extra", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("generation", Integer, nullable=False),
    Index(None, "created_at", "id"),  # list_vms paging order
    Index(None, "state"),  # list_vms(states=...)
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", String, primary_key=True),
    Column("vm_id", ForeignKey("vms.id", ondelete="CASCADE"), nullable=False),
    Column("name", String, nullable=False),
    Column("description", Text),
    Column("includes_memory", Boolean, nullable=False),
    Column("vm_state", String, nullable=False),
    Column("vm_settings", JSON, nullable=False),  # cpus/memory/disk when taken; restored with it
    Column("size_bytes", BigInteger),
    Column("state", String, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("generation", Integer, nullable=False),
    UniqueConstraint("vm_id", "name"),  # get_snapshot by name; also serves the FK
    Index(None, "vm_id", "created_at", "id"),  # list_snapshots paging order
)

operations = Table(
    "operations",
    metadata,
    Column("id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("target_type", String, nullable=False),
    Column("target_id", String, nullable=False),
    Column("target_name", String, nullable=False),
    Column("vm_id", String),  # the VM the operation concerns (also for snapshot targets)
    Column("state", String, nullable=False),
    Column("progress", Float),
    Column("error", JSON(none_as_null=True)),
    Column("result", JSON(none_as_null=True)),
    Column("params", JSON, nullable=False),
    Column("cancel_requested", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime, index=True),  # prune_operations
    Column("updated_at", UTCDateTime, nullable=False),
    Column("generation", Integer, nullable=False),
    Index(None, "state"),  # unfinished_operations, list_operations(states=...)
    Index(None, "target_id", "created_at", "id"),  # active_operation_for, list by target
    Index(None, "vm_id", "created_at", "id"),  # list_operations(vm_id=...)
    Index(None, "created_at", "id"),  # list_operations paging order
)

operation_logs = Table(
    "operation_logs",
    metadata,
    Column("id", _AutoId, primary_key=True, autoincrement=True),
    Column("operation_id", ForeignKey("operations.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("time", UTCDateTime, nullable=False),
    Column("level", String, nullable=False),
    Column("message", Text, nullable=False),
    UniqueConstraint("operation_id", "seq"),  # list_logs order, next seq, the FK
)

events = Table(
    "events",
    metadata,
    Column("id", _AutoId, primary_key=True, autoincrement=True),
    Column("time", UTCDateTime, nullable=False, index=True),  # prune_events
    Column("type", String, nullable=False),
    Column("subject_type", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("vm_id", String),
    Column("data", JSON, nullable=False),
    Index(None, "vm_id", "id"),  # list_events(vm_id=...)
    # Ids are handed to SSE clients as Last-Event-ID: they must never be reused,
    # even after the newest events were pruned and the server restarted.
    sqlite_autoincrement=True,
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("prefix", String, nullable=False),
    Column("hash", String, nullable=False, unique=True),  # find_token_by_hash
    Column("scopes", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
    Column("last_used_at", UTCDateTime),
    Index(None, "created_at", "id"),  # list_tokens order
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("token_id", String, nullable=False),
    Column("key", String, nullable=False),
    Column("request_hash", String, nullable=False),
    Column("state", String, nullable=False),
    Column("status_code", Integer),
    Column("response_headers", JSON(none_as_null=True)),
    Column("response_body", LargeBinary),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),  # prune_idempotency
    PrimaryKeyConstraint("token_id", "key"),
)

# Version 2: webhooks and their deliveries (the transactional outbox).
webhooks = Table(
    "webhooks",
    metadata,
    Column("id", String, primary_key=True),
    Column("url", String, nullable=False),
    Column("types", JSON, nullable=False),
    # In clear: the server signs with it (docs/webhooks.md, "Secrets at rest").
    Column("secret", String, nullable=False),
    Column("enabled", Boolean, nullable=False),  # enabled_webhooks reads them all: a small table
    Column("description", String, nullable=False),
    Column("disabled_reason", String),
    Column("failure_count", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("generation", Integer, nullable=False),
    Index(None, "created_at", "id"),  # list_webhooks paging order
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String, primary_key=True),
    Column("webhook_id", ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", String, nullable=False),  # the webhook-id header, kept across retries
    Column("event_id", BigInteger),  # null for a ping
    Column("event_type", String, nullable=False),
    Column("payload", JSON, nullable=False),  # the body sent, kept: events may be pruned first
    Column("state", String, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("response_status", Integer),
    Column("latency_ms", Float),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_attempt_at", UTCDateTime),
    Column("next_attempt_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Index(None, "webhook_id", "created_at", "id"),  # list_webhook_deliveries; also the FK
    Index(None, "state", "next_attempt_at"),  # due_webhook_deliveries, next_webhook_delivery_due
    Index(None, "state", "last_attempt_at"),  # prune_webhook_deliveries
)
