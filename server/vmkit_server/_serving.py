"""uvicorn's server, made to end the app's live streams when it shuts down.

On SIGTERM (or ``should_exit``) uvicorn stops accepting connections and then waits for every
open response to finish before it sends the ASGI lifespan shutdown. An event stream never
finishes by itself, so without this the server would wait forever for its subscribers.
"""

from __future__ import annotations

import socket

import uvicorn

__all__ = ["StreamClosingServer"]


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
