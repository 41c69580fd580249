"""Transaction methods for the ``operations`` and ``operation_logs`` tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, func, insert, select

from vmkit_server.store._base import TxBase, after_clause
from vmkit_server.store._types import UTCDateTime
from vmkit_server.store.rows import LogRow, OperationRow
from vmkit_server.store.schema import operation_logs, operations

__all__ = ["FINISHED_STATES", "UNFINISHED_STATES", "OperationsTx"]

#: States of an operation still to be driven to an end.
UNFINISHED_STATES = ("pending", "running")
#: Terminal states.
FINISHED_STATES = ("succeeded", "failed", "cancelled")

_o = operations.c
_INSERT = insert(operations).returning(*operations.c)
_l = operation_logs.c
_GET = select(operations).where(_o.id == bindparam("op_id"))
_UNFINISHED = (
    select(operations).where(_o.state.in_(UNFINISHED_STATES)).order_by(_o.created_at, _o.id)
)
_ACTIVE_FOR = (
    select(operations)
    .where(_o.target_id == bindparam("target_id"), _o.state.in_(UNFINISHED_STATES))
    .order_by(_o.created_at.desc(), _o.id.desc())
    .limit(1)
)
_PRUNE = delete(operations).where(
    _o.state.in_(FINISHED_STATES),
    _o.finished_at < bindparam("older_than", type_=UTCDateTime()),
)
_NEXT_SEQ = (
    select(func.coalesce(func.max(_l.seq), 0) + 1)
    .where(_l.operation_id == bindparam("p_operation_id"))
    .scalar_subquery()
)
_APPEND_LOG = (
    insert(operation_logs)
    .values(
        # Bind names differ from the column names, which SQLAlchemy reserves.
        operation_id=bindparam("p_operation_id"),
        seq=_NEXT_SEQ,
        time=bindparam("p_time", type_=UTCDateTime()),
        level=bindparam("p_level"),
        message=bindparam("p_message"),
    )
    .returning(*operation_logs.c)
)
_LIST_LOGS = (
    select(operation_logs)
    .where(_l.operation_id == bindparam("operation_id"), _l.seq > bindparam("after_seq"))
    .order_by(_l.seq)
    .limit(bindparam("limit"))
)


class OperationsTx(TxBase):
    """Reads and writes of operations and their logs."""

    __slots__ = ()

    def insert_operation(
        self,
        *,
        id: str,
        kind: str,
        target_id: str,
        target_name: str,
        target_type: str = "vm",
        vm_id: str | None = None,
        state: str = "pending",
        params: Mapping[str, Any] | None = None,
        progress: float | None = None,
        cancel_requested: bool = False,
        started_at: datetime | None = None,
    ) -> OperationRow:
        """Record a new operation with generation 1, created/updated at ``clock()``.

        Args:
            id: The operation id chosen by the caller.
            kind: What it does, e.g. ``vm.start``.
            target_id: The id of the resource it acts on.
            target_name: That resource's name when the operation was created.
            target_type: The kind of resource (``vm``).
            vm_id: The VM the operation concerns (the target's VM for a snapshot).
            state: Usually ``pending``.
            params: The request's parameters.
            progress: 0..1, if known.
            cancel_requested: Whether a cancel was already asked for.
            started_at: When it started, for an operation created running.

        Returns:
            The stored row.

        Raises:
            StoreConflictError: If the id is taken.
        """
        now = self._now()
        values = {
            "id": id,
            "kind": kind,
            "target_type": target_type,
            "target_id": target_id,
            "target_name": target_name,
            "vm_id": vm_id,
            "state": state,
            "progress": progress,
            "error": None,
            "result": None,
            "params": dict(params or {}),
            "cancel_requested": cancel_requested,
            "created_at": now,
            "started_at": started_at,
            "finished_at": None,
            "updated_at": now,
            "generation": 1,
        }
        row = self._write(_INSERT, values).one()
        return OperationRow(**row._mapping)

    def get_operation(self, op_id: str) -> OperationRow | None:
        """Find an operation by id.

        Args:
            op_id: The operation id.

        Returns:
            The row, or None.
        """
        row = self._run(_GET, {"op_id": op_id}).first()
        return None if row is None else OperationRow(**row._mapping)

    def update_operation(
        self, op_id: str, *, expected_generation: int | None = None, **fields: Any
    ) -> OperationRow | None:
        """Change columns of an operation, bumping ``generation`` and ``updated_at``.

        Args:
            op_id: The operation id.
            expected_generation: If given, only update an operation still at this generation.
            **fields: Columns to set (state, progress, error, result, started_at, ...).

        Returns:
            The updated row, or None if missing or at another generation.

        Raises:
            StoreError: For an unknown or immutable column.
        """
        row = self._update_row(operations, op_id, fields, expected_generation=expected_generation)
        return None if row is None else OperationRow(**row._mapping)

    def list_operations(
        self,
        *,
        page_size: int,
        after: tuple[datetime, str] | None,
        states: Sequence[str] = (),
        target_id: str | None = None,
        vm_id: str | None = None,
        kind: str | None = None,
    ) -> list[OperationRow]:
        """One page of operations in (created_at, id) order.

        Args:
            page_size: The page size; up to ``page_size + 1`` rows are returned.
            after: (created_at, id) of the last operation of the previous page.
            states: Only operations in one of these states (all if empty).
            target_id: Only operations on this resource.
            vm_id: Only operations concerning this VM (its own and its snapshots').
            kind: Only operations of this kind.

        Returns:
            The rows.
        """
        conds: list[ColumnElement[bool]] = []
        if after is not None:
            conds.append(after_clause(_o.created_at, _o.id, after))
        if states:
            conds.append(_o.state.in_(list(states)))
        if target_id is not None:
            conds.append(_o.target_id == target_id)
        if vm_id is not None:
            conds.append(_o.vm_id == vm_id)
        if kind is not None:
            conds.append(_o.kind == kind)
        stmt = (
            select(operations)
            .where(and_(True, *conds))
            .order_by(_o.created_at, _o.id)
            .limit(page_size + 1)
        )
        return [OperationRow(**r._mapping) for r in self._run(stmt)]

    def unfinished_operations(self) -> list[OperationRow]:
        """Pending and running operations, oldest first (for recovery at start).

        Returns:
            The rows.
        """
        return [OperationRow(**r._mapping) for r in self._run(_UNFINISHED)]

    def active_operation_for(self, target_id: str) -> OperationRow | None:
        """The newest pending or running operation on a resource.

        Args:
            target_id: The resource id.

        Returns:
            The row, or None if nothing drives the resource.
        """
        row = self._run(_ACTIVE_FOR, {"target_id": target_id}).first()
        return None if row is None else OperationRow(**row._mapping)

    def prune_operations(self, older_than: datetime) -> int:
        """Delete finished operations (and their logs) that finished before a time.

        Args:
            older_than: The cut-off.

        Returns:
            How many operations were deleted.
        """
        return self._rowcount(_PRUNE, {"older_than": older_than})

    def append_log(self, operation_id: str, level: str, message: str) -> LogRow:
        """Add a line to an operation's log, numbered after the last one.

        Args:
            operation_id: The operation id.
            level: ``debug|info|warning|error``.
            message: The text.

        Returns:
            The stored line.

        Raises:
            StoreConflictError: If the operation does not exist.
        """
        params = {
            "p_operation_id": operation_id,
            "p_time": self._now(),
            "p_level": level,
            "p_message": message,
        }
        return LogRow(**self._write(_APPEND_LOG, params).one()._mapping)

    def list_logs(self, operation_id: str, *, after_seq: int, limit: int) -> list[LogRow]:
        """Log lines of an operation with ``seq > after_seq``, in order.

        Args:
            operation_id: The operation id.
            after_seq: The last seq already seen (0 for the start).
            limit: The most lines to return.

        Returns:
            The rows.
        """
        params = {"operation_id": operation_id, "after_seq": after_seq, "limit": limit}
        return [LogRow(**r._mapping) for r in self._run(_LIST_LOGS, params)]
