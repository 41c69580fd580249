"""Transaction methods for the ``snapshots`` table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, delete, insert, or_, select

from vmkit_server.store._base import TxBase, after_clause
from vmkit_server.store.rows import SnapshotRow
from vmkit_server.store.schema import snapshots

__all__ = ["SnapshotsTx"]

_s = snapshots.c
_INSERT = insert(snapshots).returning(*snapshots.c)
# At most two rows match (one by id, one by name); prefer the id match.
_GET = (
    select(snapshots)
    .where(
        _s.vm_id == bindparam("vm_id"), or_(_s.id == bindparam("ref"), _s.name == bindparam("ref"))
    )
    .order_by(case((_s.id == bindparam("ref"), 0), else_=1))
    .limit(1)
)
_DELETE = delete(snapshots).where(_s.id == bindparam("snapshot_id"))


class SnapshotsTx(TxBase):
    """Reads and writes of snapshot records."""

    __slots__ = ()

    def insert_snapshot(
        self,
        *,
        id: str,
        vm_id: str,
        name: str,
        includes_memory: bool,
        vm_state: str,
        vm_settings: Mapping[str, Any] | None = None,
        state: str = "creating",
        description: str | None = None,
        size_bytes: int | None = None,
    ) -> SnapshotRow:
        """Record a new snapshot with generation 1, created/updated at ``clock()``.

        Args:
            id: The snapshot id chosen by the caller.
            vm_id: The VM it belongs to.
            name: Its name, unique within the VM.
            includes_memory: Whether it holds the RAM state.
            vm_state: The VM's state when it was taken.
            vm_settings: The VM's settings (cpus, memory_mib, disk_gib) when it was taken.
            state: ``creating|ready|deleting|error``.
            description: Free text.
            size_bytes: Its size, once known.

        Returns:
            The stored row.

        Raises:
            StoreConflictError: If the name is taken for this VM or the VM does not exist.
        """
        now = self._now()
        values = {
            "id": id,
            "vm_id": vm_id,
            "name": name,
            "description": description,
            "includes_memory": includes_memory,
            "vm_state": vm_state,
            "vm_settings": dict(vm_settings or {}),
            "size_bytes": size_bytes,
            "state": state,
            "created_at": now,
            "updated_at": now,
            "generation": 1,
        }
        row = self._write(_INSERT, values).one()
        return SnapshotRow(**row._mapping)

    def get_snapshot(self, vm_id: str, ref: str) -> SnapshotRow | None:
        """Find a snapshot of a VM by its id or its name.

        Args:
            vm_id: The VM id.
            ref: The snapshot id or name.

        Returns:
            The row, or None.
        """
        row = self._run(_GET, {"vm_id": vm_id, "ref": ref}).first()
        return None if row is None else SnapshotRow(**row._mapping)

    def update_snapshot(
        self, snapshot_id: str, *, expected_generation: int | None = None, **fields: Any
    ) -> SnapshotRow | None:
        """Change columns of a snapshot, bumping ``generation`` and ``updated_at``.

        Args:
            snapshot_id: The snapshot id.
            expected_generation: If given, only update a snapshot still at this generation.
            **fields: Columns to set.

        Returns:
            The updated row, or None if missing or at another generation.

        Raises:
            StoreError: For an unknown or immutable column.
            StoreConflictError: If a new name is taken.
        """
        row = self._update_row(
            snapshots, snapshot_id, fields, expected_generation=expected_generation
        )
        return None if row is None else SnapshotRow(**row._mapping)

    def delete_snapshot(self, snapshot_id: str) -> bool:
        """Delete a snapshot record.

        Args:
            snapshot_id: The snapshot id.

        Returns:
            True if one was deleted.
        """
        return self._rowcount(_DELETE, {"snapshot_id": snapshot_id}) > 0

    def list_snapshots(
        self, vm_id: str, *, page_size: int, after: tuple[datetime, str] | None
    ) -> list[SnapshotRow]:
        """One page of a VM's snapshots in (created_at, id) order.

        Args:
            vm_id: The VM id.
            page_size: The page size; up to ``page_size + 1`` rows are returned.
            after: (created_at, id) of the last snapshot of the previous page.

        Returns:
            The rows.
        """
        conds: list[ColumnElement[bool]] = [_s.vm_id == vm_id]
        if after is not None:
            conds.append(after_clause(_s.created_at, _s.id, after))
        stmt = (
            select(snapshots)
            .where(and_(*conds))
            .order_by(_s.created_at, _s.id)
            .limit(page_size + 1)
        )
        return [SnapshotRow(**r._mapping) for r in self._run(stmt)]
