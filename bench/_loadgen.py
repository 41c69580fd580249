"""The in-process load generators: one asyncio process, N keep-alive connections.

Each of N workers owns one connection and sends GET requests on it back to back until the
run has sent its quota or spent its time budget. Latency is measured per request around
the whole exchange (send, wait, read the body). The generator runs in this one process
and competes with the server under test for the machine's cores.

Two clients, the same for both servers:

* ``raw`` (default): a minimal HTTP/1.1 client on asyncio streams. It does the least a
  client can do per request, so the server, not the client, is what is measured.
* ``httpx``: ``httpx.AsyncClient``. Realistic for our users, but on a small machine it is
  itself the bottleneck (it tops out far below what uvicorn serves), which pushes the
  ratio toward 1.0.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

__all__ = ["CLIENTS", "RunResult", "percentile", "run_load", "summary"]

CLIENTS = ("raw", "httpx")

Fetch = Callable[[], Awaitable[int]]


@dataclass(frozen=True)
class RunResult:
    """What one load run measured.

    Attributes:
        requests: Requests completed with status 200.
        errors: Requests that failed or answered another status.
        elapsed: Seconds from the first request to the last answer.
        p50: Median latency of the successful requests, in seconds.
        p99: Their 99th percentile latency, in seconds.
    """

    requests: int
    errors: int
    elapsed: float
    p50: float
    p99: float

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of `values` (0.0 for no values).

    Args:
        values: Samples, in any order.
        pct: The percentile, 0..100.

    Returns:
        The smallest sample with at least `pct` percent of the samples at or below it.
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * pct // 100)))
    return ordered[int(rank) - 1]


def summary(results: list[RunResult]) -> tuple[float, float, float]:
    """Median requests/s, p50 and p99 (seconds) over several runs."""
    return (
        statistics.median(r.rps for r in results),
        statistics.median(r.p50 for r in results),
        statistics.median(r.p99 for r in results),
    )


class _RawConnection:
    """One keep-alive HTTP/1.1 connection sending the same GET again and again."""

    def __init__(self, url: str, headers: Mapping[str, str]) -> None:
        parts = urlsplit(url)
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80
        lines = [f"GET {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{key}: {value}" for key, value in headers.items()]
        self._request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def fetch(self) -> int:
        """Send the request, read the whole answer, return its status."""
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port)
        reader, writer = self._streams
        try:
            writer.write(self._request)
            head = await reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.split(b"\r\n")
            length, closing = 0, False
            for line in header_lines:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    closing = True
            await reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            await self.aclose()
            raise
        if closing:
            await self.aclose()
        return int(status_line.split(b" ", 2)[1])

    async def aclose(self) -> None:
        """Close the connection (the next fetch opens a new one)."""
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()


async def _worker(
    fetch: Fetch, budget: list[int], deadline: float, latencies: list[float], errors: list[int]
) -> None:
    # `budget` is a one-item list shared by the workers: the requests still to send.
    while budget[0] > 0 and time.perf_counter() < deadline:
        budget[0] -= 1
        started = time.perf_counter()
        try:
            status = await fetch()
        except (OSError, ValueError, asyncio.IncompleteReadError, httpx.HTTPError):
            errors[0] += 1
            continue
        if status == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors[0] += 1


async def _fetchers(
    stack: AsyncExitStack, client: str, url: str, headers: Mapping[str, str], n: int
) -> list[Fetch]:
    if client == "raw":
        connections = [_RawConnection(url, headers) for _ in range(n)]
        for connection in connections:
            stack.push_async_callback(connection.aclose)
        return [c.fetch for c in connections]
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    session = await stack.enter_async_context(
        httpx.AsyncClient(headers=dict(headers), limits=limits, timeout=30.0)
    )

    async def fetch() -> int:
        return (await session.get(url)).status_code

    return [fetch] * n


async def _run(
    client: str,
    url: str,
    headers: Mapping[str, str],
    concurrency: int,
    requests: int,
    max_seconds: float,
    warmup: int,
) -> RunResult:
    async with AsyncExitStack() as stack:
        fetchers = await _fetchers(stack, client, url, headers, concurrency)
        # Warm up: open every connection and let both sides reach a steady state.
        per_worker = max(1, warmup // concurrency)
        await asyncio.gather(*(_worker(f, [per_worker], float("inf"), [], [0]) for f in fetchers))
        latencies: list[float] = []
        errors, budget = [0], [requests]
        started = time.perf_counter()
        deadline = started + max_seconds
        await asyncio.gather(*(_worker(f, budget, deadline, latencies, errors) for f in fetchers))
        elapsed = time.perf_counter() - started
    return RunResult(
        len(latencies), errors[0], elapsed, percentile(latencies, 50), percentile(latencies, 99)
    )


def run_load(
    url: str,
    *,
    headers: Mapping[str, str],
    concurrency: int,
    requests: int,
    max_seconds: float,
    warmup: int = 200,
    client: str = "raw",
) -> RunResult:
    """Load `url` with GETs from `concurrency` keep-alive connections.

    Args:
        url: What to GET (``http://`` only).
        headers: Headers sent with every request (e.g. ``Authorization``).
        concurrency: Concurrent connections (one worker each).
        requests: Requests to send in the measured part.
        max_seconds: Stop the measured part after this long even if requests remain.
        warmup: Requests sent (and not measured) before the measured part.
        client: ``raw`` or ``httpx`` (see the module's docstring).

    Returns:
        What the measured part achieved.

    Raises:
        ValueError: `client` is not one of `CLIENTS`.
    """
    if client not in CLIENTS:
        raise ValueError(f"unknown client {client!r}; expected one of {CLIENTS}")
    return asyncio.run(_run(client, url, headers, concurrency, requests, max_seconds, warmup))
