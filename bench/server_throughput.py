"""Server throughput: GET /v1/vms/{vm} on vmkit-server vs a bare Starlette handler.

Both servers run as separate uvicorn processes with the same settings on loopback. The
bare handler serves, byte for byte, the JSON our server answered (same content type, ETag
and request-id header), so the difference is what our server does per request: routing
from the spec, token check, parameter validation, a database read, the view and the
problem machinery. The same load generator hits each server alternately for several
rounds (A/B then B/A, to cancel drift on a noisy machine); the report gives the median
requests/s of each, p50/p99 latency and the ratio ours/bare. Target: >= 0.85.

Run it with ``make bench`` or ``python bench/server_throughput.py --help``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
from _loadgen import CLIENTS, RunResult, run_load, summary
from _servers import ServerProcess, http_impl, start_bare, start_vmkit
from _wrk import run_wrk, wrk_path

import vmkit

__all__ = ["main"]

TARGET = 0.85
VM_NAME = "bench-vm"
_KEPT_HEADERS = ("content-type", "etag", "x-request-id")

Load = Callable[[str, dict[str, str]], RunResult]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--requests", type=int, default=20000, help="requests per run (default 20000)")
    p.add_argument(
        "--max-seconds",
        type=float,
        default=6.0,
        help="time bound of one run; wrk runs exactly this long (default 6)",
    )
    p.add_argument("--rounds", type=int, default=5, help="A/B rounds (default 5)")
    p.add_argument("--concurrency", type=int, default=8, help="connections (default 8)")
    p.add_argument("--warmup", type=int, default=300, help="unmeasured requests per run")
    p.add_argument(
        "--tool",
        choices=[*CLIENTS, "wrk"],
        default="raw",
        help="load generator: raw (default; asyncio streams), httpx, or wrk if installed",
    )
    return p


def _loader(args: argparse.Namespace) -> tuple[Load, str]:
    if args.tool == "wrk":
        if wrk_path() is None:
            raise SystemExit("--tool wrk: wrk is not installed (apt-get install -y wrk)")

        def with_wrk(url: str, headers: dict[str, str]) -> RunResult:
            # Warm up with the in-process client, then let wrk measure.
            run_load(
                url,
                headers=headers,
                concurrency=args.concurrency,
                requests=0,
                max_seconds=0,
                warmup=args.warmup,
            )
            return run_wrk(
                url, headers=headers, concurrency=args.concurrency, max_seconds=args.max_seconds
            )

        return with_wrk, (
            f"wrk, 1 thread, {args.concurrency} connections, {args.max_seconds:g} s per run"
        )

    def in_process(url: str, headers: dict[str, str]) -> RunResult:
        return run_load(
            url,
            headers=headers,
            concurrency=args.concurrency,
            requests=args.requests,
            max_seconds=args.max_seconds,
            warmup=args.warmup,
            client=args.tool,
        )

    client = "minimal asyncio HTTP/1.1 client" if args.tool == "raw" else "httpx.AsyncClient"
    return in_process, (
        f"{client} in this 1 process, {args.concurrency} keep-alive connections, "
        f"{args.requests} requests or {args.max_seconds:g} s per run"
    )


def _prepare(ours: ServerProcess, token: str) -> tuple[bytes, dict[str, str]]:
    """Create the VM through the SDK and return our server's exact answer to GET it."""
    with vmkit.Client(ours.url, token) as client:
        client.vms.create(VM_NAME, wait=True)
    answer = httpx.get(f"{ours.url}/v1/vms/{VM_NAME}", headers={"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    kept = {k: answer.headers[k] for k in _KEPT_HEADERS if k in answer.headers}
    return answer.content, kept


def _check_same(bare: ServerProcess, body: bytes) -> None:
    answer = httpx.get(f"{bare.url}/v1/vms/{VM_NAME}")
    if answer.status_code != 200 or answer.content != body:
        raise SystemExit("the bare app does not answer the same bytes as vmkit-server")


def _line(label: str, name: str, r: RunResult) -> str:
    return (
        f"{label:<8} {name:<15} {r.rps:9.0f} req/s   p50 {r.p50 * 1e3:6.2f} ms"
        f"   p99 {r.p99 * 1e3:6.2f} ms   ({r.requests} ok, {r.errors} errors, {r.elapsed:.1f} s)"
    )


def _measure(
    load: Load, servers: dict[str, tuple[ServerProcess, dict[str, str]]], rounds: int
) -> dict[str, list[RunResult]]:
    results: dict[str, list[RunResult]] = {name: [] for name in servers}
    names = list(servers)
    for n in range(rounds):
        for name in names if n % 2 == 0 else reversed(names):
            server, headers = servers[name]
            result = load(f"{server.url}/v1/vms/{VM_NAME}", headers)
            results[name].append(result)
            print(_line(f"round {n + 1}", name, result), flush=True)
    return results


def _report(results: dict[str, list[RunResult]]) -> float:
    medians = {name: summary(runs) for name, runs in results.items()}
    for name, (rps, p50, p99) in medians.items():
        print(
            f"median   {name:<15} {rps:9.0f} req/s   p50 {p50 * 1e3:6.2f} ms"
            f"   p99 {p99 * 1e3:6.2f} ms"
        )
    ours, bare = medians["vmkit-server"][0], medians["bare Starlette"][0]
    ratio = ours / bare if bare else 0.0
    # each round measures both servers back to back, so its ratio is the least drift-prone
    paired = sorted(
        a.rps / b.rps
        for a, b in zip(results["vmkit-server"], results["bare Starlette"], strict=True)
        if b.rps
    )
    print(
        f"per-round ratios: {', '.join(f'{r:.3f}' for r in paired)}"
        f"  (median {statistics.median(paired):.3f})"
    )
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"ratio ours/bare: {ratio:.3f}  (target >= {TARGET}: {verdict})")
    return ratio


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print both figures and the ratio; returns the exit status."""
    args = _parser().parse_args(argv)
    load, described = _loader(args)
    with tempfile.TemporaryDirectory(prefix="vmkit-bench-") as tmp:
        ours: ServerProcess | None = None
        bare: ServerProcess | None = None
        try:
            ours = start_vmkit(Path(tmp) / "data")
            token = (Path(tmp) / "data" / "admin-token").read_text().strip()
            body, headers = _prepare(ours, token)
            bare = start_bare(Path(tmp), body, headers)
            _check_same(bare, body)
            print(
                f"GET /v1/vms/{VM_NAME} ({len(body)} bytes of JSON), vmkit-server vs a bare "
                f"Starlette handler serving the same bytes\n"
                f"servers: 1 uvicorn worker each, loop asyncio, http {http_impl()}, "
                f"no access log, 127.0.0.1\n"
                f"load: {described}\n"
                f"note: the load generator shares this machine's {os.cpu_count()} cores "
                f"with the server under test",
                flush=True,
            )
            auth = {"Authorization": f"Bearer {token}"}
            _report(
                _measure(
                    load,
                    {"vmkit-server": (ours, auth), "bare Starlette": (bare, auth)},
                    args.rounds,
                )
            )
        finally:
            for server in (bare, ours):
                if server is not None:
                    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
