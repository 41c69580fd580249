"""The :class:`Store`: the engine, its connection settings and transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text

from vmkit_server.store._base import Clock
from vmkit_server.store._fast import FastVMReader
from vmkit_server.store.errors import StoreError
from vmkit_server.store.migrations import run_migrations, schema_version
from vmkit_server.store.rows import VMRow
from vmkit_server.store.tx import Tx

__all__ = ["Store", "create_store_engine"]

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)
_WRITE_OPTION = "vmkit_write"
_MAX_VERSIONS = 65536


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_store_engine(url: str) -> Engine:
    """Create an engine configured the way the store needs it.

    For SQLite every new connection gets WAL, ``synchronous=NORMAL``, foreign keys and
    a 5 s busy timeout, and SQLAlchemy (not the sqlite3 module) issues ``BEGIN``:
    ``BEGIN IMMEDIATE`` for write transactions, so two writers queue on the lock
    instead of failing when one upgrades a read lock. A missing parent directory of
    the database file is created.

    Args:
        url: A SQLAlchemy URL, e.g. ``sqlite:////var/lib/vmkit/vmkit.db``.

    Returns:
        The engine.
    """
    parsed = make_url(url)
    engine = create_engine(parsed)
    if parsed.get_backend_name() != "sqlite":
        return engine
    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Store:
    """The persistence of the server: open once at start, close at shutdown.

    Called synchronously from the event loop; keep every transaction short and never
    ``await`` inside one.

    Args:
        engine: An engine made by :func:`create_store_engine` (use :meth:`open`).
        clock: Gives the current time, aware and in UTC; injectable for tests.
    """

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock: Clock = clock or _utc_now
        self._local = threading.local()
        database = engine.url.database
        self._fast: FastVMReader | None = (
            FastVMReader(database)
            if engine.dialect.name == "sqlite" and database and database != ":memory:"
            else None
        )
        # ref -> (id, generation) of VMs read since the last write transaction. This process is
        # the database's only writer and every write goes through tx(), which empties it.
        self._versions: dict[str, tuple[str, int]] | None = {} if self._fast else None
        self._event_listeners: list[Callable[[int], None]] = []

    @classmethod
    def open(cls, url: str, *, clock: Clock | None = None) -> Store:
        """Open (creating if needed) the database at ``url`` and migrate it.

        Args:
            url: A SQLAlchemy URL, e.g. ``sqlite:////abs/path/vmkit.db``.
            clock: Gives the current time; defaults to the system clock in UTC.

        Returns:
            The open store.

        Raises:
            StoreError: If the database's schema is newer than this code knows.
        """
        store = cls(create_store_engine(url), clock=clock)
        try:
            run_migrations(store._connection, clock=store._clock)
        except BaseException:
            store.close()
            raise
        return store

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine."""
        return self._engine

    @property
    def clock(self) -> Clock:
        """The clock that stamps rows."""
        return self._clock

    def close(self) -> None:
        """Close every pooled connection. The store must not be used afterwards."""
        if self._fast is not None:
            self._fast.close()
        self._engine.dispose()

    def get_vm(self, ref: str) -> VMRow | None:
        """One VM by id or name, read outside any transaction (the request hot path).

        Args:
            ref: The id or the name.

        Returns:
            The row, or None.
        """
        if self._fast is not None:
            return self._fast.get_vm(ref)
        with self.read() as tx:
            return tx.get_vm(ref)

    def get_vm_version(self, ref: str) -> tuple[str, int] | None:
        """(id, generation) of one VM by id or name, or None: what a render cache keys on.

        Args:
            ref: The id or the name.

        Returns:
            The version, or None.
        """
        versions = self._versions
        if versions is not None and self._fast is not None:
            found = versions.get(ref)
            if found is None:
                found = self._fast.version(ref)
                if found is not None and len(versions) < _MAX_VERSIONS:
                    versions[ref] = found
            return found
        row = self.get_vm(ref)
        return None if row is None else (row.id, row.generation)

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        """One write transaction: committed on success, rolled back on exception.

        Yields:
            The transaction.

        Raises:
            StoreError: If this thread already has a write transaction open on this
                store (it would wait for itself; typically an ``await`` inside a tx).
        """
        try:
            with self._connection(write=True) as conn:
                tx = Tx(conn, self._clock, writable=True)
                yield tx
        finally:
            if self._versions:
                self._versions.clear()
        # Committed: tell listeners (live streams, webhook delivery) about the new events.
        if tx.appended_event_id is not None:
            for listener in self._event_listeners:
                listener(tx.appended_event_id)

    def on_events_committed(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(last_event_id)`` after every write transaction that appended events.

        It runs on the committing thread, right after the commit; it must not block or
        open a transaction (hand the id to the event loop instead).

        Args:
            listener: Called with the id of the transaction's last event.
        """
        self._event_listeners.append(listener)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """One read-only transaction: a consistent snapshot; writes raise StoreError.

        Yields:
            The transaction.
        """
        with self._connection(write=False) as conn:
            yield Tx(conn, self._clock, writable=False)

    def schema_version(self) -> int:
        """The schema version of the database.

        Returns:
            The highest applied migration.
        """
        with self._connection(write=False) as conn:
            return schema_version(conn)

    def integrity_check(self) -> str:
        """Ask the database to check itself.

        Returns:
            ``"ok"`` when healthy, else the problems found, one per line. Databases
            other than SQLite have no such check and report ``"ok"`` if they answer.
        """
        with self._connection(write=False) as conn:
            if conn.dialect.name != "sqlite":
                conn.execute(text("SELECT 1"))
                return "ok"
            rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
            return "\n".join(str(r) for r in rows)

    @contextmanager
    def _connection(self, *, write: bool = True) -> Iterator[Connection]:
        if write and getattr(self._local, "writing", False):
            raise StoreError(
                "a write transaction is already open in this thread; nested or concurrent "
                "write transactions would wait for each other (never await inside Store.tx())"
            )
        with self._engine.connect() as conn:
            if write:
                conn.execution_options(**{_WRITE_OPTION: True})
                self._local.writing = True
            try:
                with conn.begin():
                    yield conn
            finally:
                if write:
                    self._local.writing = False
