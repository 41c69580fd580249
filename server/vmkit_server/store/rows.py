"""Immutable records returned by the store.

Field names match the column names, JSON columns are already decoded and every
time is an aware ``datetime`` in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "EventRow",
    "IdempotencyRow",
    "LogRow",
    "OperationRow",
    "SnapshotRow",
    "TokenRow",
    "VMRow",
    "WebhookDeliveryRow",
    "WebhookRow",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class VMRow:
    """One virtual machine as recorded by the server (design.md, "VM model")."""

    id: str
    name: str
    state: str
    state_reason: str | None
    state_changed_at: datetime
    desired_state: str | None
    cpus: int
    memory_mib: int
    disk_gib: int
    image: str | None
    labels: dict[str, str]
    backend: str
    host: str
    ip_addresses: list[str]
    ready: bool
    ttl_seconds: int | None
    expires_at: datetime | None
    operation_id: str | None
    extra: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    generation: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotRow:
    """One snapshot of a VM; ``state`` is ``creating|ready|deleting|error``."""

    id: str
    vm_id: str
    name: str
    description: str | None
    includes_memory: bool
    vm_state: str
    vm_settings: dict[str, Any]
    size_bytes: int | None
    state: str
    created_at: datetime
    updated_at: datetime
    generation: int


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationRow:
    """One long-running operation; ``state`` is ``pending|running|succeeded|failed|cancelled``."""

    id: str
    kind: str
    target_type: str
    target_id: str
    target_name: str
    vm_id: str | None
    state: str
    progress: float | None
    error: dict[str, Any] | None
    result: dict[str, Any] | None
    params: dict[str, Any]
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
    generation: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LogRow:
    """One line of an operation's log; ``seq`` counts from 1 within the operation."""

    id: int
    operation_id: str
    seq: int
    time: datetime
    level: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRow:
    """One entry of the durable event log; ``id`` only ever grows."""

    id: int
    time: datetime
    type: str
    subject_type: str
    subject_id: str
    vm_id: str | None
    data: dict[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRow:
    """One API token; only the sha256 ``hash`` of the secret is kept."""

    id: str
    name: str
    prefix: str
    hash: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class IdempotencyRow:
    """The remembered outcome of one ``Idempotency-Key``; ``state`` is ``in_flight|done``."""

    token_id: str
    key: str
    request_hash: str
    state: str
    status_code: int | None
    response_headers: dict[str, str] | None
    response_body: bytes | None
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookRow:
    """One webhook: where events matching ``types`` are POSTed, signed with ``secret``."""

    id: str
    url: str
    types: list[str]
    secret: str
    enabled: bool
    description: str
    disabled_reason: str | None
    failure_count: int
    created_at: datetime
    updated_at: datetime
    generation: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDeliveryRow:
    """One message for one webhook (the outbox); ``state`` is ``pending|succeeded|failed``.

    ``message_id`` is the ``webhook-id`` header of every attempt; ``payload`` the body.
    """

    id: str
    webhook_id: str
    message_id: str
    event_id: int | None
    event_type: str
    payload: dict[str, Any]
    state: str
    attempts: int
    response_status: int | None
    latency_ms: float | None
    error: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
