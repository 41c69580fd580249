"""bench/sdk_overhead.py and bench/import_time.py run end to end (tiny runs; no figure asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        check=False,
    )


def test_sdk_overhead_bench_runs() -> None:
    """The server starts, both clients read the VM in both modes, and the ratios are printed."""
    done = _run_bench("sdk_overhead.py", "--calls", "20", "--rounds", "1", "--warmup", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for mode in ("sync", "async"):
        for client in ("sdk", "raw"):
            assert any(line.split()[:4] == ["round", "1", mode, client] for line in lines), (
                done.stdout
            )
        assert any(line.startswith(f"ratio {mode} sdk/raw: ") for line in lines), done.stdout
    assert any(line.startswith("ratios sdk/raw: ") for line in lines), done.stdout


def test_import_time_bench_runs() -> None:
    """Every statement is timed in fresh interpreters and the ratio to httpx is printed."""
    done = _run_bench("import_time.py", "--runs", "1", "--warmup", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for statement in ("pass", "import httpx", "import vmkit", "import vmkit; vmkit.Client"):
        assert any(line.startswith(f"{statement} ") for line in lines), done.stdout
    assert any(line.startswith("ratio import vmkit / import httpx") for line in lines), done.stdout
