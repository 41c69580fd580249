"""MCP shapes of tools and of their results: an API answer becomes a ``CallToolResult``.

JSON answers become structured content (and the same JSON as text, for clients that read
only text); images become image content; other bytes are described in JSON, as text when
they decode as UTF-8 and as base64 otherwise. A 4xx/5xx answer is a tool error (``isError``)
whose structured content is the API's problem document, ``code`` included.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import mcp.types as types

from vmkit._mcp._tools import ArgumentError, ToolSpec

__all__ = ["INSTRUCTIONS", "error_result", "mcp_tool", "tool_result"]

#: What an MCP server of vmkit tells the agent about its tools (at initialization).
INSTRUCTIONS = """\
vmkit creates and drives virtual machines. Each tool is one operation of the vmkit API and
takes its path and query parameters by name, and its JSON request body as `body`.
Lifecycle actions (createVm, startVm, stopVm, ...) answer at once with an Operation; call
waitOperation with its id to learn how it ended. Errors come back as RFC 9457 problem
documents with a stable `code` (VM_NOT_FOUND, VM_INVALID_STATE, VALIDATION_FAILED, ...)."""


def mcp_tool(spec: ToolSpec) -> types.Tool:
    """The MCP description of a tool.

    Args:
        spec: The tool.

    Returns:
        The tool as ``tools/list`` shows it.
    """
    return types.Tool(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        input_schema=spec.input_schema,
        annotations=types.ToolAnnotations(
            title=spec.title,
            read_only_hint=spec.read_only,
            idempotent_hint=spec.idempotent,
            open_world_hint=False,
        ),
    )


def tool_result(response: httpx.Response) -> types.CallToolResult:
    """A tool call's result from the API's answer.

    Args:
        response: The answer, its body read.

    Returns:
        The result; ``is_error`` for a 4xx/5xx answer.
    """
    media_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    if response.status_code >= 400:
        return error_result(_problem(response, media_type))
    if media_type.startswith("image/"):
        data = base64.b64encode(response.content).decode("ascii")
        return types.CallToolResult(content=[types.ImageContent(data=data, mime_type=media_type)])
    if not response.content:
        return _structured({"status": response.status_code})
    if media_type == "application/json" or media_type.endswith("+json"):
        body = response.json()
        return _structured(body if isinstance(body, dict) else {"result": body})
    described: dict[str, Any] = {"content_type": media_type, "size": len(response.content)}
    try:
        described["text"] = response.content.decode("utf-8")
    except UnicodeDecodeError:
        described["content_base64"] = base64.b64encode(response.content).decode("ascii")
    return _structured(described)


def error_result(problem: dict[str, Any] | ArgumentError) -> types.CallToolResult:
    """A tool error carrying a problem document.

    Args:
        problem: The API's problem document, or arguments that could not make a request.

    Returns:
        A result with ``is_error`` set and the problem as structured content.
    """
    body = problem.problem() if isinstance(problem, ArgumentError) else problem
    return _structured(body, is_error=True)


def _structured(body: dict[str, Any], *, is_error: bool = False) -> types.CallToolResult:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content=body, is_error=is_error
    )


def _problem(response: httpx.Response, media_type: str) -> dict[str, Any]:
    if media_type.endswith("json"):
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            return body
    return {
        "title": response.reason_phrase,
        "status": response.status_code,
        "detail": response.text[:2000],
    }
