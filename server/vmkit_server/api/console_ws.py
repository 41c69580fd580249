"""An interactive serial console over WebSocket: ``/v1/vms/{vm}/console/ws``.

Outside the spec, like ``/v1/events/ws``. Needs the ``connect`` scope (token in the
``Authorization`` header or ``?token=``). The server sends the console output as text
messages (UTF-8, invalid bytes replaced), starting at ``?offset=`` (default: what is new
from now on; ``offset=0`` replays what the server kept); every text or binary message the
client sends is typed into the console. Output is read from the backend's console log
every ``poll_seconds`` (default 0.1) while there is none. The server closes with 1001 when
it shuts down and 1008 when the token is no longer valid; refusals before the handshake
are problem+json answers (401, 403, 404, 409, 422, 501) where the server supports
WebSocket denial responses, else a close with 1008.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.websockets import WebSocket

from .._validation import issue
from ..core.facade import Core
from ..problems import VALIDATION_FAILED, ProblemError
from ._ws import bearer, refuse

__all__ = ["CONSOLE_WS_PATH", "ConsoleWebSocket"]

log = logging.getLogger("vmkit_server.console")

#: The path, with the VM's name or id in place of ``{vm}``.
CONSOLE_WS_PATH = re.compile(
    r"^/v1/vms/(?P<vm>[a-z0-9][a-z0-9-]{0,62}|vm_[0-9a-z]{26})/console/ws$"
)
_SCOPE = "connect"
_CHUNK = 64 * 1024
_END = 1 << 20  # reads to find the end of the log


class ConsoleWebSocket:
    """The ASGI endpoint for interactive consoles.

    Args:
        core: The domain.
        poll_seconds: The pause between console reads while the guest prints nothing.
    """

    def __init__(self, core: Core, *, poll_seconds: float = 0.1) -> None:
        self._core = core
        self._poll = poll_seconds
        self._closing = asyncio.Event()

    def close_all(self) -> None:
        """Ask every open console to close (server shutdown)."""
        self._closing.set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one WebSocket connection."""
        ws = WebSocket(scope, receive, send)
        match = CONSOLE_WS_PATH.match(scope["path"])
        assert match is not None  # the app routes only matching paths here
        vm = match["vm"]
        try:
            self._authorize(scope)
            query = _query(scope)
            start = query.get("offset")
            # Checks the VM and the capability now, so refusals come before the handshake.
            offset = await self._start_offset(vm, start)
        except ProblemError as exc:
            await refuse(ws, exc, scope["path"])
            return
        await ws.accept()
        writer = asyncio.ensure_future(self._type_input(ws, vm))
        reader = asyncio.ensure_future(self._send_output(ws, vm, offset, scope))
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            done, _ = await asyncio.wait(
                {writer, reader, closing}, return_when=asyncio.FIRST_COMPLETED
            )
            if closing in done:
                with contextlib.suppress(Exception):
                    await ws.close(1001, "the server is shutting down")
            for task in done:
                failure = None if task.cancelled() else task.exception()
                if failure is not None and not isinstance(failure, OSError | ProblemError):
                    log.error("the console WebSocket of %s failed", vm, exc_info=failure)
        finally:
            for task in (writer, reader, closing):
                task.cancel()
            for task in (writer, reader, closing):
                with contextlib.suppress(BaseException):
                    await task

    async def _start_offset(self, vm: str, start: int | None) -> int:
        """Where the stream begins: ``start`` as kept, else the end of the kept log."""
        chunk = await self._core.guest.console_read(vm, start, 1 if start is not None else _END)
        if start is not None:
            return int(chunk["offset"])
        while chunk["data"]:  # a log longer than one read: skip to its end
            chunk = await self._core.guest.console_read(vm, chunk["next_offset"], _END)
        return int(chunk["next_offset"])

    def _authorize(self, scope: Any) -> None:
        auth = self._core.auth
        auth.authorize(auth.authenticate(bearer(scope)), _SCOPE)

    async def _send_output(self, ws: WebSocket, vm: str, offset: int, scope: Any) -> None:
        while True:
            try:
                chunk = await self._core.guest.console_read(vm, offset, _CHUNK)
            except ProblemError as exc:  # the VM was deleted, or its backend went away
                await ws.close(1011 if exc.status >= 500 else 1000, exc.detail[:120])
                return
            if chunk["data"]:
                await ws.send_text(chunk["data"])
                offset = chunk["next_offset"]
                continue
            offset = max(offset, chunk["offset"])
            try:
                self._authorize(scope)
            except ProblemError:
                await ws.close(1008, "the token is no longer valid")
                return
            await asyncio.sleep(self._poll)

    async def _type_input(self, ws: WebSocket, vm: str) -> None:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                text = message["bytes"].decode("utf-8", errors="replace")
            if text:
                await self._core.guest.console_write(vm, text)


def _query(scope: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    issues: list[dict[str, Any]] = []
    for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
        if key == "offset":
            if value.isdigit() and len(value) <= 19:
                values["offset"] = int(value)
            else:
                issues.append(issue("query", "/offset", "must be a byte offset (digits)", "type"))
        elif key != "token":
            detail = f"unknown query parameter {key!r}"
            issues.append(issue("query", f"/{key}", detail, "additionalProperties"))
    if issues:
        raise ProblemError(422, VALIDATION_FAILED, "the request is invalid", errors=issues)
    return values
