"""What the WebSocket endpoints share: reading the token, refusing before the handshake."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.websockets import WebSocket

from ..problems import ProblemError, problem_response

__all__ = ["bearer", "header", "refuse"]


def header(scope: Any, name: bytes) -> str | None:
    """The value of the request header ``name`` (lowercase bytes), or None."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def bearer(scope: Any) -> str | None:
    """The ``Authorization`` header, else ``Bearer <?token=>`` for clients without headers."""
    authorization = header(scope, b"authorization")
    if authorization is None:
        for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
            if key == "token":
                return f"Bearer {value}"
    return authorization


async def refuse(ws: WebSocket, exc: ProblemError, path: str) -> None:
    """Refuse the upgrade with the problem as an HTTP answer, or close with 1008 where the
    server cannot send denial responses."""
    if "websocket.http.response" in ws.scope.get("extensions", {}):
        await ws.send_denial_response(problem_response(exc, instance=path, request_id=None))
    else:
        await ws.close(1008, exc.detail[:120])
