"""A tool call as a real API request, made in-process against the spec router.

Going through the router (not calling `core/` directly) keeps a tool call exactly an API
call: the same validation, scope check, idempotency, metrics and problem answers.
"""

from __future__ import annotations

from typing import Any, cast

import httpx
from starlette.types import ASGIApp

from vmkit._mcp._tools import ToolRequest

__all__ = ["InProcessCaller"]


class InProcessCaller:
    """Sends tool requests to an ASGI app without a socket.

    Args:
        app: The app to call (the server's spec router).
    """

    def __init__(self, app: ASGIApp) -> None:
        transport = httpx.ASGITransport(app=cast(Any, app))
        self._http = httpx.AsyncClient(transport=transport)

    async def send(
        self, request: ToolRequest, *, base_url: str, authorization: str
    ) -> httpx.Response:
        """Make the request as the caller: with their ``Authorization`` header.

        Args:
            request: What the tool call asks for.
            base_url: The URL the MCP request came to, without the path (it becomes the
                in-process request's host, for any absolute URL in the answer).
            authorization: The MCP request's ``Authorization`` header.

        Returns:
            The answer, its body read (errors included: they are answers too).
        """
        return await self._http.request(
            request.method,
            base_url.rstrip("/") + request.path,
            params=request.params,
            json=request.json,
            content=request.content,
            headers={**request.headers, "Authorization": authorization},
        )

    async def aclose(self) -> None:
        """Release the client."""
        await self._http.aclose()
