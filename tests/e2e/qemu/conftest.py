"""A real vmkit server on the QEMU backend, once per test session (and xdist worker).

The test guest is built (or found) once by `scripts/build-test-guest`; the tests skip when
it cannot be built or QEMU is missing. Every VM still there at the end is deleted, and any
QEMU process of the session's data directory left after that is killed, so a failing test
leaves nothing running. The SDK clients (`client`, `async_client`) come from the parent
conftest, so every response is checked against the spec here too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from guest_image import built_guest_images
from qemu_e2e_helpers import UPLOAD_LIMIT, delete_every_vm, kill_leftovers

from vmkit_server.testing import RunningServer, start_server


@pytest.fixture(scope="session")
def qemu_images() -> Path:
    """The directory of built images, with the test guest in it (built once per session)."""
    return built_guest_images()


@pytest.fixture(scope="session")
def qemu_options(qemu_images: Path) -> dict[str, str]:
    """Backend options: the session's images, KVM only where it boots, two boots at once
    per server (so two xdist workers boot at most four guests together)."""
    return {"accel": "auto", "images_dir": str(qemu_images), "boot_concurrency": "2"}


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, qemu_options: dict[str, str]
) -> Iterator[RunningServer]:
    """An in-process server on the QEMU backend for the whole session."""
    data_dir = tmp_path_factory.mktemp("qemu-server") / "data"
    running = start_server(
        data_dir,
        backend_name="qemu",
        backend_options=qemu_options,
        max_upload_bytes=UPLOAD_LIMIT,
        reconcile_interval=0.25,
    )
    try:
        yield running
    finally:
        try:
            delete_every_vm(running.url, running.token)
        finally:
            running.stop()
            kill_leftovers(data_dir)
