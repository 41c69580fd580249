"""bench/load.py runs end to end (a few clients for a few seconds; no figure is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_load_bench_runs_without_errors() -> None:
    """Every action is tried, the table and the verdict are printed, and nothing failed."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--clients", "8", "--seconds", "3",
         "--think", "0.05"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        check=False,
    )  # fmt: skip
    assert 0 == done.returncode, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for action in ("list", "get", "create", "start", "stop", "delete", "all"):
        assert any(line.split()[:1] == [action] for line in lines), done.stdout
    assert "errors: 0" in lines, done.stdout
    assert any(line.startswith("p99 ") and "target < 250 ms" in line for line in lines)
