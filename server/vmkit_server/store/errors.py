"""Errors raised by the store."""

from __future__ import annotations

__all__ = ["StoreConflictError", "StoreError"]


class StoreError(Exception):
    """Base class of every error the store raises on purpose.

    Raised for a database the code cannot use (for example one migrated by a newer
    vmkit), for misuse of a transaction (a write in a read transaction, an unknown
    column in an update) and, as :class:`StoreConflictError`, for uniqueness
    violations.
    """


class StoreConflictError(StoreError):
    """A write broke a uniqueness rule (a VM name, a snapshot name, a token hash...).

    The transaction it happened in is rolled back when the error leaves ``Store.tx()``.
    """
