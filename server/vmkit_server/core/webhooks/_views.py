"""Webhook rows to the API's `Webhook` and `WebhookDelivery` objects (never the secret)."""

from __future__ import annotations

from typing import Any

from ...store import WebhookDeliveryRow, WebhookRow
from ..clock import isoformat
from ..views import etag_for

__all__ = ["delivery_view", "webhook_view"]


def webhook_view(row: WebhookRow) -> dict[str, Any]:
    """The API's Webhook object."""
    return {
        "id": row.id,
        "url": row.url,
        "types": list(row.types),
        "enabled": row.enabled,
        "description": row.description,
        "disabled_reason": row.disabled_reason,
        "failure_count": row.failure_count,
        "created_at": isoformat(row.created_at),
        "updated_at": isoformat(row.updated_at),
        "etag": etag_for(row.id, row.generation),
    }


def delivery_view(row: WebhookDeliveryRow) -> dict[str, Any]:
    """The API's WebhookDelivery object."""
    return {
        "id": row.id,
        "webhook_id": row.webhook_id,
        "message_id": row.message_id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "state": row.state,
        "attempts": row.attempts,
        "response_status": row.response_status,
        "latency_ms": row.latency_ms,
        "error": row.error,
        "created_at": isoformat(row.created_at),
        "last_attempt_at": isoformat(row.last_attempt_at),
        "next_attempt_at": isoformat(row.next_attempt_at),
        "delivered_at": isoformat(row.delivered_at),
    }
