"""Rows to API objects: the JSON shapes of spec/vmkit.yaml, and the strong ETags."""

from __future__ import annotations

import hashlib
from typing import Any

from ..store import OperationRow, SnapshotRow, VMRow
from .clock import isoformat

__all__ = ["etag_for", "operation_view", "snapshot_view", "vm_view"]


def etag_for(resource_id: str, generation: int) -> str:
    """The strong ETag of one version of a resource (quoted, as HTTP wants it)."""
    digest = hashlib.blake2b(f"{resource_id}:{generation}".encode(), digest_size=8).hexdigest()
    return f'"{digest}"'


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
