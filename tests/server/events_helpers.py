"""Helpers of the event tests: reading SSE frames off a raw response, waiting for operations."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

__all__ = ["SSE", "Frame", "frames", "settle", "take_events", "until", "wait_op"]

T = TypeVar("T")

#: The Accept header that asks for the stream.
SSE = {"Accept": "text/event-stream"}


@dataclass
class Frame:
    """One block of an SSE stream, as sent.

    Attributes:
        fields: Its fields in order (``id``, ``event``, ``data``, ``retry``).
        comments: Its comment lines (without the colon).
    """

    fields: list[tuple[str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        """The value of a field, if the frame has it."""
        return next((v for k, v in self.fields if k == name), None)

    @property
    def data(self) -> Any:
        """The decoded JSON data."""
        raw = self.get("data")
        assert raw is not None, self
        return json.loads(raw)


def frames(response: httpx.Response) -> Iterator[Frame]:
    """The blocks of an SSE response, each ended by a blank line."""
    current = Frame()
    for line in response.iter_lines():
        if not line:
            yield current
            current = Frame()
        elif line.startswith(":"):
            current.comments.append(line[1:].strip())
        else:
            name, _, value = line.partition(":")
            current.fields.append((name, value.removeprefix(" ")))


def take_events(blocks: Iterator[Frame], count: int) -> list[Frame]:
    """The next `count` frames of `frames(response)` that carry an event (a `reset` counts)."""
    found: list[Frame] = []
    for frame in blocks:
        if frame.get("event") is not None:
            found.append(frame)
            if len(found) == count:
                break
    return found


def wait_op(http: httpx.Client, answer: httpx.Response) -> dict[str, Any]:
    """Wait for the operation an answer started; it must succeed."""
    assert 202 == answer.status_code, answer.text
    done = http.get(f"/v1/operations/{answer.json()['id']}:wait", params={"timeout_seconds": 30})
    body: dict[str, Any] = done.json()
    assert "succeeded" == body["state"], body
    return body


def settle(http: httpx.Client, answer: httpx.Response) -> dict[str, Any]:
    """Wait for the operation an answer started, whatever its outcome."""
    assert 202 == answer.status_code, answer.text
    done = http.get(f"/v1/operations/{answer.json()['id']}:wait", params={"timeout_seconds": 30})
    body: dict[str, Any] = done.json()
    return body


def until(probe: Callable[[], T | None], *, timeout: float, what: str) -> T:
    """Call `probe` until it returns something other than None; the deadline bounds the test.

    Raises:
        AssertionError: `probe` still answered None after `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)  # polling a server in another thread needs real time
