"""``vmkit mcp``: the API's operations as MCP tools over stdio, for desktop AI agents.

The tools are made from the server's own ``/openapi.json`` (fetched once at start, so they
match the server's version of the API) by the same code as the server's ``/mcp``; each call
goes through the SDK's transport, with its retries, idempotency keys and typed errors.
Importing this module needs the optional ``mcp`` package (``pip install 'vmkit[mcp]'``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import mcp.types as types
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError

from vmkit._async._transport import AsyncTransport
from vmkit._async.client import AsyncClient
from vmkit._core.version import sdk_version
from vmkit._mcp._results import INSTRUCTIONS, error_result, mcp_tool, tool_result
from vmkit._mcp._tools import ArgumentError, ToolRequest, ToolSpec, tools_from_spec
from vmkit.errors import APIConnectionError, APIStatusError

__all__ = ["StdioTools", "serve_stdio"]

_INSTRUCTIONS = (
    INSTRUCTIONS + "\nA tool your token may not use answers PERMISSION_DENIED, naming the scope."
)


class StdioTools:
    """The tools of one vmkit server, called through an SDK transport.

    Args:
        transport: Where calls go (its token is the caller's).
        tools: The tools to offer.
        timeout: Seconds per call (None: no deadline); a long poll's own wait is added.
    """

    def __init__(
        self,
        transport: AsyncTransport,
        tools: Collection[ToolSpec],
        *,
        timeout: float | None = 30.0,
    ) -> None:
        self._transport = transport
        self._timeout = timeout
        self._tools = {tool.name: tool for tool in tools}
        self._described = [mcp_tool(tool) for tool in tools]

    @classmethod
    async def fetch(
        cls,
        transport: AsyncTransport,
        *,
        scopes: Collection[str] | None = None,
        timeout: float | None = 30.0,
    ) -> StdioTools:
        """Read the server's API document and make its tools.

        Args:
            transport: Where calls go.
            scopes: Offer only the tools a token with these scopes may call (None: all;
                the server refuses what the token may not do either way).
            timeout: Seconds per call (see the class).

        Returns:
            The tools.

        Raises:
            vmkit.errors.APIError: The document could not be read.
            ValueError: It cannot be turned into tools.
        """
        spec = (await transport.request("GET", "/openapi.json")).json()
        tools = [t for t in tools_from_spec(spec) if scopes is None or t.allowed_for(scopes)]
        return cls(transport, tools, timeout=timeout)

    def server(self) -> Server[Any]:
        """An MCP server offering these tools.

        Returns:
            The low-level MCP server (run it over any transport).
        """
        return Server(
            "vmkit",
            version=sdk_version(),
            title="vmkit",
            instructions=_INSTRUCTIONS,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )

    async def call(self, name: str, arguments: dict[str, Any] | None) -> types.CallToolResult:
        """Call a tool: one API request.

        Args:
            name: The tool's name.
            arguments: Its arguments.

        Returns:
            The result; a tool error for a 4xx/5xx answer, bad arguments or no answer.

        Raises:
            MCPError: There is no such tool.
        """
        tool = self._tools.get(name)
        if tool is None:
            raise MCPError(types.INVALID_PARAMS, f"there is no tool named {name!r}")
        try:
            request = tool.request(arguments)
        except ArgumentError as exc:
            return error_result(exc)
        try:
            response = await self._transport.request(
                request.method,
                request.path,
                params=request.params,
                json=request.json,
                content=request.content,
                headers=request.headers,
                timeout=_deadline(request, self._timeout),
            )
        except APIStatusError as exc:
            return tool_result(exc.response)
        except APIConnectionError as exc:
            return error_result({"title": "No answer from the vmkit server", "detail": str(exc)})
        return tool_result(response)

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self._described)

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        return await self.call(params.name, params.arguments)


async def serve_stdio(
    base_url: str | None,
    token: str | None,
    *,
    timeout: float | None = 30.0,
    scopes: Collection[str] | None = None,
) -> None:
    """Serve the tools of a vmkit server over stdin/stdout until stdin closes.

    Args:
        base_url: The server's URL (default ``$VMKIT_URL`` or the local server).
        token: The bearer token (default ``$VMKIT_TOKEN`` or the local token file).
        timeout: Seconds per call (a long poll's own wait is added).
        scopes: Offer only the tools these scopes allow (None: all).

    Raises:
        vmkit.errors.APIError: The server's API document could not be read.
    """
    async with AsyncClient(base_url, token, timeout=timeout) as client:
        tools = await StdioTools.fetch(client._transport, scopes=scopes, timeout=timeout)
        server = tools.server()
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())


def _deadline(request: ToolRequest, base: float | None) -> float | None:
    """The call's deadline: `base` plus the wait a long poll (``timeout_seconds``) asks for."""
    if base is None:
        return None
    waits = request.params.get("timeout_seconds", [])
    try:
        return base + max((float(v) for v in waits), default=0.0)
    except ValueError:  # the server will refuse the value anyway
        return base
