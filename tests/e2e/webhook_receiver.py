"""A real webhook receiver for the tests: a small Starlette app on 127.0.0.1, in a thread.

It records every POST (headers, raw body, arrival on the monotonic clock), answers with the
status its `status` function picks for the n-th request, and can hold the first request
open until told to answer (to kill a server while it waits).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["Received", "Receiver"]


@dataclass(frozen=True)
class Received:
    """One request the receiver got.

    Attributes:
        path: The URL path.
        headers: The headers, names in lower case.
        body: The raw body.
        at: `time.monotonic()` when it arrived.
    """

    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class Receiver:
    """Start with `Receiver.start()`; stop with `stop()`.

    Args:
        status: The status to answer the n-th request (0-based) with.
        hold_first: Keep the first request open until `release()`.
    """

    def __init__(self, status: Callable[[int], int], *, hold_first: bool) -> None:
        self._status = status
        self._hold_first = hold_first
        self._received: list[Received] = []
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._released = asyncio.Event()
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["POST"])])
        self._server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=0,
                lifespan="off",
                access_log=False,
                log_level="warning",
                timeout_graceful_shutdown=1,
            )
        )
        self._thread = threading.Thread(
            target=self._loop.run_until_complete, args=(self._server.serve(),), daemon=True
        )
        self.port = 0

    @classmethod
    def start(
        cls, status: Callable[[int], int] = lambda n: 200, *, hold_first: bool = False
    ) -> Receiver:
        """Start a receiver and return once it listens."""
        receiver = cls(status, hold_first=hold_first)
        receiver._thread.start()
        deadline = time.monotonic() + 30
        while not receiver._server.started:
            if time.monotonic() > deadline or not receiver._thread.is_alive():
                raise RuntimeError("the webhook receiver did not start")
            time.sleep(0.005)  # uvicorn offers no started-event to wait on across threads
        receiver.port = receiver._server.servers[0].sockets[0].getsockname()[1]
        return receiver

    def url(self, path: str = "/hook", *, host: str = "127.0.0.1") -> str:
        """The URL of `path` on this receiver."""
        return f"http://{host}:{self.port}{path}"

    @property
    def received(self) -> list[Received]:
        """Every request so far, in arrival order."""
        with self._changed:
            return list(self._received)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Wait until at least `count` requests arrived; return them all.

        Raises:
            TimeoutError: Fewer arrived within `timeout` seconds.
        """
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._received) >= count, timeout):
                raise TimeoutError(f"{len(self._received)} of {count} requests in {timeout} s")
            return list(self._received)

    def release(self) -> None:
        """Let a held first request answer."""
        self._loop.call_soon_threadsafe(self._released.set)

    def stop(self) -> None:
        """Answer anything held, stop the server and join its thread."""
        self.release()
        self._server.should_exit = True
        self._thread.join(timeout=30)
        if not self._thread.is_alive():
            self._loop.close()

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        with self._changed:
            n = len(self._received)
            self._received.append(
                Received(
                    path=request.url.path,
                    headers={k.lower(): v for k, v in request.headers.items()},
                    body=body,
                    at=time.monotonic(),
                )
            )
            self._changed.notify_all()
        if n == 0 and self._hold_first:
            await self._released.wait()
        return Response(status_code=self._status(n))
