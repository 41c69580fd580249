"""Rate limiting: one token bucket per client, answered with 429 `RATE_LIMITED`.

A client is a token (its id), or, for a request whose token is missing or wrong, the address
it came from. Each bucket holds up to `burst` requests and refills at `rate` per second; a
request that finds it empty is refused with ``Retry-After`` (whole seconds, at least 1) until
the next request would fit. Refused requests take nothing from the bucket.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import problems
from .problems import ProblemError

__all__ = ["RateLimit", "RateLimiter", "parse_rate"]

_RATE = re.compile(r"(?P<count>[0-9]+(?:\.[0-9]+)?)\s*(?:/\s*(?P<unit>s|sec|second|m|min|minute))?")
_SECONDS_PER_UNIT = {None: 1.0, "s": 1.0, "sec": 1.0, "second": 1.0}
_SECONDS_PER_UNIT.update({"m": 60.0, "min": 60.0, "minute": 60.0})


def parse_rate(text: str) -> float:
    """Requests per second from ``N``, ``N/s`` or ``N/m`` (``N`` may have decimals).

    Args:
        text: What the user wrote, e.g. ``20/s`` or ``600/m``.

    Returns:
        The rate in requests per second (> 0).

    Raises:
        ValueError: The text is not a rate, or the rate is zero.
    """
    m = _RATE.fullmatch(text.strip().lower())
    if m is None:
        raise ValueError(f"expected a rate such as 20/s or 600/m, got {text!r}")
    rate = float(m.group("count")) / _SECONDS_PER_UNIT[m.group("unit")]
    if rate <= 0:
        raise ValueError(f"a rate limit must be above zero, got {text!r}")
    return rate


@dataclass(frozen=True)
class RateLimit:
    """How fast one client may send requests.

    Attributes:
        rate: Requests per second, sustained.
        burst: Requests a client may send at once after a quiet spell (the bucket's size).
    """

    rate: float
    burst: int

    def __post_init__(self) -> None:
        if not self.rate > 0 or self.burst < 1:
            raise ValueError(f"a rate limit needs rate > 0 and burst >= 1, got {self}")

    def describe(self) -> str:
        """E.g. ``20/s (burst 40)``."""
        return f"{self.rate:g}/s (burst {self.burst})"


class RateLimiter:
    """Token buckets by client key.

    Args:
        limit: The rate and burst every client gets.
        clock: Monotonic seconds (tests inject a fake).
        max_clients: Buckets kept at most; past it, buckets that have refilled (which are
            the same as new ones) are dropped, then the least recently used.
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._max_clients = max_clients
        # key -> (tokens left, when they were counted); dict order is least recently used first
        self._buckets: dict[str, tuple[float, float]] = {}

    def wait_time(self, key: str) -> float:
        """Take one request from `key`'s bucket.

        Args:
            key: Who is asking (e.g. ``token:tok_...`` or ``address:10.0.0.7``).

        Returns:
            0.0 when the request may go on (and was counted); otherwise the seconds until it
            would fit, and nothing was taken.
        """
        now = self._clock()
        rate, burst = self.limit.rate, float(self.limit.burst)
        tokens, then = self._buckets.pop(key, (burst, now))
        tokens = min(burst, tokens + (now - then) * rate)
        if tokens >= 1.0:
            self._remember(key, tokens - 1.0, now)
            return 0.0
        self._remember(key, tokens, now)
        return (1.0 - tokens) / rate

    def check(self, key: str) -> None:
        """`wait_time`, as the problem a refused request gets.

        Raises:
            ProblemError: 429 `RATE_LIMITED` with ``Retry-After`` and the limit in
                ``metadata``.
        """
        wait = self.wait_time(key)
        if wait <= 0.0:
            return
        retry_after = max(1, math.ceil(wait))
        raise ProblemError(
            429,
            problems.RATE_LIMITED,
            f"too many requests: the limit is {self.limit.describe()} per client; "
            f"retry in {retry_after} s",
            metadata={
                "retry_after_seconds": retry_after,
                "rate_per_second": self.limit.rate,
                "burst": self.limit.burst,
            },
            headers={"Retry-After": str(retry_after)},
        )

    def _remember(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self._max_clients:
            self._prune(now)

    def _prune(self, now: float) -> None:
        rate, burst = self.limit.rate, self.limit.burst
        full = [k for k, (t, then) in self._buckets.items() if t + (now - then) * rate >= burst]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) > self._max_clients:  # many clients at once: forget the idlest
            for key in list(self._buckets)[: len(self._buckets) - self._max_clients // 2]:
                del self._buckets[key]
