"""Small helpers of the e2e tests: a response recorder, polling with a deadline, the event log."""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

__all__ = [
    "Recorded",
    "ResponseLog",
    "events_of",
    "read_only_db",
    "unique_name",
    "wait_until",
]

T = TypeVar("T")
_counter = itertools.count()


def unique_name(prefix: str) -> str:
    """A VM name nobody else in this process has used (`prefix-<n>`)."""
    return f"{prefix}-{next(_counter)}"


@dataclass(frozen=True)
class Recorded:
    """One response the tests saw.

    Attributes:
        method: The request method.
        path: The request path.
        status: The response status.
        headers: The response headers.
    """

    method: str
    path: str
    status: int
    headers: httpx.Headers


@dataclass
class ResponseLog:
    """Records every response of an httpx client (sync and async response hooks)."""

    entries: list[Recorded] = field(default_factory=list)

    def record(self, response: httpx.Response) -> None:
        """The sync response hook."""
        request = response.request
        self.entries.append(
            Recorded(request.method, request.url.path, response.status_code, response.headers)
        )

    async def arecord(self, response: httpx.Response) -> None:
        """The async response hook."""
        self.record(response)

    def last(self, method: str, path_suffix: str) -> Recorded:
        """The newest response to `method` on a path ending with `path_suffix`.

        Raises:
            LookupError: There was none.
        """
        for entry in reversed(self.entries):
            if entry.method == method and entry.path.endswith(path_suffix):
                return entry
        raise LookupError(f"no {method} ...{path_suffix} was recorded")


def wait_until(
    probe: Callable[[], T | None], *, timeout: float, what: str, interval: float = 0.02
) -> T:
    """Call `probe` until it returns something other than None; return that.

    Polling a real server over a socket needs real time; the deadline (not the pause) is
    what bounds the test.

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
        time.sleep(interval)


def read_only_db(data_dir: Path) -> sqlite3.Connection:
    """The server's SQLite database, opened read-only (the server keeps writing it)."""
    return sqlite3.connect(f"file:{data_dir / 'vmkit.db'}?mode=ro", uri=True)


def events_of(data_dir: Path, vm_id: str) -> list[tuple[int, str, dict[str, Any]]]:
    """The durable events about one VM, oldest first: `(id, type, data)`."""
    with contextlib.closing(read_only_db(data_dir)) as db:
        rows = db.execute(
            "SELECT id, type, data FROM events WHERE vm_id = ? ORDER BY id", (vm_id,)
        ).fetchall()
    return [(int(i), str(t), json.loads(d)) for i, t, d in rows]
