"""uvicorn's h11 protocol, answering a request it cannot parse with problem+json.

uvicorn answers a request head that is not HTTP/1.1, or that grows past its buffer limit
while arriving, with a plain-text ``400 Invalid HTTP request received.``. This subclass
sends the status h11 suggests (431 for a head too large, else 400) as an
``application/problem+json`` document like every other vmkit error, then closes the
connection as uvicorn does.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from . import problems
from .problems import PROBLEM_MEDIA_TYPE, TYPE_PREFIX

__all__ = ["ProblemH11Protocol", "http_protocol"]

#: uvicorn's default: h11 refuses a request head still incomplete past this many bytes.
DEFAULT_MAX_INCOMPLETE_EVENT_SIZE = 16 << 10


class _Connection(h11.Connection):
    """An h11 connection that remembers the last protocol error it raised."""

    last_error: h11.RemoteProtocolError | None = None

    def next_event(self) -> Any:
        try:
            return super().next_event()
        except h11.RemoteProtocolError as exc:
            self.last_error = exc
            raise


class ProblemH11Protocol(H11Protocol):
    """`H11Protocol` whose refusals of unparseable requests are problem+json.

    Args:
        config: The uvicorn config.
        server_state: uvicorn's shared server state.
        app_state: The lifespan state.
        _loop: The event loop (uvicorn passes it in tests).
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        limit = config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        self.conn = _Connection(h11.SERVER, limit)

    def send_400_response(self, msg: str) -> None:
        """Send the problem for a request h11 refused, and close the connection."""
        error = getattr(self.conn, "last_error", None)
        status = error.error_status_hint if error is not None else 400
        if status == 431:
            code = problems.REQUEST_HEADERS_TOO_LARGE
            detail = "the request head (request line and headers) is too large"
        else:
            status, code = 400, problems.MALFORMED_REQUEST
            why = str(error).split(":")[0] if error is not None else msg
            detail = f"the request is not valid HTTP/1.1 ({why})"
        body = json.dumps(
            {
                "type": TYPE_PREFIX + code.lower().replace("_", "-"),
                "title": _reason(status),
                "status": status,
                "detail": detail,
                "code": code,
            },
            separators=(",", ":"),
        ).encode("ascii")
        headers = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode("ascii")),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
        ]
        reason = _reason(status).encode("ascii")
        for event in (
            h11.Response(status_code=status, headers=headers, reason=reason),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            output = self.conn.send(event)
            if output:
                self.transport.write(output)
        self.transport.close()


def _reason(status: int) -> str:
    """The reason phrase of the two statuses this module sends."""
    return "Request Header Fields Too Large" if status == 431 else "Bad Request"


def http_protocol() -> type[asyncio.Protocol] | str:
    """The ``http`` setting for uvicorn: this protocol where uvicorn's ``auto`` picks h11.

    With httptools installed uvicorn prefers it, and it keeps its own answers.
    """
    if importlib.util.find_spec("httptools") is None:
        return ProblemH11Protocol
    return "auto"
