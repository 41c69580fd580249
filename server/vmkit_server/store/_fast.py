"""Single-row reads on the request hot path, without a transaction or SQLAlchemy overhead.

A lone SELECT in SQLite's WAL mode reads one consistent snapshot, so `GET /v1/vms/{vm}`
needs no explicit transaction. This reader keeps one raw autocommit connection and one
SQL string per lookup, and converts columns the way the SQLAlchemy types do (the tests
compare both paths). Only SQLite has it; other databases use the transactional path.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean

from ._types import UTCDateTime
from ._vms import VM_ID_PREFIX
from .rows import VMRow
from .schema import vms

__all__ = ["FastVMReader"]


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, UTCDateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column_type, JSON):
        return lambda v: None if v is None else json.loads(v)
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else bool(v)
    return None


class FastVMReader:
    """Reads one VM row by id or name over a dedicated autocommit SQLite connection.

    Args:
        database: Path of the SQLite file.
    """

    def __init__(self, database: str) -> None:
        self._conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA busy_timeout=5000")
        # one cursor for every lookup: making and freeing a cursor per query costs more
        # than the query itself
        self._cursor = self._conn.cursor()
        self._names = [c.name for c in vms.columns]
        self._convert = [(i, f) for i, c in enumerate(vms.columns) if (f := _converter(c.type))]
        columns = ", ".join(self._names)
        self._by_id = f"SELECT {columns} FROM vms WHERE id = ?"
        self._by_name = f"SELECT {columns} FROM vms WHERE name = ?"
        self._version_by_id = "SELECT id, generation FROM vms WHERE id = ?"
        self._version_by_name = "SELECT id, generation FROM vms WHERE name = ?"

    def version(self, ref: str) -> tuple[str, int] | None:
        """(id, generation) of the VM whose id or name is `ref`, or None."""
        sql = self._version_by_id if ref.startswith(VM_ID_PREFIX) else self._version_by_name
        row = self._cursor.execute(sql, (ref,)).fetchone()
        return None if row is None else (row[0], row[1])

    def get_vm(self, ref: str) -> VMRow | None:
        """The VM whose id or name is `ref`, or None."""
        sql = self._by_id if ref.startswith(VM_ID_PREFIX) else self._by_name
        row = self._cursor.execute(sql, (ref,)).fetchone()
        if row is None:
            return None
        values = list(row)
        for index, convert in self._convert:
            values[index] = convert(values[index])
        return VMRow(**dict(zip(self._names, values, strict=True)))

    def close(self) -> None:
        """Close the connection."""
        self._cursor.close()
        self._conn.close()
