"""uvicorn's server, made to end the app's live streams when it shuts down, and the
protocol options every vmkit server is served with (CLI and tests alike).

On SIGTERM (or ``should_exit``) uvicorn stops accepting connections and then waits for every
open response to finish before it sends the ASGI lifespan shutdown. An event stream never
finishes by itself, so without this the server would wait forever for its subscribers.
"""

from __future__ import annotations

import socket
from typing import Any

import uvicorn

from ._h11 import http_protocol
from ._limits import DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_URL_BYTES

__all__ = ["StreamClosingServer", "protocol_options"]


def protocol_options() -> dict[str, Any]:
    """`uvicorn.Config` keywords for HTTP: problem+json for malformed requests, no server
    header, and h11's head bound as a backstop behind the app's own 414/431 limits."""
    return {
        "http": http_protocol(),
        "server_header": False,
        "h11_max_incomplete_event_size": DEFAULT_MAX_URL_BYTES + DEFAULT_MAX_HEADER_BYTES,
    }


class StreamClosingServer(uvicorn.Server):
    """A `uvicorn.Server` that calls its app's ``close_streams()`` before waiting for
    connections to finish (apps without one are served as usual)."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """End the app's streams, then shut down as uvicorn does.

        Args:
            sockets: The listening sockets uvicorn was given, if any.
        """
        close_streams = getattr(self.config.app, "close_streams", None)
        if callable(close_streams):
            close_streams()
        await super().shutdown(sockets=sockets)
