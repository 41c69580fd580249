"""Deadlines for calls and waiters, computed from an injected clock (no sleeping here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

__all__ = ["Deadline", "poll_intervals"]


class Deadline:
    """A point in time after which a call or a waiter gives up.

    Args:
        timeout: Seconds from now, or None for "never".
        clock: A monotonic clock in seconds (``time.monotonic`` or a fake in tests).

    Example:
        >>> now = [0.0]
        >>> d = Deadline(10.0, clock=lambda: now[0])
        >>> now[0] = 4.0
        >>> d.remaining()
        6.0
    """

    def __init__(self, timeout: float | None, clock: Callable[[], float]) -> None:
        self.timeout = timeout
        self._clock = clock
        self._start = clock()

    def __repr__(self) -> str:
        return f"Deadline(timeout={self.timeout!r}, remaining={self.remaining()!r})"

    def elapsed(self) -> float:
        """Seconds since the deadline was created.

        Returns:
            The elapsed time, never negative.
        """
        return max(0.0, self._clock() - self._start)

    def remaining(self) -> float | None:
        """Seconds left before the deadline.

        Returns:
            The time left (0.0 once expired), or None when there is no deadline.
        """
        if self.timeout is None:
            return None
        return max(0.0, self.timeout - self.elapsed())

    def expired(self) -> bool:
        """Whether the deadline has passed.

        Returns:
            True once no time is left; always False without a deadline.
        """
        remaining = self.remaining()
        return remaining is not None and remaining <= 0.0

    def cap(self, seconds: float | None) -> float | None:
        """Shorten a duration so that it ends no later than the deadline.

        Args:
            seconds: A duration, or None for "unbounded".

        Returns:
            The smaller of ``seconds`` and the time left; None only when both are unbounded.
        """
        remaining = self.remaining()
        if remaining is None:
            return seconds
        if seconds is None:
            return remaining
        return min(seconds, remaining)


def poll_intervals(
    *, first: float = 0.05, maximum: float = 1.0, factor: float = 2.0
) -> Iterator[float]:
    """An endless, capped exponential sequence of poll delays: 0.05, 0.1, 0.2 ... 1.0, 1.0 ...

    Args:
        first: The first delay in seconds.
        maximum: The largest delay returned.
        factor: The growth factor between two delays (>= 1).

    Returns:
        An infinite iterator of delays in seconds.

    Raises:
        ValueError: If ``first`` is not positive, ``maximum < first`` or ``factor < 1``.
    """
    if first <= 0 or maximum < first or factor < 1:
        raise ValueError("need 0 < first <= maximum and factor >= 1")
    return _poll_intervals(first, maximum, factor)


def _poll_intervals(first: float, maximum: float, factor: float) -> Iterator[float]:
    delay = first
    while True:
        yield delay
        delay = min(maximum, delay * factor)
