"""bench/server_throughput.py runs end to end (a tiny run; its figures are never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_server_throughput_bench_runs() -> None:
    """Both servers start, answer the same bytes, get measured, and a ratio is printed."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "server_throughput.py"),
            "--requests",
            "200",
            "--rounds",
            "1",
            "--warmup",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("round 1  vmkit-server") for line in lines), done.stdout
    assert any(line.startswith("round 1  bare Starlette") for line in lines), done.stdout
    assert any(line.startswith("ratio ours/bare: ") for line in lines), done.stdout
    assert "0 errors" in done.stdout
