"""SDK overhead: ``client.vms.get(name)`` vs the same request with a raw httpx client.

One ``vmkit-server`` process on loopback serves both. The SDK path is
``vmkit.Client.vms.get`` (auth header, per-call deadline, the retry machinery, problem
checking, parsing into the generated model and wrapping it in a ``VM`` handle); the raw
path is ``httpx.Client.get(url, headers=auth)`` followed by ``raise_for_status()`` and
``.json()``, so both read and decode the same answer. Each client is made once per mode and
warmed up. A round makes N sequential calls with each client, interleaved in short chunks
(SDK, raw, SDK, raw ..., the first client swapped every round) so that both see the same
load on a noisy machine; there are several rounds, in a blocking mode (``vmkit.Client`` vs
``httpx.Client``) and an asyncio mode (``vmkit.AsyncClient`` vs ``httpx.AsyncClient``).
The report gives the median wall time per call of each, the ratio SDK/raw of the medians
and of each round, the verdict against the target (<= 1.10), and for information the
client process's CPU time per call.

Run it with ``make bench`` or ``python bench/sdk_overhead.py --help``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from _servers import start_vmkit

import vmkit

__all__ = ["main"]

TARGET = 1.10
VM_NAME = "bench-vm"
MODES = ("sync", "async")

SyncCall = Callable[[], Any]
AsyncCall = Callable[[], Awaitable[Any]]


@dataclass
class Run:
    """The calls one client made in one round, and what they took.

    Attributes:
        calls: How many calls were made.
        seconds: Their total wall time.
        cpu_seconds: This process's CPU time (user + system) while they ran.
    """

    calls: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def per_call(self) -> float:
        """Wall seconds per call."""
        return self.seconds / self.calls if self.calls else 0.0

    @property
    def cpu_per_call(self) -> float:
        """CPU seconds per call in this process."""
        return self.cpu_seconds / self.calls if self.calls else 0.0

    def add(self, calls: int, seconds: float, cpu_seconds: float) -> None:
        """Count a chunk of calls."""
        self.calls += calls
        self.seconds += seconds
        self.cpu_seconds += cpu_seconds


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--calls", type=int, default=2000, help="calls per run (default 2000)")
    p.add_argument("--rounds", type=int, default=5, help="A/B rounds per mode (default 5)")
    p.add_argument("--warmup", type=int, default=100, help="unmeasured calls per client")
    p.add_argument(
        "--chunk", type=int, default=50, help="calls in a row before switching client (50)"
    )
    p.add_argument(
        "--mode", choices=[*MODES, "both"], default="both", help="sync, async or both (default)"
    )
    return p


def _chunks(calls: int, chunk: int) -> list[int]:
    sizes = [chunk] * (calls // chunk)
    if calls % chunk:
        sizes.append(calls % chunk)
    return sizes


def _time_sync(call: SyncCall, calls: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        call()
    return time.perf_counter() - wall, time.process_time() - cpu


async def _time_async(call: AsyncCall, calls: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        await call()
    return time.perf_counter() - wall, time.process_time() - cpu


def _line(label: str, mode: str, name: str, run: Run) -> str:
    return (
        f"{label:<8} {mode:<5} {name:<4} {run.calls:6d} calls {run.seconds:7.3f} s"
        f"   {run.per_call * 1e6:8.1f} us/call   {1 / run.per_call if run.per_call else 0:7.0f}"
        f" calls/s   cpu {run.cpu_per_call * 1e6:7.1f} us/call"
    )


def _order(n: int) -> tuple[str, str]:
    return ("sdk", "raw") if n % 2 == 0 else ("raw", "sdk")


def _measure_sync(url: str, token: str, args: argparse.Namespace) -> dict[str, list[Run]]:
    auth = {"Authorization": f"Bearer {token}"}
    vm_url = f"{url}/v1/vms/{VM_NAME}"
    results: dict[str, list[Run]] = {"sdk": [], "raw": []}
    with vmkit.Client(url, token) as sdk, httpx.Client() as raw:

        def via_sdk() -> Any:
            return sdk.vms.get(VM_NAME)

        def via_raw() -> Any:
            answer = raw.get(vm_url, headers=auth)
            answer.raise_for_status()
            return answer.json()

        calls: dict[str, SyncCall] = {"sdk": via_sdk, "raw": via_raw}
        _check_same(via_sdk().to_dict(), via_raw())
        for call in calls.values():
            _time_sync(call, args.warmup)
        for n in range(args.rounds):
            runs = {name: Run() for name in calls}
            for size in _chunks(args.calls, args.chunk):
                for name in _order(n):
                    runs[name].add(size, *_time_sync(calls[name], size))
            for name in _order(n):
                results[name].append(runs[name])
                print(_line(f"round {n + 1}", "sync", name, runs[name]), flush=True)
    return results


async def _measure_async(url: str, token: str, args: argparse.Namespace) -> dict[str, list[Run]]:
    auth = {"Authorization": f"Bearer {token}"}
    vm_url = f"{url}/v1/vms/{VM_NAME}"
    results: dict[str, list[Run]] = {"sdk": [], "raw": []}
    async with vmkit.AsyncClient(url, token) as sdk, httpx.AsyncClient() as raw:

        async def via_sdk() -> Any:
            return await sdk.vms.get(VM_NAME)

        async def via_raw() -> Any:
            answer = await raw.get(vm_url, headers=auth)
            answer.raise_for_status()
            return answer.json()

        calls: dict[str, AsyncCall] = {"sdk": via_sdk, "raw": via_raw}
        _check_same((await via_sdk()).to_dict(), await via_raw())
        for call in calls.values():
            await _time_async(call, args.warmup)
        for n in range(args.rounds):
            runs = {name: Run() for name in calls}
            for size in _chunks(args.calls, args.chunk):
                for name in _order(n):
                    runs[name].add(size, *(await _time_async(calls[name], size)))
            for name in _order(n):
                results[name].append(runs[name])
                print(_line(f"round {n + 1}", "async", name, runs[name]), flush=True)
    return results


def _check_same(from_sdk: dict[str, Any], from_raw: Any) -> None:
    if not isinstance(from_raw, dict) or from_sdk.get("id") != from_raw.get("id"):
        raise SystemExit("the SDK and the raw client did not read the same VM")


def _report(mode: str, results: dict[str, list[Run]]) -> float:
    medians = {name: statistics.median(r.per_call for r in runs) for name, runs in results.items()}
    cpu = {name: statistics.median(r.cpu_per_call for r in runs) for name, runs in results.items()}
    for name, per_call in medians.items():
        print(
            f"median   {mode:<5} {name:<4} {per_call * 1e6:8.1f} us/call"
            f"   cpu {cpu[name] * 1e6:7.1f} us/call"
        )
    ratio = medians["sdk"] / medians["raw"] if medians["raw"] else 0.0
    # each round runs both clients back to back, so its ratio is the least drift-prone
    paired = sorted(
        a.per_call / b.per_call for a, b in zip(results["sdk"], results["raw"], strict=True)
    )
    print(
        f"per-round ratios {mode}: {', '.join(f'{r:.3f}' for r in paired)}"
        f"  (median {statistics.median(paired):.3f})"
    )
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"ratio {mode} sdk/raw: {ratio:.3f}  (target <= {TARGET:.2f}: {verdict})", flush=True)
    if cpu["raw"]:
        print(f"client cpu {mode} sdk/raw: {cpu['sdk'] / cpu['raw']:.3f}  (for information)")
    return ratio


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures and the ratios; returns the exit status."""
    args = _parser().parse_args(argv)
    modes = MODES if args.mode == "both" else (args.mode,)
    with tempfile.TemporaryDirectory(prefix="vmkit-bench-") as tmp:
        server = start_vmkit(Path(tmp) / "data")
        try:
            token = (Path(tmp) / "data" / "admin-token").read_text().strip()
            with vmkit.Client(server.url, token) as client:
                client.vms.create(VM_NAME, wait=True)
            print(
                f"GET /v1/vms/{VM_NAME}: vmkit SDK (vms.get) vs raw httpx (get + json), "
                f"{args.calls} sequential calls per client per round in chunks of "
                f"{args.chunk}, {args.rounds} rounds per mode\n"
                f"server: vmkit-server, 1 process, simulated backend, {server.url}\n"
                f"note: the client shares this machine's {os.cpu_count()} cores with the "
                "server; both clients see the same server",
                flush=True,
            )
            ratios: dict[str, float] = {}
            for mode in modes:
                if mode == "sync":
                    results = _measure_sync(server.url, token, args)
                else:
                    results = asyncio.run(_measure_async(server.url, token, args))
                ratios[mode] = _report(mode, results)
            summary = ", ".join(f"{mode} {ratio:.3f}" for mode, ratio in ratios.items())
            verdict = "PASS" if all(r <= TARGET for r in ratios.values()) else "FAIL"
            print(f"ratios sdk/raw: {summary}  (target <= {TARGET:.2f}: {verdict})")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
