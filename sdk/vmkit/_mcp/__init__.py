"""MCP (Model Context Protocol) support: the API's operations as tools for AI agents.

Private. ``vmkit mcp`` serves the tools over stdio (see `vmkit._mcp._stdio`); the server's
``/mcp`` endpoint builds the same tools with `vmkit._mcp._tools` and shapes results with
`vmkit._mcp._results`. Only `_results` and `_stdio` import the optional ``mcp`` package, so
importing this package or `_tools` does not need it.
"""

from __future__ import annotations

__all__: list[str] = []
