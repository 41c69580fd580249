"""Rows to API objects: the JSON shapes of spec/vmkit.yaml, and the strong ETags."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from ..store import OperationRow, SnapshotRow, TokenRow, VMRow
from .clock import isoformat

__all__ = [
    "content_etag",
    "etag_for",
    "operation_view",
    "snapshot_view",
    "token_state",
    "token_view",
    "vm_view",
]


def etag_for(resource_id: str, generation: int) -> str:
    """The strong ETag of one version of a resource (quoted, as HTTP wants it)."""
    digest = hashlib.blake2b(f"{resource_id}:{generation}".encode(), digest_size=8).hexdigest()
    return f'"{digest}"'


def content_etag(body: dict[str, Any]) -> str:
    """The strong ETag of a resource without a generation: a digest of its representation."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return f'"{hashlib.blake2b(canonical, digest_size=8).hexdigest()}"'


def token_state(row: TokenRow, now: datetime) -> str:
    """`revoked`, `expired` or `active`."""
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def token_view(row: TokenRow, now: datetime) -> dict[str, Any]:
    """The API's Token object (never the secret, which the server does not have)."""
    body: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "scopes": list(row.scopes),
        "state": token_state(row, now),
        "created_at": isoformat(row.created_at),
        "expires_at": isoformat(row.expires_at),
        "last_used_at": isoformat(row.last_used_at),
        "revoked_at": isoformat(row.revoked_at),
    }
    body["etag"] = content_etag(body)
    return body


def vm_view(row: VMRow) -> dict[str, Any]:
    """The API's VM object."""
    return {
        "id": row.id,
        "name": row.name,
        "state": row.state,
        "state_reason": row.state_reason,
        "state_changed_at": isoformat(row.state_changed_at),
        "desired_state": row.desired_state,
        "cpus": row.cpus,
        "memory_mib": row.memory_mib,
        "disk_gib": row.disk_gib,
        "image": row.image,
        "labels": dict(row.labels),
        "backend": row.backend,
        "host": row.host,
        "ip_addresses": list(row.ip_addresses),
        "ready": row.ready,
        "ttl_seconds": row.ttl_seconds,
        "expires_at": isoformat(row.expires_at),
        "created_at": isoformat(row.created_at),
        "updated_at": isoformat(row.updated_at),
        "etag": etag_for(row.id, row.generation),
        "operation": row.operation_id,
        "extra": dict(row.extra),
    }


def snapshot_view(row: SnapshotRow) -> dict[str, Any]:
    """The API's Snapshot object."""
    return {
        "id": row.id,
        "name": row.name,
        "vm_id": row.vm_id,
        "description": row.description,
        "state": row.state,
        "includes_memory": row.includes_memory,
        "vm_state": row.vm_state,
        "size_bytes": row.size_bytes,
        "created_at": isoformat(row.created_at),
        "updated_at": isoformat(row.updated_at),
        "etag": etag_for(row.id, row.generation),
    }


def operation_view(row: OperationRow) -> dict[str, Any]:
    """The API's Operation object."""
    return {
        "id": row.id,
        "kind": row.kind,
        "target": {
            "type": row.target_type,
            "id": row.target_id,
            "name": row.target_name,
            "vm_id": row.vm_id if row.target_type == "snapshot" else None,
        },
        "state": row.state,
        "progress": row.progress,
        "error": row.error,
        "result": row.result,
        "created_at": isoformat(row.created_at),
        "started_at": isoformat(row.started_at),
        "finished_at": isoformat(row.finished_at),
        "updated_at": isoformat(row.updated_at),
        "etag": etag_for(row.id, row.generation),
    }
