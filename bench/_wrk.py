"""The optional load generator: `wrk` (C, one thread), for when it is installed.

wrk is duration-based, so a run lasts `max_seconds`; the request quota does not apply.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping

from _loadgen import RunResult

__all__ = ["parse_wrk", "run_wrk", "wrk_path"]

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def wrk_path() -> str | None:
    """Where `wrk` is, or None when it is not installed."""
    return shutil.which("wrk")


def parse_wrk(output: str) -> RunResult:
    """Read requests, errors, duration and p50/p99 from `wrk --latency` output.

    Raises:
        ValueError: The output lacks the request total or the latency distribution.
    """
    total = _TOTAL.search(output)
    found = {
        m.group(1): float(m.group(2)) * _UNITS[m.group(3)] for m in _PERCENTILE.finditer(output)
    }
    if total is None or "50" not in found or "99" not in found:
        raise ValueError(f"unexpected wrk output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    bad = int(non_2xx.group(1)) if non_2xx else 0
    sockets = _SOCKET_ERRORS.search(output)
    if sockets:
        bad += sum(int(n) for n in sockets.groups())
    requests = int(total.group(1))
    elapsed = float(total.group(2)) * _UNITS[total.group(3)]
    return RunResult(max(0, requests - bad), bad, elapsed, found["50"], found["99"])


def run_wrk(
    url: str, *, headers: Mapping[str, str], concurrency: int, max_seconds: float
) -> RunResult:
    """Load `url` with wrk (one thread, `concurrency` connections) for `max_seconds`.

    Raises:
        RuntimeError: wrk is not installed or failed.
    """
    path = wrk_path()
    if path is None:
        raise RuntimeError("wrk is not installed (e.g. `apt-get install -y wrk`)")
    command = [
        path,
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, round(max_seconds))}s",
        "--latency",
    ]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=max_seconds + 30, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)
