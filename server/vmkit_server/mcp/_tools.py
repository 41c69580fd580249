"""The server's MCP tools: built once from the spec it routes by, shown by token scope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vmkit._mcp._tools import ToolSpec, tools_from_spec

from ..core.auth import Principal

__all__ = ["PRINCIPAL_KEY", "ToolSpec", "tools_by_name", "visible_to"]

#: Where the ``/mcp`` endpoint leaves the authenticated `Principal` in the ASGI scope.
PRINCIPAL_KEY = "vmkit.principal"


def tools_by_name(spec: Mapping[str, Any]) -> dict[str, ToolSpec]:
    """One tool per operation of the document (the SDK's rules, so `vmkit mcp` agrees).

    Args:
        spec: The OpenAPI document.

    Returns:
        The tools by name, in the document's order.

    Raises:
        ValueError: The document cannot be turned into tools (see `tools_from_spec`).
    """
    return {tool.name: tool for tool in tools_from_spec(spec)}


def visible_to(tools: Mapping[str, ToolSpec], principal: Principal) -> list[ToolSpec]:
    """The tools whose operation the principal's token may call.

    Args:
        tools: All tools.
        principal: Who asks.

    Returns:
        Those tools, in order.
    """
    return [tool for tool in tools.values() if principal.allows(tool.scope)]
