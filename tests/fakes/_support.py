"""Serving a fake on a real socket, and what a fake hands the conformance suite."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.types import ASGIApp

__all__ = ["ConformanceSetup", "serve_app"]


@dataclass
class ConformanceSetup:
    """How the conformance suite runs a vmkit server on one backend.

    Attributes:
        backend_name: The `--backend` name.
        backend_options: The backend's options (url, token, ...).
        create: Extra `client.vms.create` arguments a VM of this backend needs (image,
            sizes); the suite adds the name.
        make_outside_vm: Creates a VM with the given name directly on the system, bypassing
            vmkit, and returns the system's handle for it (what the backend reports as
            `DiscoveredVM.handle`: a name, or an id where the system has ids); the suite
            checks vmkit adopts it. None if the backend does not adopt.
    """

    backend_name: str
    backend_options: dict[str, str]
    create: dict[str, Any] = field(default_factory=dict)
    make_outside_vm: Callable[[str], str] | None = None


@contextlib.contextmanager
def serve_app(app: ASGIApp, *, timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 and a free port in a thread; yield its base URL.

    Raises:
        RuntimeError: It did not start within `timeout` seconds.
    """
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=0, lifespan="on", access_log=False, log_level="warning"
        )
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)  # uvicorn offers no started-event to wait on across threads
    if not server.started:
        raise RuntimeError("the fake did not start (see the log above)")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        loop.close()
