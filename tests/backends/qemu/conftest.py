"""Fixtures for the QEMU backend tests: the test guest (built once) and fresh backends."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from qemu_helpers import kill_all

from vmkit_server.backends.qemu import QemuBackend
from vmkit_server.backends.qemu._options import parse_options

ROOT = Path(__file__).resolve().parents[3]
BUILD_SCRIPT = ROOT / "scripts" / "build-test-guest"


@pytest.fixture(scope="session")
def images_dir() -> Path:
    """Where the test guest is built (built or found once per session by the script)."""
    proc = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--print-path"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.skip(f"the test guest cannot be built here: {proc.stderr.strip()[-500:]}")
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("qemu-system-x86_64 is not installed and could not be installed")
    return Path(proc.stdout.strip()).parent.parent


@pytest.fixture
def qemu_options(images_dir: Path) -> dict[str, str]:
    """Backend options: the session's test guest, KVM only if it really works."""
    return {"accel": "auto", "images_dir": str(images_dir)}


@pytest.fixture
async def qemu(tmp_path: Path, qemu_options: dict[str, str]) -> AsyncIterator[QemuBackend]:
    """An opened QEMU backend on a fresh directory; every VM it has is killed afterwards."""
    backend = QemuBackend(tmp_path / "qemu", parse_options(qemu_options))
    await backend.open()
    try:
        yield backend
    finally:
        await kill_all(backend)
