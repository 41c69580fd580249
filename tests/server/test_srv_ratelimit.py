"""Rate limiting without a network: the token buckets on a fake clock, the CLI's choices."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vmkit_server._ratelimit import RateLimit, RateLimiter, parse_rate
from vmkit_server.cli import _rate_limit
from vmkit_server.problems import ProblemError


class FakeClock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("text", "per_second"),
    [("20/s", 20.0), ("20", 20.0), ("600/m", 10.0), ("1.5/sec", 1.5), (" 30 / min ", 0.5)],
)
def test_rates_parse(text: str, per_second: float) -> None:
    """`N`, `N/s` and `N/m` (with decimals and spaces) are requests per second or minute."""
    assert per_second == parse_rate(text)


@pytest.mark.parametrize("text", ["", "fast", "0/s", "-1/s", "10/h", "1e3"])
def test_bad_rates_are_refused(text: str) -> None:
    """Anything else, and a zero rate, is a ValueError that says what is expected."""
    with pytest.raises(ValueError, match="rate"):
        parse_rate(text)


def test_a_burst_then_the_rate() -> None:
    """A fresh client may send `burst` requests at once, then one per 1/rate seconds."""
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rate=2.0, burst=3), clock=clock)
    assert [0.0, 0.0, 0.0] == [limiter.wait_time("a") for _ in range(3)]
    assert 0.5 == limiter.wait_time("a")
    clock.now += 0.25
    assert 0.25 == limiter.wait_time("a")  # a refusal took nothing: still half a token
    clock.now += 0.25
    assert 0.0 == limiter.wait_time("a")
    assert 0.5 == limiter.wait_time("a")
    clock.now += 60
    assert [0.0, 0.0, 0.0, 0.5] == [limiter.wait_time("a") for _ in range(4)]  # capped at 3


def test_clients_have_their_own_buckets() -> None:
    """One client's exhausted bucket does not slow another."""
    limiter = RateLimiter(RateLimit(rate=1.0, burst=1), clock=FakeClock())
    assert 0.0 == limiter.wait_time("token:tok_a")
    assert limiter.wait_time("token:tok_a") > 0
    assert 0.0 == limiter.wait_time("token:tok_b")
    assert 0.0 == limiter.wait_time("address:10.0.0.7")


def test_a_refusal_is_429_with_retry_after_in_whole_seconds() -> None:
    """`check` raises 429 RATE_LIMITED; Retry-After rounds the wait up, and is at least 1."""
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rate=0.25, burst=1), clock=clock)
    limiter.check("a")
    with pytest.raises(ProblemError) as refused:
        limiter.check("a")
    problem = refused.value
    assert (429, "RATE_LIMITED") == (problem.status, problem.code)
    assert {"Retry-After": "4"} == problem.headers
    assert {"retry_after_seconds": 4, "rate_per_second": 0.25, "burst": 1} == problem.metadata
    fast = RateLimiter(RateLimit(rate=100.0, burst=1), clock=clock)
    fast.check("a")
    with pytest.raises(ProblemError) as soon:
        fast.check("a")
    assert {"Retry-After": "1"} == soon.value.headers


def test_many_clients_do_not_grow_memory_without_bound() -> None:
    """Past `max_clients` buckets, refilled ones go first, then the least recently used."""
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rate=1.0, burst=2), clock=clock, max_clients=100)
    for i in range(1000):
        limiter.wait_time(f"address:{i}")
    assert len(limiter._buckets) <= 100
    assert limiter.wait_time("address:999") == 0.0  # the newest client was kept: one left
    assert limiter.wait_time("address:999") > 0


def test_limits_are_checked_when_made() -> None:
    """A rate of zero or a burst below one is refused at construction."""
    with pytest.raises(ValueError):
        RateLimit(rate=0.0, burst=1)
    with pytest.raises(ValueError):
        RateLimit(rate=1.0, burst=0)


@pytest.mark.parametrize(
    ("host", "rate", "burst", "expected"),
    [
        ("127.0.0.1", None, None, None),
        ("::1", None, None, None),
        ("localhost", None, None, None),
        ("0.0.0.0", None, None, RateLimit(50.0, 100)),
        ("192.0.2.10", None, None, RateLimit(50.0, 100)),
        ("0.0.0.0", "off", None, None),
        ("127.0.0.1", "10/s", None, RateLimit(10.0, 20)),
        ("127.0.0.1", "10/s", 3, RateLimit(10.0, 3)),
        ("127.0.0.1", "30/m", None, RateLimit(0.5, 1)),
    ],
)
def test_the_cli_default_is_off_on_loopback_and_on_elsewhere(
    host: str, rate: str | None, burst: int | None, expected: RateLimit | None
) -> None:
    """No `--rate-limit`: none on a loopback address, 50/s (burst 100) on any other."""
    assert expected == _rate_limit(host, rate, burst)


def test_a_bad_rate_limit_option_is_a_usage_error(tmp_path: Path) -> None:
    """`--rate-limit fast` or `--rate-burst 0` exit 2 with one line, before anything starts."""
    for args in (["--rate-limit", "fast"], ["--rate-limit", "5/s", "--rate-burst", "0"]):
        done = subprocess.run(
            [sys.executable, "-m", "vmkit_server", "--data-dir", str(tmp_path), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert 2 == done.returncode, done.stderr
        assert "rate" in done.stderr.splitlines()[-1]
        assert "Traceback" not in done.stderr
        assert not (tmp_path / "vmkit.db").exists()
