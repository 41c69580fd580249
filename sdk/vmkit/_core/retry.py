"""Retry rules: what is worth another attempt, and how long to wait before it.

The rules (design §3):

* Connection errors raised before the request could have reached the server
  (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``) are always retried.
* Errors after the request may have been sent (``ReadTimeout``, ``WriteTimeout``,
  ``ReadError``, ``WriteError``, ``RemoteProtocolError`` such as "server disconnected
  without sending a response" on a reused keep-alive connection) are retried only when
  repeating the call is harmless: it carries an ``Idempotency-Key`` (every POST does) or
  its method is idempotent (GET, HEAD, OPTIONS, PUT, DELETE). We cannot tell a fresh
  connection from a reused one without doing I/O, so idempotency is the test.
* Statuses 408, 429, 502, 503, 504 are retried; 500 only when the request carries an
  ``Idempotency-Key`` (after an error answer the server released the key, so the
  retry runs the call again, which the failure left undone); 409 never (a state
  conflict does not go away by asking again) except ``IDEMPOTENCY_KEY_IN_FLIGHT``, nor
  any other 4xx, nor codes in :data:`NEVER_RETRY_CODES`.
* The wait is ``Retry-After`` when the server sent one, else an exponential backoff with
  jitter. When the wait would reach past the call's deadline, we give up at once and
  raise the last error instead of sleeping in vain.
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

__all__ = [
    "IDEMPOTENT_METHODS",
    "IN_FLIGHT_CODE",
    "NEVER_RETRY_CODES",
    "RETRYABLE_STATUSES",
    "RetryPolicy",
    "backoff_delay",
    "is_retryable_exception",
    "is_retryable_status",
    "jitter",
    "next_delay",
    "retry_after_seconds",
]

#: The SDK's source of jitter in [0, 1): a private generator, so retries and reconnections
#: never draw from (or disturb) the global `random` an application may have seeded.
jitter: Callable[[], float] = random.Random().random

RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: Codes that mean "asking again cannot help", whatever the status. EXEC_TIMEOUT is a 504
#: that already ran the command for its whole timeout: repeating it would run it again.
NEVER_RETRY_CODES = frozenset(
    {"VM_INVALID_STATE", "OPERATION_IN_PROGRESS", "IDEMPOTENCY_KEY_REUSED", "EXEC_TIMEOUT"}
)

#: A 409 that is worth waiting out: an earlier attempt of this very call is still running.
IN_FLIGHT_CODE = "IDEMPOTENCY_KEY_IN_FLIGHT"

# Raised before any byte of the request left this process.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Raised when the request may have reached the server.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a client retries.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        backoff_base: The first backoff delay in seconds; it doubles on each retry.
        backoff_max: The largest backoff delay in seconds.
        jitter: The fraction (0..1) by which a backoff delay is randomly shortened.
    """

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.25


def is_retryable_status(status: int, *, has_idempotency_key: bool, code: str | None) -> bool:
    """Whether an error answer is worth another attempt.

    Args:
        status: The HTTP status code.
        has_idempotency_key: Whether the request carried an ``Idempotency-Key``.
        code: The problem's machine code, if any.

    Returns:
        True for 408/429/502/503/504, for 500 with an idempotency key, and for 409
        ``IDEMPOTENCY_KEY_IN_FLIGHT`` (the same call is still running: asking again after
        ``Retry-After`` gets its stored answer); False for everything else, including
        every other 409 and any code in :data:`NEVER_RETRY_CODES`.
    """
    if code == IN_FLIGHT_CODE:
        return has_idempotency_key
    if code in NEVER_RETRY_CODES or status == 409:
        return False
    if status == 500:
        return has_idempotency_key
    return status in RETRYABLE_STATUSES


def is_retryable_exception(exc: BaseException, *, idempotent: bool = False) -> bool:
    """Whether a transport error is worth another attempt.

    Args:
        exc: The httpx exception raised while sending.
        idempotent: Whether repeating the request is harmless (it carries an
            ``Idempotency-Key`` or uses an idempotent method).

    Returns:
        True for errors raised before the request was sent; for errors after it may have
        been sent, only when ``idempotent``; False for anything else.
    """
    if isinstance(exc, _NOT_SENT):
        return True
    return isinstance(exc, _MAYBE_SENT) and idempotent


def retry_after_seconds(headers: Mapping[str, str], *, now: datetime) -> float | None:
    """Seconds the server asked to wait, from ``Retry-After`` (delta-seconds or HTTP-date).

    Args:
        headers: The response headers (any case).
        now: The current time (timezone-aware), for the HTTP-date form.

    Returns:
        Seconds to wait (0.0 for a date in the past), or None when the header is absent or
        unreadable.
    """
    value = httpx.Headers(headers).get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def backoff_delay(attempt: int, policy: RetryPolicy, *, rand: Callable[[], float]) -> float:
    """The exponential backoff before the retry that follows failed attempt ``attempt``.

    Args:
        attempt: The number of the attempt that just failed (1 for the first).
        policy: The retry policy.
        rand: A source of floats in [0, 1) (``random.random`` or a fake in tests).

    Returns:
        ``min(backoff_max, backoff_base * 2**(attempt-1))``, shortened by up to ``jitter``.
    """
    exponent = min(max(0, attempt - 1), 60)  # 2.0**60 is past any sane backoff_max
    delay = min(policy.backoff_max, policy.backoff_base * 2.0**exponent)
    return delay * (1.0 - policy.jitter * rand())


def next_delay(
    attempt: int,
    policy: RetryPolicy,
    retry_after: float | None,
    deadline_remaining: float | None,
    *,
    rand: Callable[[], float],
) -> float | None:
    """How long to wait before the next attempt, or None to give up.

    Args:
        attempt: The number of the attempt that just failed (1 for the first).
        policy: The retry policy (``max_retries`` bounds the number of retries).
        retry_after: Seconds from the server's ``Retry-After``, if it sent one.
        deadline_remaining: Seconds left before the call's deadline, or None for no deadline.
        rand: A source of floats in [0, 1) for the jitter.

    Returns:
        The delay in seconds; None when the retries are used up or when the wait would
        end at or past the deadline (no time would be left for the attempt).
    """
    if attempt > policy.max_retries:
        return None
    delay = retry_after if retry_after is not None else backoff_delay(attempt, policy, rand=rand)
    if deadline_remaining is not None and delay >= deadline_remaining:
        return None
    return delay
