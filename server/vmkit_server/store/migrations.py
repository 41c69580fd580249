"""Versioned schema migrations, run when the store opens.

Each migration is applied in its own write transaction together with the row that
records it in ``schema_migrations``, so a crash leaves the database at a whole
version. Append new migrations to :data:`MIGRATIONS`; never edit an applied one.
When a later migration changes a table, migration 1 must keep creating the
version-1 shape: freeze the old ``Table`` definitions next to it at that point
(until then, migration 1 creates the version-1 tables of :mod:`schema` by name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from vmkit_server.store import schema
from vmkit_server.store._base import Clock
from vmkit_server.store.errors import StoreError

__all__ = ["MIGRATIONS", "Migration", "latest_version", "run_migrations", "schema_version"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema's history.

    Attributes:
        version: Its number; versions are 1, 2, 3... in order.
        description: One line saying what it changes.
        apply: Performs the change on a connection inside a transaction.
    """

    version: int
    description: str
    apply: Callable[[Connection], None]


# The tables of version 1, which later versions have not changed yet: migration 1 creates
# exactly these, so that a database made today climbs through every later migration too.
_V1_TABLES = (
    "vms",
    "snapshots",
    "operations",
    "operation_logs",
    "events",
    "tokens",
    "idempotency_keys",
)


def _v1_initial(conn: Connection) -> None:
    tables = [schema.metadata.tables[name] for name in _V1_TABLES]
    schema.metadata.create_all(conn, tables=tables)


def _v2_webhooks(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.webhooks, schema.webhook_deliveries])


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1, "create vms, snapshots, operations, logs, events, tokens, idempotency", _v1_initial
    ),
    Migration(2, "create webhooks and webhook_deliveries (the outbox)", _v2_webhooks),
)


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """The version a database has once ``migrations`` are applied.

    Args:
        migrations: The known migrations.

    Returns:
        The highest version, or 0 if there are none.
    """
    return max((m.version for m in migrations), default=0)


def schema_version(conn: Connection) -> int:
    """The version recorded in a database (0 for a fresh one).

    Args:
        conn: A connection whose database has the ``schema_migrations`` table.

    Returns:
        The highest applied version.
    """
    version: int | None = conn.execute(
        select(func.max(schema.schema_migrations.c.version))
    ).scalar()
    return version or 0


def run_migrations(
    begin_write: Callable[[], AbstractContextManager[Connection]],
    *,
    clock: Clock,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> list[int]:
    """Bring a database up to the latest version.

    Safe to run from several processes at once: each step re-reads the version inside
    its own write transaction, which the database serialises.

    Args:
        begin_write: Opens a write transaction and yields its connection; commits on
            success and rolls back on error.
        clock: Stamps ``applied_at``.
        migrations: The migrations to apply, in version order.

    Returns:
        The versions applied now (empty if the database was current).

    Raises:
        StoreError: If the database was migrated by a newer vmkit than this one.
    """
    latest = latest_version(migrations)
    with begin_write() as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
        _refuse_newer(schema_version(conn), latest)
    applied: list[int] = []
    for migration in sorted(migrations, key=lambda m: m.version):
        with begin_write() as conn:
            current = schema_version(conn)
            _refuse_newer(current, latest)
            if migration.version <= current:
                continue
            migration.apply(conn)
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=migration.version,
                    description=migration.description,
                    applied_at=clock(),
                )
            )
        applied.append(migration.version)
    return applied


def _refuse_newer(found: int, latest: int) -> None:
    if found > latest:
        raise StoreError(
            f"the database is at schema version {found}, but this vmkit only knows versions "
            f"up to {latest}: it was used by a newer vmkit; upgrade vmkit to open it"
        )
