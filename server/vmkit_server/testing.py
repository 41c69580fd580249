"""Running a real server on a loopback socket inside the current process (tests, plugin).

The server runs on its own event loop in a daemon thread, so synchronous tests can drive it
through the SDK over real HTTP while still reaching the backend object for fault injection.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from starlette.types import ASGIApp

from ._serving import StreamClosingServer, protocol_options
from .app import ServerConfig, VmkitApp, create_app
from .backends.base import Backend
from .core.webhooks import WebhookSettings

__all__ = ["RunningServer", "serve_asgi", "start_server"]

T = TypeVar("T")


@dataclass
class RunningServer:
    """A server started by `start_server`.

    Attributes:
        url: Its base URL (`http://127.0.0.1:<port>`).
        token: The admin token.
        app: The ASGI app (its `backend`, `store`, `core`).
        data_dir: Its data directory.
    """

    url: str
    token: str
    app: VmkitApp
    data_dir: Path
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _loop: asyncio.AbstractEventLoop = field(repr=False)

    @property
    def backend(self) -> Backend:
        """The backend instance the server drives."""
        return self.app.backend

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the server's event loop (for fault injection); return its value."""
        result: Future[T] = Future()

        def run() -> None:
            try:
                result.set_result(fn())
            except BaseException as exc:  # handed back to the caller's thread
                result.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return result.result(timeout=30)

    def run(self, coro: Coroutine[Any, Any, T], *, timeout: float = 30.0) -> T:
        """Run `coro` on the server's event loop (to drive its backend); return its value."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def stop(self) -> None:
        """Shut the server down cleanly (lifespan shutdown included) and join its thread."""
        self._server.should_exit = True
        self._thread.join(timeout=30)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()


def start_server(
    data_dir: Path,
    *,
    backend: Backend | None = None,
    backend_name: str = "simulated",
    backend_options: dict[str, str] | None = None,
    reconcile_interval: float = 0.2,
    max_upload_bytes: int = 64 << 20,
    timeout: float = 30.0,
    webhooks: WebhookSettings | None = None,
) -> RunningServer:
    """Start a server on 127.0.0.1 and a free port, in a thread; return once it serves.

    `webhooks` replaces the default webhook settings (a fast retry schedule, say).

    Raises:
        RuntimeError: The server did not start within `timeout` seconds.
    """
    config = ServerConfig(
        data_dir=data_dir,
        backend=backend_name,
        backend_options=dict(backend_options or {}),
        reconcile_interval=reconcile_interval,
        max_upload_bytes=max_upload_bytes,
        webhooks=webhooks or WebhookSettings(),
    )
    app = create_app(config, backend=backend)
    server = StreamClosingServer(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            lifespan="on",
            access_log=False,
            log_level="warning",
            **protocol_options(),
        )
    )
    thread, loop, port = _serve_in_thread(server, timeout, "the vmkit server")
    token = app.token_file.read_text().strip()
    return RunningServer(
        url=f"http://127.0.0.1:{port}",
        token=token,
        app=app,
        data_dir=data_dir,
        _server=server,
        _thread=thread,
        _loop=loop,
    )


def _serve_in_thread(
    server: uvicorn.Server, timeout: float, what: str
) -> tuple[threading.Thread, asyncio.AbstractEventLoop, int]:
    """Run `server` on a new event loop in a daemon thread; return once it listens.

    Raises:
        RuntimeError: It did not start within `timeout` seconds.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)  # uvicorn offers no started-event to wait on across threads
    if not server.started:
        raise RuntimeError(f"{what} did not start (see the log above)")
    return thread, loop, int(server.servers[0].sockets[0].getsockname()[1])


@contextlib.contextmanager
def serve_asgi(app: ASGIApp, *, timeout: float = 10.0) -> Iterator[str]:
    """Serve any ASGI app (a fake peer system, say) on 127.0.0.1 and a free port, in a
    thread, for the length of the block; yield its base URL.

    Raises:
        RuntimeError: It did not start within `timeout` seconds.
    """
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=0, lifespan="on", access_log=False, log_level="warning"
        )
    )
    thread, loop, port = _serve_in_thread(server, timeout, "the app")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        loop.close()
