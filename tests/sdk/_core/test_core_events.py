"""Events and the reconnect bookkeeping of a stream (vmkit._core.events), without a network."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from vmkit import errors
from vmkit._core.events import (
    Event,
    ReconnectPolicy,
    StreamCursor,
    StreamReset,
    parse_frame,
    read_timeout,
)
from vmkit._core.problems import error_for

EVENT: dict[str, Any] = {
    "id": 42,
    "type": "vm.state_changed",
    "time": "2030-01-02T03:04:05.000006Z",
    "subject_type": "vm",
    "subject_id": "vm_1",
    "vm_id": "vm_1",
    "data": {"previous_state": "starting", "vm": {"state": "running"}},
}
RESET = {"reason": "pruned", "last_event_id": 3, "oldest_event_id": 10}
NO_JITTER = ReconnectPolicy(backoff_base=0.5, backoff_max=4.0, jitter=0.0)


def _status_error(status: int, **headers: str) -> errors.APIStatusError:
    request = httpx.Request("GET", "http://vmkit.test/v1/events")
    body = {"type": "about:blank", "title": "x", "status": status, "code": f"HTTP_{status}"}
    response = httpx.Response(status, json=body, headers=headers, request=request)
    return error_for(response, now=datetime(2030, 1, 1, tzinfo=UTC))


def _cursor(last: int | None = None, **kwargs: Any) -> StreamCursor:
    return StreamCursor(last, policy=NO_JITTER, rand=lambda: 0.0, **kwargs)


def test_an_event_is_read_from_the_api_json() -> None:
    """Every field of the API's Event, the time as an aware datetime."""
    event = Event.from_dict(EVENT)
    assert (42, "vm.state_changed", "vm", "vm_1", "vm_1") == (
        event.id,
        event.type,
        event.subject_type,
        event.subject_id,
        event.vm_id,
    )
    assert datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=UTC) == event.time
    assert EVENT["data"] == event.data


def test_frames_become_events_or_resets() -> None:
    """An event frame gives an Event, a `reset` frame a StreamReset, a retry hint nothing."""
    assert Event.from_dict(EVENT) == parse_frame("vm.state_changed", json.dumps(EVENT))
    reset = parse_frame("reset", json.dumps(RESET))
    assert StreamReset("pruned", 3, 10) == reset
    assert isinstance(reset, StreamReset) and "reset" == reset.type
    assert parse_frame("", "") is None


@pytest.mark.parametrize("data", ["{", "[]", '{"id": 1}', json.dumps({**EVENT, "data": []})])
def test_a_malformed_frame_is_an_api_error(data: str) -> None:
    """Data that is not the API's Event raises APIError, not KeyError or ValueError."""
    with pytest.raises(errors.APIError, match=r"malformed vm\.created frame"):
        parse_frame("vm.created", data)


def test_the_cursor_sends_the_last_id_it_handed_out() -> None:
    """No Last-Event-ID before the first event; afterwards, the newest id seen."""
    cursor = _cursor()
    assert {} == cursor.headers()
    cursor.received("vm.state_changed", json.dumps(EVENT), "42", None)
    assert {"Last-Event-ID": "42"} == cursor.headers()
    assert {"Last-Event-ID": "7"} == _cursor(7).headers()


def test_a_reset_moves_the_cursor_to_where_the_server_resumed() -> None:
    """A reset's id is where the server goes on from: a reconnect must not ask again."""
    cursor = _cursor(3)
    assert isinstance(cursor.received("reset", json.dumps(RESET), "9", None), StreamReset)
    assert 9 == cursor.last_event_id


def test_a_retry_hint_sets_the_first_delay() -> None:
    """The server's `retry:` (milliseconds) replaces the base delay."""
    cursor = _cursor()
    assert cursor.received("", "", "", 2000) is None
    assert 2.0 == cursor.disconnected(None)


def test_delays_double_up_to_the_cap_and_reset_on_connect() -> None:
    """0.5, 1, 2, 4, 4 ... while failing; a successful connection starts again at 0.5."""
    cursor = _cursor()
    failure = errors.APIConnectionError(None, "refused")
    assert [0.5, 1.0, 2.0, 4.0, 4.0] == [cursor.disconnected(failure) for _ in range(5)]
    cursor.connected()
    assert 0.5 == cursor.disconnected(None)


def test_jitter_shortens_a_delay_by_up_to_its_fraction() -> None:
    """With jitter 0.5 a delay lies between half and all of the backoff."""
    policy = ReconnectPolicy(backoff_base=1.0, jitter=0.5)
    low = StreamCursor(None, policy=policy, rand=lambda: 0.999999)
    high = StreamCursor(None, policy=policy, rand=lambda: 0.0)
    assert 0.5 == pytest.approx(low.disconnected(None), abs=1e-5)
    assert 1.0 == high.disconnected(None)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_refusals_are_retried(status: int) -> None:
    """Overload and server errors are waited out."""
    assert _cursor().disconnected(_status_error(status)) is not None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_refusals_that_will_not_change_give_up(status: int) -> None:
    """A bad token, a missing VM, a bad filter: reconnecting cannot help."""
    assert _cursor().disconnected(_status_error(status)) is None


def test_retry_after_lengthens_the_wait() -> None:
    """A 429 with Retry-After waits at least that long."""
    assert 7.0 == _cursor().disconnected(_status_error(429, **{"Retry-After": "7"}))


def test_max_reconnects_bounds_the_failures_in_a_row() -> None:
    """max_reconnects=2: two waits, then give up; a connection in between starts over."""
    cursor = _cursor(max_reconnects=2)
    assert cursor.disconnected(None) is not None
    cursor.connected()
    assert [0.5, 1.0, None] == [cursor.disconnected(None) for _ in range(3)]


def test_the_read_timeout_allows_two_heartbeats() -> None:
    """A connection is deemed dead after two silent heartbeats, at least five seconds more."""
    assert 30.0 == read_timeout(15.0)
    assert 5.05 == pytest.approx(read_timeout(0.05))
