"""``/mcp``: the ASGI endpoint in front of the MCP server, with vmkit's bearer tokens.

The tools are built from the spec when the app is built (a spec that cannot become tools
fails the start), but the ``mcp`` package is imported, and its session manager started, on
the first request to ``/mcp``: importing it takes long, and most servers never see an agent.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ..core.auth import Principal
from ..problems import METHOD_NOT_ALLOWED, ProblemError, problem_response
from ._tools import PRINCIPAL_KEY, tools_by_name

if TYPE_CHECKING:
    from ._server import McpService

__all__ = ["MCP_PATH", "McpEndpoint"]

MCP_PATH = "/mcp"


class McpEndpoint:
    """The ASGI app served at ``/mcp``.

    Only POST is served (stateless streamable HTTP: no session, hence no GET stream and no
    DELETE); anything else is 405. A request without a valid token is 401 before the MCP
    layer sees it.

    Args:
        spec: The OpenAPI document the tools are made from.
        router: The app tool calls go to (the spec router).
        authenticate: The principal behind a request's ``Authorization`` header; raises
            a 401 `ProblemError` when there is none.

    Raises:
        ValueError: The spec cannot be turned into tools.
    """

    def __init__(
        self,
        spec: Mapping[str, Any],
        router: ASGIApp,
        *,
        authenticate: Callable[[Scope], Principal],
    ) -> None:
        self.tools = tools_by_name(spec)
        self._router = router
        self._authenticate = authenticate
        self._service: McpService | None = None
        self._starting = asyncio.Lock()
        self._stopped = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if scope["method"] != "POST":
                raise ProblemError(
                    405,
                    METHOD_NOT_ALLOWED,
                    f"{scope['method']} is not allowed here; MCP requests are POSTed",
                    headers={"Allow": "POST"},
                )
            scope[PRINCIPAL_KEY] = self._authenticate(scope)
            service = await self._running()
        except ProblemError as exc:
            response = problem_response(exc, instance=scope["path"], request_id=None)
            await response(scope, receive, send)
            return
        await service.handle(scope, receive, send)

    async def stop(self) -> None:
        """Stop the MCP server if it was started; later requests are answered 503."""
        async with self._starting:
            self._stopped = True
            if self._service is not None:
                await self._service.stop()
                self._service = None

    async def _running(self) -> McpService:
        async with self._starting:
            if self._stopped:
                raise ProblemError(503, "UNAVAILABLE", "the server is shutting down")
            if self._service is None:
                service = (await _service_class())(self.tools, self._router)
                await service.start()
                self._service = service
            return self._service


async def _service_class() -> type[McpService]:
    """`McpService`, imported in a thread: importing ``mcp`` would stall every other request."""
    try:
        module = await asyncio.to_thread(importlib.import_module, f"{__package__}._server")
    except ImportError as exc:
        raise ProblemError(
            501, "NOT_IMPLEMENTED", f"MCP needs the 'mcp' package, which is missing: {exc}"
        ) from exc
    service_class: type[McpService] = module.McpService
    return service_class
