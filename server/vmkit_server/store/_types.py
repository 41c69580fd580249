"""Column types shared by the schema: portable UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["TIME_FORMAT", "UTCDateTime", "format_time"]

#: Fixed-width, so that string order is time order (SQLite stores times as text).
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def format_time(value: datetime) -> str:
    """Format an aware datetime as fixed-width UTC text.

    Args:
        value: A timezone-aware datetime.

    Returns:
        The instant as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.

    Raises:
        ValueError: If ``value`` is naive.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: the store only takes aware UTC times")
    # isoformat is several times faster than strftime and gives the same text.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant.

    PostgreSQL gets a native ``timestamptz``; every other dialect (SQLite) gets
    fixed-width ISO text, which sorts lexicographically in time order. Values read
    back are always aware datetimes in UTC; naive values are refused on write.
    """

    impl = String(27)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Pick the storage type for ``dialect`` (see the class docstring)."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(27))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        """Convert an aware datetime to what the dialect stores."""
        if value is None:
            return None
        if dialect.name == "postgresql":
            format_time(value)  # refuses naive values on every dialect alike
            return value.astimezone(UTC)
        return format_time(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Convert a stored value back to an aware UTC datetime."""
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        return datetime.fromisoformat(value)  # the "Z" suffix makes it aware (UTC)
