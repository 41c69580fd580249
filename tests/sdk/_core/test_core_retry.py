"""The retry rules of vmkit._core.retry and the per-call plan of vmkit._core.attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from vmkit import errors
from vmkit._core.attempts import RetryPlan, describe_failure
from vmkit._core.deadline import Deadline
from vmkit._core.problems import error_for
from vmkit._core.retry import (
    RetryPolicy,
    backoff_delay,
    is_retryable_exception,
    is_retryable_status,
    next_delay,
    retry_after_seconds,
)

NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
NO_JITTER = RetryPolicy(jitter=0.0)


@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
def test_transient_statuses_are_retried(status: int) -> None:
    """408, 429, 502, 503 and 504 are retried with or without a key."""
    assert is_retryable_status(status, has_idempotency_key=False, code=None)
    assert is_retryable_status(status, has_idempotency_key=True, code=None)


def test_500_is_retried_only_with_an_idempotency_key() -> None:
    """A 500 may have done half the work: only a keyed request is repeated."""
    assert is_retryable_status(500, has_idempotency_key=True, code="HTTP_500")
    assert not is_retryable_status(500, has_idempotency_key=False, code="HTTP_500")


@pytest.mark.parametrize("code", ["VM_INVALID_STATE", "OPERATION_IN_PROGRESS", None])
def test_409_is_never_retried(code: str | None) -> None:
    """A state conflict does not go away by asking again."""
    assert not is_retryable_status(409, has_idempotency_key=True, code=code)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 412, 413, 422, 501])
def test_other_client_errors_are_not_retried(status: int) -> None:
    """Other 4xx (and 501) are final."""
    assert not is_retryable_status(status, has_idempotency_key=True, code=None)


def test_never_retry_codes_win_over_status() -> None:
    """A no-retry code is final even on a status that would be retried."""
    assert not is_retryable_status(503, has_idempotency_key=True, code="VM_INVALID_STATE")
    # an exec that timed out already ran its command: retrying would run it again
    assert not is_retryable_status(504, has_idempotency_key=True, code="EXEC_TIMEOUT")
    assert is_retryable_status(504, has_idempotency_key=True, code="BACKEND_TIMEOUT")


def test_a_duplicate_in_flight_is_waited_out() -> None:
    """409 IDEMPOTENCY_KEY_IN_FLIGHT means an earlier attempt of this call still runs."""
    assert is_retryable_status(409, has_idempotency_key=True, code="IDEMPOTENCY_KEY_IN_FLIGHT")
    assert not is_retryable_status(409, has_idempotency_key=False, code="IDEMPOTENCY_KEY_IN_FLIGHT")


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("full")],
)
def test_errors_before_sending_are_always_retried(exc: Exception) -> None:
    """Nothing reached the server, so repeating is always safe."""
    assert is_retryable_exception(exc, idempotent=False)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("slow"),
        httpx.WriteTimeout("slow"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
)
def test_errors_after_sending_are_retried_only_when_idempotent(exc: Exception) -> None:
    """The server may have acted: only an idempotent call is repeated."""
    assert is_retryable_exception(exc, idempotent=True)
    assert not is_retryable_exception(exc, idempotent=False)


def test_unrelated_exceptions_are_not_retried() -> None:
    """Bugs are not retried."""
    assert not is_retryable_exception(ValueError("bug"), idempotent=True)


def test_retry_after_delta_seconds() -> None:
    """The delta-seconds form is read as seconds, in any header case."""
    assert retry_after_seconds({"retry-after": "7"}, now=NOW) == 7.0
    assert retry_after_seconds({"Retry-After": " 1.5 "}, now=NOW) == 1.5


def test_retry_after_http_date() -> None:
    """The HTTP-date form is measured from ``now``."""
    header = format_datetime(NOW + timedelta(seconds=12), usegmt=True)
    assert retry_after_seconds({"Retry-After": header}, now=NOW) == 12.0


def test_retry_after_in_the_past_is_zero() -> None:
    """A date that has passed means "now", never a negative wait."""
    header = format_datetime(NOW - timedelta(seconds=30), usegmt=True)
    assert retry_after_seconds({"Retry-After": header}, now=NOW) == 0.0
    assert retry_after_seconds({"Retry-After": "-3"}, now=NOW) == 0.0


@pytest.mark.parametrize("value", ["soon", "", "nan"])
def test_retry_after_unreadable_or_absent_is_none(value: str) -> None:
    """Garbage is ignored rather than trusted."""
    assert retry_after_seconds({"Retry-After": value}, now=NOW) is None
    assert retry_after_seconds({}, now=NOW) is None


def test_backoff_doubles_and_caps() -> None:
    """0.5, 1, 2, 4, 8, 8 ... without jitter."""
    delays = [backoff_delay(n, NO_JITTER, rand=lambda: 0.9) for n in range(1, 8)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_jitter_only_shortens() -> None:
    """Jitter removes up to ``jitter`` of the delay."""
    policy = RetryPolicy(jitter=0.25)
    assert backoff_delay(1, policy, rand=lambda: 0.0) == 0.5
    assert backoff_delay(1, policy, rand=lambda: 1.0) == 0.375


def test_backoff_survives_huge_attempt_numbers() -> None:
    """No overflow, just the cap."""
    assert backoff_delay(10_000, NO_JITTER, rand=lambda: 0.0) == 8.0


def test_next_delay_prefers_retry_after() -> None:
    """The server's Retry-After replaces the backoff."""
    assert next_delay(1, NO_JITTER, 3.0, None, rand=lambda: 0.0) == 3.0
    assert next_delay(1, NO_JITTER, None, None, rand=lambda: 0.0) == 0.5


