"""Fixtures for the QEMU backend tests: the test guest (built once) and fresh backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from guest_image import built_guest_images
from qemu_helpers import kill_all

from vmkit_server.backends.qemu import QemuBackend
from vmkit_server.backends.qemu._options import parse_options


@pytest.fixture(scope="session")
def images_dir() -> Path:
    """Where the test guest is built (built or found once per session by the script)."""
    return built_guest_images()


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
