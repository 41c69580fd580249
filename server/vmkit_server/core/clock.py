"""Wall-clock time in one place, so tests can inject their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "isoformat", "utcnow"]

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def isoformat(when: datetime | None) -> str | None:
    """RFC 3339 with microseconds and `Z`, the one time format of the API."""
    if when is None:
        return None
    if when.tzinfo is not UTC:
        when = when.astimezone(UTC)
    # isoformat is several times faster than strftime and gives the same fixed-width text
    return when.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