def test_next_delay_gives_up_when_retry_after_passes_the_deadline() -> None:
    """Sleeping past the deadline would be in vain."""
    assert next_delay(1, NO_JITTER, 10.0, 5.0, rand=lambda: 0.0) is None
    assert next_delay(1, NO_JITTER, 5.0, 5.0, rand=lambda: 0.0) is None
    assert next_delay(1, NO_JITTER, 4.0, 5.0, rand=lambda: 0.0) == 4.0


def test_next_delay_gives_up_when_backoff_passes_the_deadline() -> None:
    """Also for our own backoff."""
    assert next_delay(3, NO_JITTER, None, 1.0, rand=lambda: 0.0) is None


def test_next_delay_stops_after_max_retries() -> None:
    """max_retries=2 allows attempts 1, 2 and 3."""
    policy = RetryPolicy(max_retries=2, jitter=0.0)
    assert next_delay(2, policy, None, None, rand=lambda: 0.0) == 1.0
    assert next_delay(3, policy, None, None, rand=lambda: 0.0) is None
    assert next_delay(1, RetryPolicy(max_retries=0), None, None, rand=lambda: 0.0) is None


def _status_error(status: int, headers: dict[str, str] | None = None) -> errors.APIStatusError:
    request = httpx.Request("POST", "http://vmkit.test/v1/vms")
    return error_for(httpx.Response(status, headers=headers, content=b"", request=request), now=NOW)


def _plan(method: str, *, key: bool, timeout: float | None = None) -> RetryPlan:
    return RetryPlan(
        method=method,
        has_idempotency_key=key,
        policy=NO_JITTER,
        deadline=Deadline(timeout, clock=lambda: 0.0),
        rand=lambda: 0.0,
        now=lambda: NOW,
    )


def test_plan_retries_by_status_and_key() -> None:
    """The plan applies the status rules with the call's key."""
    assert _plan("POST", key=True).should_retry(_status_error(500))
    assert not _plan("GET", key=False).should_retry(_status_error(500))
    assert _plan("GET", key=False).should_retry(_status_error(503))


def test_plan_treats_idempotent_methods_as_repeatable_transport_failures() -> None:
    """A read timeout is retried for GET and keyed POST, not for an unkeyed PATCH."""
    exc = errors.APIConnectionError(None, "read timeout")
    exc.__cause__ = httpx.ReadTimeout("slow")
    assert _plan("get", key=False).should_retry(exc)
    assert _plan("POST", key=True).should_retry(exc)
    assert not _plan("PATCH", key=False).should_retry(exc)


def test_plan_does_not_retry_causeless_or_foreign_errors() -> None:
    """A timeout raised by the deadline itself, or a bug, is final."""
    assert not _plan("GET", key=False).should_retry(errors.APITimeoutError(None))
    assert not _plan("GET", key=False).should_retry(RuntimeError("bug"))


def test_plan_wait_honours_retry_after_and_the_deadline() -> None:
    """wait() returns the Retry-After; stop() is True when it passes the deadline."""
    plan = _plan("GET", key=False, timeout=5.0)
    assert plan.wait(1, _status_error(429, {"Retry-After": "2"})) == 2.0
    assert not plan.stop()
    assert plan.wait(1, _status_error(429, {"Retry-After": "9"})) == 0.0
    assert plan.stop()


def test_describe_failure() -> None:
    """The log reason names the status and code, or the transport error."""
    exc = errors.APIConnectionError(None)
    exc.__cause__ = httpx.ConnectError("refused")
    assert describe_failure(_status_error(503)) == "503 HTTP_503"
    assert describe_failure(exc) == "ConnectError: refused"
    assert describe_failure(httpx.ReadError("")) == "ReadError"
    assert describe_failure(None) == "unknown"


def test_describe_failure_without_a_cause() -> None:
    """An error raised by the transport itself is described by its own message."""
    assert describe_failure(errors.APITimeoutError(None)) == "APITimeoutError: Request timed out."
