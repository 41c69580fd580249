"""The MCP server behind ``/mcp``: tools/list and tools/call over streamable HTTP.

Stateless and JSON-only: every MCP request is one HTTP POST answered with one JSON body,
authenticated on its own. There are no sessions to keep, to bind to a token or to lose on a
restart, and no long-lived stream to hold a shutdown up; vmkit's tools need neither
server-initiated messages nor progress notifications.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

import mcp.types as types
from mcp.server import Server, ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.exceptions import MCPError
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from vmkit._mcp._results import INSTRUCTIONS, error_result, mcp_tool, tool_result
from vmkit._mcp._tools import ArgumentError

from .. import __version__
from ..core.auth import Principal
from ._call import InProcessCaller
from ._tools import PRINCIPAL_KEY, ToolSpec, visible_to

__all__ = ["McpService"]

_INSTRUCTIONS = INSTRUCTIONS + "\nThe tools listed are those your token's scopes allow."


class McpService:
    """The MCP server, its streamable-HTTP session manager and the in-process caller.

    Args:
        tools: The tools, by name.
        router: The app tool calls are sent to (the spec router).
    """

    def __init__(self, tools: Mapping[str, ToolSpec], router: ASGIApp) -> None:
        self._tools = dict(tools)
        self._described = {name: mcp_tool(tool) for name, tool in tools.items()}
        self._caller = InProcessCaller(router)
        server: Server[Any] = Server(
            "vmkit",
            version=__version__,
            title="vmkit",
            instructions=_INSTRUCTIONS,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )
        self._manager = StreamableHTTPSessionManager(app=server, stateless=True, json_response=True)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run the session manager in a task of its own until `stop`.

        Raises:
            Exception: Whatever kept the manager from starting.
        """
        ready = asyncio.Event()

        async def run() -> None:
            async with self._manager.run():
                ready.set()
                await self._stop.wait()

        self._task = asyncio.get_running_loop().create_task(run(), name="vmkit-mcp")
        waiter = asyncio.ensure_future(ready.wait())
        await asyncio.wait({self._task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.is_set():
            waiter.cancel()
            await self._task  # raises why it ended

    async def stop(self) -> None:
        """End the manager (requests still in flight are cancelled) and close the caller."""
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._caller.aclose()

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one authenticated MCP request (the principal in ``scope[PRINCIPAL_KEY]``)."""
        await self._manager.handle_request(scope, receive, send)

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        principal = _principal(_request(ctx))
        tools = [self._described[tool.name] for tool in visible_to(self._tools, principal)]
        return types.ListToolsResult(tools=tools)

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        request = _request(ctx)
        tool = self._tools.get(params.name)
        if tool is None:
            raise MCPError(types.INVALID_PARAMS, f"there is no tool named {params.name!r}")
        try:
            outgoing = tool.request(params.arguments)
        except ArgumentError as exc:
            return error_result(exc)
        # Tools the token may not call are still called: the API's 403 says which scope is
        # missing, which helps an agent more than "unknown tool".
        response = await self._caller.send(
            outgoing,
            base_url=str(request.base_url),
            authorization=request.headers["authorization"],
        )
        return tool_result(response)


def _request(ctx: ServerRequestContext[Any]) -> Request:
    if not isinstance(ctx.request, Request):  # only reachable through the endpoint
        raise MCPError(types.INTERNAL_ERROR, "no HTTP request behind this MCP request")
    return ctx.request


def _principal(request: Request) -> Principal:
    principal = request.scope.get(PRINCIPAL_KEY)
    if not isinstance(principal, Principal):
        raise MCPError(types.INTERNAL_ERROR, "the MCP request was not authenticated")
    return principal
