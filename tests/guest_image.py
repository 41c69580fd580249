"""Finding the shared test guest: built once by `scripts/build-test-guest`, cached by hash."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

__all__ = ["BUILD_SCRIPT", "built_guest_images"]

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "scripts" / "build-test-guest"


def built_guest_images() -> Path:
    """The images directory holding the built test guest; skips the test if it cannot be.

    Skips when the guest cannot be built here or `qemu-system-x86_64` is missing.
    """
    proc = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--print-path"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.skip(f"the test guest cannot be built here: {proc.stderr.strip()[-500:]}")
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("qemu-system-x86_64 is not installed")
    return Path(proc.stdout.strip()).parent.parent
