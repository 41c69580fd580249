"""Every backend the conformance suite runs on, and how to stand each one up.

`simulated` and `qemu` need no peer; each peer backend runs against its fake in
`tests/fakes/<name>.py`, whose `conformance_setup(workdir)` says how.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from pathlib import Path

from fakes._support import ConformanceSetup
from guest_image import built_guest_images

__all__ = ["PEER_TARGETS", "TARGETS", "setup_for"]

#: The peer systems, each driven against its fake.
PEER_TARGETS = ("lume", "taartenfabriek", "nemeton", "ciderstack", "ttstack", "tart")
#: Every backend the suite covers.
TARGETS = ("simulated", "qemu", *PEER_TARGETS)


@contextlib.contextmanager
def setup_for(name: str, workdir: Path) -> Iterator[ConformanceSetup]:
    """Stand up backend `name` (its fake too, for a peer) for the length of the block."""
    if name == "simulated":
        yield ConformanceSetup("simulated", {"delay": "0.01"})
    elif name == "qemu":
        images = built_guest_images()
        yield ConformanceSetup(
            "qemu",
            {"accel": "auto", "images_dir": str(images), "boot_concurrency": "2"},
            create={"cpus": 1, "memory_mib": 128, "disk_gib": 1},
        )
    else:
        fake = importlib.import_module(f"fakes.{name}")
        with fake.conformance_setup(workdir) as setup:
            yield setup
