"""bench/qemu_lifecycle.py runs end to end on real VMs (one round; no figure is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_qemu_lifecycle_bench_runs() -> None:
    """All three comparisons run against a real QEMU server and print their ratios."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "qemu_lifecycle.py"),
            "--rounds",
            "1",
            "--clone-rounds",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=280,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    if "qemu_lifecycle: SKIPPED" in done.stdout:
        pytest.skip(done.stdout.strip())
    lines = done.stdout.splitlines()
    for side in ("vmkit", "raw"):
        for what in ("ready", "save"):
            assert any(line.split()[:4] == ["round", "1", side, what] for line in lines), (
                done.stdout
            )
    for prefix in (
        "ratio (a) create->ready->delete vmkit/raw: ",
        "ratio (b) clone 100 GiB/1 GiB: ",
        "ratio (c) snapshot save vmkit/raw: ",
        "ratio (c) snapshot restore vmkit/raw: ",
    ):
        assert any(line.startswith(prefix) for line in lines), done.stdout
