"""bench/events_fanout.py runs end to end (a tiny run; its figures are never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_events_fanout_bench_runs_and_loses_nothing() -> None:
    """Subscribers connect, changes are made, every frame arrives, and p50/p99 are printed."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "events_fanout.py"),
            "--subscribers",
            "3",
            "--changes",
            "20",
            "--vms",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        check=False,
    )
    assert 0 == done.returncode, done.stdout + done.stderr
    assert "20 events in the log, 60 frames received" in done.stdout
    assert "commit -> receipt: p50 " in done.stdout
    assert "frames lost, repeated or out of order: none" in done.stdout
