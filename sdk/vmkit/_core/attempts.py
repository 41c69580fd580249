"""Per-call retry bookkeeping that both transports hand to tenacity (no I/O here).

A :class:`RetryPlan` lives for one logical call. Tenacity asks it, after each failed
attempt, whether to retry (:meth:`RetryPlan.should_retry`), how long to wait
(:meth:`RetryPlan.wait`) and whether to stop (:meth:`RetryPlan.stop`). The wait is
computed once per failure and remembered, so the jitter drawn for the decision is the
jitter slept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from vmkit import errors
from vmkit._core.deadline import Deadline
from vmkit._core.retry import (
    IDEMPOTENT_METHODS,
    RetryPolicy,
    is_retryable_exception,
    is_retryable_status,
    next_delay,
    retry_after_seconds,
)

__all__ = ["RetryPlan", "describe_failure"]


class RetryPlan:
    """The retry decisions for one logical call.

    Args:
        method: The HTTP method (any case).
        has_idempotency_key: Whether every attempt carries the same ``Idempotency-Key``.
        policy: The retry policy, with ``max_retries`` already set for this call.
        deadline: The call's deadline.
        rand: A source of floats in [0, 1) for the jitter.
        now: A wall clock returning aware datetimes, for HTTP-date ``Retry-After``.
    """

    def __init__(
        self,
        *,
        method: str,
        has_idempotency_key: bool,
        policy: RetryPolicy,
        deadline: Deadline,
        rand: Callable[[], float],
        now: Callable[[], datetime],
    ) -> None:
        self.has_idempotency_key = has_idempotency_key
        self.idempotent = has_idempotency_key or method.upper() in IDEMPOTENT_METHODS
        self.policy = policy
        self.deadline = deadline
        self._rand = rand
        self._now = now
        self._planned: float | None = None

    def should_retry(self, exc: BaseException) -> bool:
        """Whether the failure ``exc`` of one attempt is of a retryable kind.

        Args:
            exc: What the attempt raised (a :class:`~vmkit.errors.APIError` for HTTP and
                transport failures; anything else is never retried).

        Returns:
            True when another attempt may succeed.
        """
        if isinstance(exc, errors.APIStatusError):
            return is_retryable_status(
                exc.status, has_idempotency_key=self.has_idempotency_key, code=exc.code
            )
        if isinstance(exc, errors.APIConnectionError) and exc.__cause__ is not None:
            return is_retryable_exception(exc.__cause__, idempotent=self.idempotent)
        return False

    def wait(self, attempt: int, exc: BaseException | None) -> float:
        """Plan the wait after failed attempt number ``attempt`` and return it.

        Args:
            attempt: The number of the attempt that failed (1 for the first).
            exc: What it raised (its ``Retry-After`` is honoured).

        Returns:
            The delay in seconds (0.0 when giving up; :meth:`stop` then says so).
        """
        retry_after = None
        if isinstance(exc, errors.APIStatusError):
            retry_after = retry_after_seconds(exc.response.headers, now=self._now())
        self._planned = next_delay(
            attempt, self.policy, retry_after, self.deadline.remaining(), rand=self._rand
        )
        return self._planned or 0.0

    def stop(self) -> bool:
        """Whether to give up, as decided by the last :meth:`wait`.

        Returns:
            True when the retries are used up or the wait would overrun the deadline.
        """
        return self._planned is None


def describe_failure(exc: BaseException | None) -> str:
    """A short reason for a failed attempt, for the retry log line.

    Args:
        exc: What the attempt raised.

    Returns:
        ``"503 BACKEND_UNAVAILABLE"`` for an answer, ``"ConnectError: ..."`` for a transport
        failure.
    """
    if isinstance(exc, errors.APIStatusError):
        return f"{exc.status} {exc.code}"
    if exc is None:
        return "unknown"
    cause = exc.__cause__ if isinstance(exc, errors.APIError) and exc.__cause__ else exc
    text = str(cause)
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__
