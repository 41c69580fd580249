"""``/mcp``: the API's operations as MCP tools for AI agents (streamable HTTP).

One tool per operation (named by its ``operationId``), shown to a token only when it holds
the operation's scope; a call is the real API request, made in-process. See ``docs/mcp.md``.
"""

from __future__ import annotations

from ._endpoint import MCP_PATH, McpEndpoint

__all__ = ["MCP_PATH", "McpEndpoint"]
