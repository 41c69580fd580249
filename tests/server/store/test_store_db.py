"""Store.open, migrations, connection settings and transaction boundaries."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.exc import StatementError
from store_helpers import FakeClock, make_vm

from vmkit_server.store import Store, StoreError
from vmkit_server.store.migrations import MIGRATIONS, latest_version
from vmkit_server.store.schema import schema_migrations


def _pragma(store: Store, name: str) -> object:
    with store.read() as tx:
        return tx.connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_open_applies_every_migration_once(store: Store, clock: FakeClock) -> None:
    """A fresh database gets each migration recorded with its time."""
    with store.read() as tx:
        rows = tx.connection.execute(select(schema_migrations)).all()
    assert [(m.version, m.description, clock.now) for m in MIGRATIONS] == [
        (r.version, r.description, r.applied_at) for r in rows
    ]
    assert latest_version() == store.schema_version()


def test_reopen_is_idempotent_and_keeps_data(db_url: str, clock: FakeClock) -> None:
    """Opening an up-to-date database applies nothing and loses nothing."""
    first = Store.open(db_url, clock=clock)
    with first.tx() as tx:
        make_vm(tx, "keep")
    first.close()
    clock.advance()
    second = Store.open(db_url, clock=clock)
    try:
        with second.read() as tx:
            count = tx.connection.execute(select(schema_migrations)).all()
            vm = tx.get_vm("keep")
        assert len(MIGRATIONS) == len(count)
        assert vm is not None
    finally:
        second.close()


def test_newer_database_is_refused(db_url: str, clock: FakeClock) -> None:
    """A database migrated by a newer vmkit raises StoreError naming both versions."""
    store = Store.open(db_url, clock=clock)
    newer = latest_version() + 1
    with store.tx() as tx:
        tx.connection.execute(
            insert(schema_migrations).values(
                version=newer, description="from the future", applied_at=clock.now
            )
        )
    store.close()
    with pytest.raises(StoreError, match=f"version {newer}.*newer vmkit"):
        Store.open(db_url, clock=clock)


def test_sqlite_connection_settings(store: Store) -> None:
    """Every connection runs in WAL with foreign keys, NORMAL sync and a busy timeout."""
    assert _pragma(store, "journal_mode") == "wal"
    assert _pragma(store, "foreign_keys") == 1
    assert _pragma(store, "synchronous") == 1  # NORMAL
    assert _pragma(store, "busy_timeout") == 5000


def test_write_transactions_begin_immediate(store: Store) -> None:
    """tx() takes the write lock at BEGIN; read() does not."""
    seen: list[str] = []

    def capture(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with store.tx() as tx:
            tx.count_vms()
        with store.read() as tx:
            tx.count_vms()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]


def test_exception_rolls_back_everything(store: Store) -> None:
    """An exception inside tx() undoes all of its writes."""
    with pytest.raises(RuntimeError), store.tx() as tx:
        make_vm(tx, "gone")
        tx.append_event("vm.created", subject_type="vm", subject_id="vm_gone", vm_id=None, data={})
        raise RuntimeError("boom")
    with store.read() as tx:
        assert tx.count_vms() == 0
        assert tx.last_event_id() is None


def test_read_transaction_refuses_writes(store: Store) -> None:
    """Writing through read() raises StoreError instead of silently writing."""
    with pytest.raises(StoreError, match="read-only"), store.read() as tx:
        make_vm(tx, "nope")


def test_nested_write_transaction_is_refused(store: Store) -> None:
    """A second tx() in the same thread fails fast instead of waiting for itself."""
    with store.tx() as outer:
        make_vm(outer, "outer")
        with pytest.raises(StoreError, match="already open"), store.tx():
            pass
    with store.tx() as tx:  # the guard is released afterwards
        assert tx.get_vm("outer") is not None


def test_integrity_check_is_ok(store: Store) -> None:
    """A healthy database passes SQLite's integrity check."""
    with store.tx() as tx:
        make_vm(tx, "a")
    assert store.integrity_check() == "ok"


def test_naive_datetimes_are_refused(store: Store) -> None:
    """Times must be aware; a naive one is a programming error, not a silent shift."""
    with pytest.raises(StatementError, match="naive datetime"), store.tx() as tx:
        tx.list_expired_vms(datetime(2030, 1, 1))
