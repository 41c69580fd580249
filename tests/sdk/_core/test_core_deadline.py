"""Deadlines, poll intervals, paging state, keys and NOT_GIVEN (small _core helpers)."""

from __future__ import annotations

import itertools
import re

import pytest

from vmkit._core.deadline import Deadline, poll_intervals
from vmkit._core.idempotency import new_idempotency_key
from vmkit._core.pages import PageState, next_page_token_of
from vmkit._core.sentinels import NOT_GIVEN, NotGiven


class FakeClock:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_deadline_counts_down_and_expires() -> None:
    """remaining() shrinks with the clock and stops at zero."""
    clock = FakeClock()
    deadline = Deadline(10.0, clock)
    clock.now += 4.0
    assert deadline.remaining() == 6.0
    assert deadline.elapsed() == 4.0
    assert not deadline.expired()
    clock.now += 7.0
    assert deadline.remaining() == 0.0
    assert deadline.expired()


def test_deadline_caps_durations() -> None:
    """cap() never returns more than what is left."""
    clock = FakeClock()
    deadline = Deadline(5.0, clock)
    assert deadline.cap(2.0) == 2.0
    assert deadline.cap(9.0) == 5.0
    assert deadline.cap(None) == 5.0


def test_no_deadline() -> None:
    """timeout=None never expires and caps nothing."""
    deadline = Deadline(None, FakeClock())
    assert deadline.remaining() is None
    assert not deadline.expired()
    assert deadline.cap(3.0) == 3.0
    assert deadline.cap(None) is None
    assert "timeout=None" in repr(deadline)


def test_poll_intervals_grow_and_cap() -> None:
    """0.05 doubling up to 1.0, then 1.0 forever."""
    first = list(itertools.islice(poll_intervals(), 8))
    assert first == [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]


def test_poll_intervals_validate() -> None:
    """Nonsense parameters are refused up front."""
    with pytest.raises(ValueError, match="first"):
        poll_intervals(first=0.0)
    with pytest.raises(ValueError, match="factor"):
        poll_intervals(factor=0.5)


def test_page_state_walks_tokens() -> None:
    """The first request has no token; the state follows next_page_token until it ends."""
    state = PageState()
    assert state.params({"page_size": 10, "page_token": "stale"}) == {"page_size": 10}
    state = state.advance(next_page_token_of({"items": [], "next_page_token": "t2"}))
    assert state == PageState(page_token="t2", done=False, pages_seen=1)
    assert state.params({"page_size": 10}) == {"page_size": 10, "page_token": "t2"}
    state = state.advance(next_page_token_of({"items": [], "next_page_token": ""}))
    assert state == PageState(page_token=None, done=True, pages_seen=2)
    assert next_page_token_of({"items": []}) is None


def test_idempotency_keys_are_prefixed_and_unique() -> None:
    """ik_ plus 32 hex digits, fresh each time."""
    keys = {new_idempotency_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(re.fullmatch(r"ik_[0-9a-f]{32}", key) for key in keys)


def test_not_given_is_falsy_and_distinct_from_none() -> None:
    """NOT_GIVEN is a falsy singleton with a readable repr."""
    assert isinstance(NOT_GIVEN, NotGiven)
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
