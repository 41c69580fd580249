"""Hypervisor backends and the registry that builds one by name.

Add a backend by adding its factory to `BACKENDS`; a factory takes the server's data
directory and the `key=value` options from the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from .base import Backend
from .peers import PEERS, peer_factory
from .simulated import SimulatedBackend

__all__ = ["BACKENDS", "BackendFactory", "load_backend"]

#: Builds a backend from the server's data directory and the backend's options.
BackendFactory = Callable[[Path, Mapping[str, str]], Backend]


def _simulated(data_dir: Path, options: Mapping[str, str]) -> Backend:
    return SimulatedBackend.from_options(options, state_dir=data_dir / "simulated")


def _qemu(data_dir: Path, options: Mapping[str, str]) -> Backend:
    from .qemu import QemuBackend  # imported when chosen: it pulls in qemu.qmp

    return QemuBackend.from_options(options, state_dir=data_dir / "qemu")


#: Every backend by name: the local ones, then the peer systems (`backends/peers/`).
BACKENDS: dict[str, BackendFactory] = {
    "qemu": _qemu,
    "simulated": _simulated,
    **{name: peer_factory(name) for name in PEERS},
}


def load_backend(name: str, *, data_dir: Path, options: Mapping[str, str]) -> Backend:
    """Build the backend called `name`.

    Args:
        name: A key of `BACKENDS` (`qemu`, `simulated`, `lume`, ...).
        data_dir: The server's data directory; the backend keeps its state under it.
        options: Backend-specific options.

    Returns:
        The backend, not opened yet.

    Raises:
        ValueError: No backend has that name (the message lists the known ones), or the
            options are invalid.
    """
    factory = BACKENDS.get(name)
    if factory is None:
        raise ValueError(f"unknown backend {name!r}; known backends: {', '.join(sorted(BACKENDS))}")
    return factory(data_dir, options)
