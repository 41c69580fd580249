"""The only place where the async and sync twins differ in how they wait.

``scripts/unasync.py`` maps each async name here to its sync partner by token
(``asleep`` -> ``sleep``, ``AsyncSleepFunc`` -> ``SleepFunc``), so code in ``_async/``
writes ``await _compat.asleep(1)`` and its generated twin reads ``_compat.sleep(1)``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import anyio

__all__ = ["AsyncSleepFunc", "Clock", "SleepFunc", "asleep", "monotonic", "sleep", "utcnow"]

#: A sleep function as the async twin injects it (e.g. into a transport, for tests).
AsyncSleepFunc = Callable[[float], Awaitable[None]]
#: A sleep function as the sync twin injects it.
SleepFunc = Callable[[float], None]
#: A monotonic clock in seconds (the same for both twins).
Clock = Callable[[], float]


async def asleep(seconds: float) -> None:
    """Sleep without blocking the event loop (asyncio or trio, through anyio).

    Args:
        seconds: How long to sleep.
    """
    await anyio.sleep(seconds)


def sleep(seconds: float) -> None:
    """Block the calling thread for ``seconds``.

    Args:
        seconds: How long to sleep.
    """
    time.sleep(seconds)


def monotonic() -> float:
    """The monotonic clock both twins measure deadlines with.

    Returns:
        Seconds from an arbitrary origin; only differences are meaningful.
    """
    return time.monotonic()


def utcnow() -> datetime:
    """The current wall-clock time, timezone-aware (for HTTP-date ``Retry-After``).

    Returns:
        The current time in UTC.
    """
    return datetime.now(UTC)
