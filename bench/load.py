"""Load: 200 concurrent async SDK clients, a mixed workload, on the simulated backend.

One ``vmkit-server`` process on loopback (simulated backend, default settings: no rate
limit on loopback). In this process, ``--clients`` independent ``vmkit.AsyncClient``s, each
with its own connection pool and nothing else shared, run for ``--seconds``. Each client is
a user: it picks an action (weights in ``MIX``), does it with one SDK call, waits a think
time (exponential, mean ``--think`` seconds, 1 by default; 0 for a closed loop at full
speed), and again. Clients start out of step (each after a random pause of up to twice the
think time), not all in the same millisecond. The actions:

* ``list``: the first page of ``client.vms.list(page_size=50)``;
* ``get``: one of its own VMs;
* ``create``: a new VM (``create``, not waiting for the operation); at most
  ``--max-vms`` per client, so the fleet stays bounded;
* ``start``, ``stop``, ``delete`` (``force=True``): one of its own VMs, whatever its state.

So ``start``/``stop``/``delete`` often find a VM that is busy or in the wrong state: those
409s (``VM_INVALID_STATE``, ``OPERATION_IN_PROGRESS``) are expected and counted apart.
Anything else that is not a success is an error: another status, a timeout, a connection
failure. The SDK's retries are off (``max_retries=0``), so nothing is hidden.

Latency is the wall time of each SDK call (request, server, parsing), measured here. The
report prints, per action and overall: calls, successes, expected 409s, errors, calls/s,
p50 and p99, and the verdict against the target (p99 < 250 ms). The exit status is 1 if
there was any error, else 0 (a missed latency target is reported, not failed).

``--memory-backend`` serves the same app with a simulated backend that keeps its VMs in
memory only (``bench/_load_server.py``), to tell the server's own cost from that of the
simulated backend's persistence, which rewrites its whole state file after every change.

Run it with ``make load`` or ``python bench/load.py --help``. The clients and the server
share the machine's cores: the figures are for this machine, under whatever else runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _loadgen import percentile
from _servers import ServerProcess, start_vmkit

import vmkit
from vmkit import errors

__all__ = ["main"]

TARGET_P99 = 0.250
MIX = {"list": 20, "get": 35, "create": 12, "start": 11, "stop": 11, "delete": 11}
EXPECTED_409 = frozenset({"VM_INVALID_STATE", "OPERATION_IN_PROGRESS"})


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--clients", type=int, default=200, help="concurrent SDK clients (200)")
    p.add_argument("--seconds", type=float, default=60.0, help="measured duration (60)")
    p.add_argument(
        "--think", type=float, default=1.0, help="mean think time between calls, s (1.0)"
    )
    p.add_argument("--max-vms", type=int, default=4, help="VMs one client owns at most (4)")
    p.add_argument("--seed", type=int, default=1, help="seed of the clients' choices (1)")
    p.add_argument(
        "--memory-backend",
        action="store_true",
        help="serve with a simulated backend that does not save its state (bench/_load_server.py)",
    )
    p.add_argument("--url", default=None, help="load this server instead of starting one")
    p.add_argument("--token", default=None, help="its token (with --url)")
    return p


@dataclass
class Tally:
    """What the clients saw, per action.

    Attributes:
        latencies: Seconds per successful call or expected 409, by action.
        outcomes: (action, outcome) -> count; outcome is ``ok``, ``409 <CODE>`` or an error.
    """

    latencies: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)

    def record(self, action: str, seconds: float, outcome: str) -> None:
        """Count one call."""
        self.outcomes[action, outcome] += 1
        if outcome == "ok" or expected(outcome):
            self.latencies[action].append(seconds)


def expected(outcome: str) -> bool:
    """Whether an outcome is one of the 409s a racing workload must expect."""
    status, _, code = outcome.partition(" ")
    return status == "409" and code in EXPECTED_409


def _choose(rng: random.Random, mine: list[str], max_vms: int) -> str:
    allowed = dict(MIX)
    if not mine:
        return "create"
    if len(mine) >= max_vms:
        del allowed["create"]
    actions, weights = zip(*allowed.items(), strict=True)
    return rng.choices(actions, weights)[0]


async def _act(client: vmkit.AsyncClient, action: str, mine: list[str], name: str) -> None:
    if action == "list":
        async for _ in client.vms.list(page_size=50).pages():
            break
    elif action == "create":
        await client.vms.create(name)
        mine.append(name)
    elif action == "get":
        await client.vms.get(name)
    elif action == "start":
        await client.vms.start(name)
    elif action == "stop":
        await client.vms.stop(name)
    elif action == "delete":
        await client.vms.delete(name, force=True)
        mine.remove(name)


async def _user(
    number: int,
    url: str,
    token: str,
    args: argparse.Namespace,
    tally: Tally,
    ready: list[int],
    gate: asyncio.Event,
    deadline: list[float],
) -> None:
    rng = random.Random(args.seed * 100_003 + number)
    mine: list[str] = []
    made = 0
    async with vmkit.AsyncClient(url, token, max_retries=0, timeout=30) as client:
        await client.hosts.list()  # connect before the clock starts
        ready[0] += 1
        if ready[0] == args.clients:
            gate.set()
        await gate.wait()
        # Start out of step, as users do, rather than 200 calls in the same millisecond.
        await asyncio.sleep(rng.uniform(0.0, 2 * args.think))
        while time.perf_counter() < deadline[0]:
            action = _choose(rng, mine, args.max_vms)
            if action == "create":
                name, made = f"load-{number}-{made}", made + 1
            else:
                name = rng.choice(mine) if mine else ""
            started = time.perf_counter()
            try:
                await _act(client, action, mine, name)
                outcome = "ok"
            except errors.APIStatusError as exc:
                outcome = f"{exc.status} {exc.code}"
            except errors.APIError as exc:
                outcome = type(exc).__name__
            tally.record(action, time.perf_counter() - started, outcome)
            if args.think > 0:
                pause = min(rng.expovariate(1.0 / args.think), deadline[0] - time.perf_counter())
                await asyncio.sleep(max(0.0, pause))


async def _run(url: str, token: str, args: argparse.Namespace) -> tuple[Tally, float]:
    tally = Tally()
    gate, ready = asyncio.Event(), [0]
    deadline = [float("inf")]
    users = [
        asyncio.create_task(_user(i, url, token, args, tally, ready, gate, deadline))
        for i in range(args.clients)
    ]
    await asyncio.wait_for(gate.wait(), timeout=120)  # every client connected
    started = time.perf_counter()
    deadline[0] = started + args.seconds
    await asyncio.gather(*users)
    return tally, time.perf_counter() - started


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def report(tally: Tally, elapsed: float, args: argparse.Namespace) -> int:
    """Print the table and the verdict; return the number of errors."""
    backend = "in memory" if args.memory_backend else "saving its state"
    print(
        f"load: {args.clients} SDK clients, think {args.think:g} s, {elapsed:.1f} s measured; "
        f"simulated backend {backend}"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"{'action':8} {'calls':>7} {'ok':>7} {'409':>6} {'errors':>6} {'calls/s':>8} "
          f"{'p50 ms':>7} {'p99 ms':>7}")  # fmt: skip
    total_errors = 0
    every: list[float] = []
    for action in [*MIX, "all"]:
        rows = [(o, n) for (a, o), n in tally.outcomes.items() if action in ("all", a)]
        calls = sum(n for _, n in rows)
        ok = sum(n for o, n in rows if o == "ok")
        conflicts = sum(n for o, n in rows if expected(o))
        failed = calls - ok - conflicts
        if action == "all":
            latencies = every
            total_errors = failed
        else:
            latencies = tally.latencies[action]
            every.extend(latencies)
        print(
            f"{action:8} {calls:7d} {ok:7d} {conflicts:6d} {failed:6d} {calls / elapsed:8.1f} "
            f"{_ms(percentile(latencies, 50))} {_ms(percentile(latencies, 99))}"
        )
    errors_seen = sorted(
        (o, n) for (_, o), n in tally.outcomes.items() if o != "ok" and not expected(o)
    )
    for outcome, n in errors_seen:
        print(f"  error {outcome}: {n}")
    p99 = percentile(every, 99)
    verdict = "PASS" if p99 < TARGET_P99 else "MISS"
    print(f"errors: {total_errors}")
    print(f"p99 {p99 * 1000:.1f} ms, target < {TARGET_P99 * 1000:.0f} ms: {verdict}")
    return total_errors


def _start_memory_server(data_dir: Path, timeout: float = 30.0) -> ServerProcess:
    """`_load_server.py` on `data_dir`, once it says it is ready."""
    log = data_dir.parent / "load-server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve().parent / "_load_server.py"),
                str(data_dir),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r" ready at (http://\S+)", log.read_text(errors="replace"))
        if found:
            return ServerProcess("vmkit-server (memory)", found.group(1), process, log)
        if process.poll() is not None:
            break
        time.sleep(0.05)  # polling a log file; a benchmark script, not a test
    process.kill()
    raise RuntimeError(f"_load_server.py did not start; its log:\n{log.read_text()}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load and print the report; exit status 1 on any unexpected error."""
    args = _parser().parse_args(argv)
    if args.url is not None:
        if not args.token:
            raise SystemExit("--url needs --token")
        tally, elapsed = asyncio.run(_run(args.url, args.token, args))
        return 1 if report(tally, elapsed, args) else 0
    with tempfile.TemporaryDirectory(prefix="vmkit-load-") as tmp:
        data_dir = Path(tmp) / "data"
        server = _start_memory_server(data_dir) if args.memory_backend else start_vmkit(data_dir)
        try:
            token = (Path(tmp) / "data" / "admin-token").read_text().strip()
            tally, elapsed = asyncio.run(_run(server.url, token, args))
        finally:
            server.stop()
    return 1 if report(tally, elapsed, args) else 0


if __name__ == "__main__":
    sys.exit(main())
