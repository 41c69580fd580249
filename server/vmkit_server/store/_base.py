"""What every part of :class:`~vmkit_server.store.tx.Tx` shares: the connection,
the clock, write checks and the generic update / paging helpers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Executable,
    Row,
    Table,
    Update,
    bindparam,
    case,
    literal,
    tuple_,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError

from vmkit_server.store._types import UTCDateTime
from vmkit_server.store.errors import StoreConflictError, StoreError

__all__ = ["Clock", "TxBase", "after_clause"]

#: Returns the current instant as an aware UTC datetime.
Clock = Callable[[], datetime]

# Columns an update may never set: identity, bookkeeping and creation facts.
_IMMUTABLE = frozenset({"id", "generation", "created_at", "updated_at"})


class TxBase:
    """State and helpers shared by the per-table parts of a transaction.

    Args:
        conn: The connection, already inside the transaction.
        clock: Gives the time stamped on rows written in this transaction.
        writable: False for a read transaction; writes then raise :class:`StoreError`.
    """

    __slots__ = ("_clock", "_conn", "_writable", "appended_event_id")

    def __init__(self, conn: Connection, clock: Clock, *, writable: bool) -> None:
        self._conn = conn
        self._clock = clock
        self._writable = writable
        #: The id of the last event appended in this transaction, if any (told to the
        #: store's commit listeners once the transaction commits).
        self.appended_event_id: int | None = None

    @property
    def connection(self) -> Connection:
        """The underlying SQLAlchemy connection (for tests and diagnostics)."""
        return self._conn

    def _now(self) -> datetime:
        return self._clock()

    def _run(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> Any:
        """Execute ``stmt``; a broken uniqueness/reference rule becomes StoreConflictError."""
        try:
            return self._conn.execute(stmt, params)
        except IntegrityError as exc:
            raise StoreConflictError(str(exc.orig)) from exc

    def _write(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> Any:
        """Like :meth:`_run`, for statements that change data."""
        if not self._writable:
            raise StoreError("write attempted in a read-only transaction (use Store.tx())")
        return self._run(stmt, params)

    def _rowcount(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> int:
        result: CursorResult[Any] = self._write(stmt, params)
        return result.rowcount

    def _update_row(
        self,
        table: Table,
        row_id: str,
        fields: Mapping[str, Any],
        *,
        expected_generation: int | None,
        track_state: bool = False,
    ) -> Row[Any] | None:
        """Update one row by id, bump its generation and ``updated_at``, return it.

        Args:
            table: A table with ``id``, ``generation`` and ``updated_at`` columns.
            row_id: The row to change.
            fields: Column values to set (checked against the table's columns).
            expected_generation: If given, only update when the row still has it.
            track_state: Set ``state_changed_at`` to now when ``fields["state"]``
                differs from the stored state (the table must have both columns).

        Returns:
            The updated row, or None if it does not exist or the generation differs.

        Raises:
            StoreError: For an unknown or immutable column.
        """
        bad = [k for k in fields if k in _IMMUTABLE or k not in table.c]
        if bad:
            raise StoreError(f"cannot update {table.name} column(s): {', '.join(sorted(bad))}")
        now = self._now()
        params: dict[str, Any] = {**fields, "updated_at": now, "p_id": row_id}
        if expected_generation is not None:
            params["p_generation"] = expected_generation
        if track_state:
            params["p_state"] = fields["state"]
            params["p_now"] = now
        stmt = _update_statement(
            table, check_generation=expected_generation is not None, track_state=track_state
        )
        row: Row[Any] | None = self._write(stmt, params).first()
        return row


@functools.cache
def _update_statement(table: Table, *, check_generation: bool, track_state: bool) -> Update:
    """The UPDATE behind :meth:`TxBase._update_row`, built once per shape.

    The columns to set come from the execution parameters, so one statement serves
    every combination of fields (SQLAlchemy caches the compiled form per key set).
    """
    stmt = update(table).where(table.c.id == bindparam("p_id"))
    if check_generation:
        stmt = stmt.where(table.c.generation == bindparam("p_generation"))
    values: dict[str, Any] = {"generation": table.c.generation + 1}
    if track_state:
        values["state_changed_at"] = case(
            (
                table.c.state != bindparam("p_state"),
                bindparam("p_now", type_=UTCDateTime()),
            ),
            else_=table.c.state_changed_at,
        )
    return stmt.values(values).returning(*table.c)


def after_clause(
    time_col: ColumnElement[datetime], id_col: ColumnElement[str], after: tuple[datetime, str]
) -> ColumnElement[bool]:
    """Keyset paging: rows strictly after ``after`` in (time, id) order.

    A row-value comparison, which both SQLite and PostgreSQL answer with a range
    scan of the matching (time, id) index.

    Args:
        time_col: The creation-time column.
        id_col: The id column.
        after: The (time, id) of the last row of the previous page.

    Returns:
        The WHERE clause.
    """
    t, i = after
    return tuple_(time_col, id_col) > tuple_(literal(t, UTCDateTime()), literal(i))
