"""Event fan-out: 100 SSE subscribers, 1,000 state changes, delay from commit to receipt.

A real ``vmkit-server`` process (simulated backend) on loopback. ``--subscribers``
connections follow ``GET /v1/events`` as Server-Sent Events (a minimal HTTP/1.1 client on
asyncio streams: no SDK, no httpx, so the client costs as little as it can), all resuming
from the same ``Last-Event-ID``. A writer then makes ``--changes`` changes, one request
after the other:

* ``--mode patch`` (default): ``PATCH /v1/vms/{vm}`` of a label, round robin over
  ``--vms`` VMs; every change is one ``vm.updated`` event.
* ``--mode lifecycle``: ``:start`` / ``:stop`` of the VMs, each waited for; every change
  is two ``vm.state_changed`` events (into the transitional state and out of it).

Each subscriber asks only for the type measured. The delay of a frame is the time the
subscriber read it minus the event's ``time`` (stamped by the server in the transaction
that commits it); both clocks are this machine's wall clock. After the run, every
subscriber's ids are compared with the log itself (``GET /v1/events?since=``): no frame
lost, none repeated, none out of order. Target: p99 < 100 ms.

Run it with ``python bench/events_fanout.py --help``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from _loadgen import percentile
from _servers import ServerProcess, start_vmkit

__all__ = ["main"]

TARGET_P99 = 0.100
_TYPES = {"patch": "vm.updated", "lifecycle": "vm.state_changed"}
# Events of the measured type per change: a start or stop passes a transitional state.
_PER_CHANGE = {"patch": 1, "lifecycle": 2}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--subscribers", type=int, default=100, help="SSE connections (default 100)")
    p.add_argument("--changes", type=int, default=1000, help="state changes (default 1000)")
    p.add_argument("--mode", choices=sorted(_TYPES), default="patch", help="see above")
    p.add_argument("--vms", type=int, default=10, help="VMs changed round robin (default 10)")
    p.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="changes per second at most (default 0: one after the other, unpaced)",
    )
    p.add_argument("--timeout", type=float, default=120.0, help="give up after (default 120 s)")
    return p


@dataclass
class Subscriber:
    """One SSE connection and what it received.

    Attributes:
        ids: The event ids, in the order received.
        delays: Seconds from each event's commit to its receipt.
        connected: Set once the response headers arrived.
    """

    ids: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    connected: asyncio.Event = field(default_factory=asyncio.Event)


def _event_time(data: bytes) -> float:
    # The Event JSON starts with id, type, time: find the time without decoding it all.
    start = data.index(b'"time":"') + 8
    text = data[start : data.index(b'"', start)].decode()
    return datetime.fromisoformat(text).timestamp()


async def _subscribe(
    url: str, token: str, event_type: str, after: int, expected: int, sub: Subscriber
) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    request = (
        f"GET /v1/events?types={event_type}&heartbeat_seconds=30 HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
        f"Accept: text/event-stream\r\nLast-Event-ID: {after}\r\n\r\n"
    )
    writer.write(request.encode())
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"the stream was refused: {head.decode(errors='replace')}")
    sub.connected.set()
    buffer = b""
    try:
        while len(sub.ids) < expected:
            size_line = await reader.readuntil(b"\r\n")  # chunked transfer encoding
            size = int(size_line.strip(), 16)
            if size == 0:
                raise RuntimeError("the server ended the stream")
            chunk = await reader.readexactly(size + 2)
            received = time.time()
            buffer += chunk[:-2]
            *frames, buffer = buffer.split(b"\n\n")
            for frame in frames:
                if not frame.startswith(b"id: "):
                    continue  # the retry hint, a heartbeat
                head_line, _, rest = frame.partition(b"\n")
                data = rest[rest.index(b"data: ") + 6 :]
                sub.ids.append(int(head_line[4:]))
                sub.delays.append(received - _event_time(data))
    finally:
        writer.close()


async def _change(
    http: httpx.AsyncClient, mode: str, names: list[str], n: int, running: set[str]
) -> None:
    name = names[n % len(names)]
    if mode == "patch":
        answer = await http.patch(f"/v1/vms/{name}", json={"labels": {"n": str(n)}})
        answer.raise_for_status()
        return
    action = "stop" if name in running else "start"
    answer = await http.post(f"/v1/vms/{name}:{action}")
    answer.raise_for_status()
    done = await http.get(
        f"/v1/operations/{answer.json()['id']}:wait", params={"timeout_seconds": 30}
    )
    if done.json()["state"] != "succeeded":
        raise RuntimeError(f"{action} of {name} did not succeed: {done.text}")
    running.symmetric_difference_update({name})


async def _log_ids(http: httpx.AsyncClient, event_type: str, after: int) -> list[int]:
    ids: list[int] = []
    params: dict[str, str | int] = {"types": event_type, "since": after, "page_size": 1000}
    while True:
        page = (await http.get("/v1/events", params=params)).json()
        ids += [item["id"] for item in page["items"]]
        if not page["next_page_token"]:
            return ids
        params["page_token"] = page["next_page_token"]


async def _newest_id(http: httpx.AsyncClient) -> int:
    newest = 0
    params: dict[str, str | int] = {"page_size": 1000}
    while True:
        page = (await http.get("/v1/events", params=params)).json()
        if page["items"]:
            newest = page["items"][-1]["id"]
        if not page["next_page_token"]:
            return newest
        params["page_token"] = page["next_page_token"]


async def _run(server: ServerProcess, token: str, args: argparse.Namespace) -> int:
    event_type = _TYPES[args.mode]
    expected = args.changes * _PER_CHANGE[args.mode]
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as http:
        names = [f"fanout-{i}" for i in range(args.vms)]
        for name in names:
            created = (await http.post("/v1/vms", json={"name": name})).json()
            await http.get(f"/v1/operations/{created['id']}:wait", params={"timeout_seconds": 30})
        after = await _newest_id(http)
        subs = [Subscriber() for _ in range(args.subscribers)]
        tasks = [
            asyncio.create_task(_subscribe(server.url, token, event_type, after, expected, sub))
            for sub in subs
        ]
        await asyncio.wait_for(
            asyncio.gather(*(s.connected.wait() for s in subs)), timeout=args.timeout
        )
        started = time.monotonic()
        running: set[str] = set()
        for n in range(args.changes):
            if args.rate > 0:
                await asyncio.sleep(max(0.0, started + n / args.rate - time.monotonic()))
            await _change(http, args.mode, names, n, running)
        writing = time.monotonic() - started
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
        finally:
            for task in tasks:
                task.cancel()
        truth = await _log_ids(http, event_type, after)
    return _report(args, subs, truth, writing)


def _report(
    args: argparse.Namespace, subs: list[Subscriber], truth: list[int], writing: float
) -> int:
    delays = sorted(d for s in subs for d in s.delays)
    wrong = [n for n, s in enumerate(subs) if s.ids != truth]
    frames = sum(len(s.ids) for s in subs)
    p50, p99 = percentile(delays, 50), percentile(delays, 99)
    print(
        f"{args.subscribers} subscribers x {args.changes} changes ({args.mode}, "
        f"{_TYPES[args.mode]}): {len(truth)} events in the log, {frames} frames received"
    )
    rate = f"{args.changes / writing:.0f} changes/s" if writing > 0 else "-"
    print(f"writer: {writing:.2f} s ({rate}{', paced' if args.rate else ', unpaced'})")
    print(
        f"commit -> receipt: p50 {p50 * 1e3:.1f} ms   p99 {p99 * 1e3:.1f} ms   "
        f"max {delays[-1] * 1e3:.1f} ms   mean {statistics.fmean(delays) * 1e3:.1f} ms"
    )
    lost = "none" if not wrong else f"{len(wrong)} subscribers differ from the log"
    print(f"frames lost, repeated or out of order: {lost}")
    verdict = "met" if p99 < TARGET_P99 and not wrong else "NOT met"
    print(f"target p99 < {TARGET_P99 * 1e3:.0f} ms, nothing lost: {verdict}")
    print(f"note: subscribers and writer share this machine's {os.cpu_count()} cores")
    return 0 if not wrong and len(truth) == args.changes * _PER_CHANGE[args.mode] else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures; returns the exit status (1 if frames were lost)."""
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vmkit-bench-") as tmp:
        server = start_vmkit(Path(tmp) / "data")
        try:
            token = (Path(tmp) / "data" / "admin-token").read_text().strip()
            return asyncio.run(_run(server, token, args))
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
