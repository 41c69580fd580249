"""Backends that drive the systems vmkit grew out of, plus the Tart CLI.

Each module here is one adapter (`lume`, `taartenfabriek`, `nemeton`, `ciderstack`,
`ttstack`, `tart`) built on the generated client in `vmkit.peers.<system>` (Tart on its
CLI). An adapter module exposes `from_options(options, *, state_dir) -> Backend`; the
registry in `vmkit_server.backends` imports it only when its backend is chosen.

Common options of the HTTP systems, from `--backend-url` / `--backend-token-file` or
`--backend-opt` (Tart, a CLI, takes `tart=` and `tart_home=` instead, and ignores a token):

- `url`: where the system's API answers (required for the HTTP systems);
- `token`: its API token, where it has auth;
- `timeout`: seconds to wait for one HTTP call (default 30);
- `poll_interval`: seconds between polls of a running task (default 0.5).

Systems without events are polled: the server's reconciler observes every VM on each pass
and turns what changed into vmkit events, so records never drift from the system.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path

from ..base import Backend

__all__ = ["PEERS", "peer_factory"]

#: Every peer backend, by name (each is a module of this package).
PEERS = ("ciderstack", "lume", "nemeton", "taartenfabriek", "tart", "ttstack")


def peer_factory(name: str) -> Callable[[Path, Mapping[str, str]], Backend]:
    """The registry factory of the peer backend `name`: imports its module when called.

    Args:
        name: One of `PEERS`.

    Returns:
        A factory taking the server's data directory and the backend options; the adapter
        keeps its state under `<data dir>/<name>`.
    """
    if name not in PEERS:
        raise ValueError(f"unknown peer backend {name!r}")

    def factory(data_dir: Path, options: Mapping[str, str]) -> Backend:
        module = importlib.import_module(f"{__name__}.{name}")
        backend: Backend = module.from_options(options, state_dir=data_dir / name)
        return backend

    return factory
