"""MCP tools from the OpenAPI document: one tool per operation, and the request a call makes.

I/O-free and independent of the ``mcp`` package, so the server's ``/mcp`` endpoint and
``vmkit mcp`` (stdio) offer exactly the same tools, built by the same code from the same
document (the server from its own copy, ``vmkit mcp`` from the server's ``/openapi.json``).

A tool's arguments are the operation's path and query parameters by their names, the
``Idempotency-Key`` and ``If-Match`` headers as ``idempotency_key`` and ``if_match``, and the
JSON request body as one ``body`` argument (an octet-stream body as ``content_base64``).
Every ``$ref`` is inlined, so each input schema stands alone.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import quote

from vmkit._mcp._schemas import Resolver

__all__ = [
    "ArgumentError",
    "ToolRequest",
    "ToolSpec",
    "tools_from_spec",
]

_METHODS = ("get", "put", "post", "patch", "delete")
# What a token needs for an operation that names no scope: the strongest one (fail closed),
# as the server does.
_DEFAULT_SCOPE = "admin"
# Headers a tool sends for the agent; the others (If-None-Match would answer an empty 304,
# Last-Event-ID resumes a stream) mean nothing to a tool call.
_TOOL_HEADERS = frozenset({"idempotency-key", "if-match"})
# Query parameters that only shape an event stream; a tool reads the JSON page.
_STREAM_ONLY = frozenset({"last_event_id", "heartbeat_seconds"})
_STREAM = "text/event-stream"
# The MCP tool name rule (SEP-986).
_TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,128}")
_BODY = "body"
_CONTENT_BASE64 = "content_base64"


class ArgumentError(ValueError):
    """A tool's arguments cannot make a request (unknown or missing names, bad base64).

    Args:
        issues: One entry per problem, shaped like the API's validation issues
            (``location``, ``pointer``, ``detail``, ``keyword``).
    """

    def __init__(self, issues: list[dict[str, str]]) -> None:
        super().__init__("; ".join(issue["detail"] for issue in issues))
        self.issues = issues

    def problem(self) -> dict[str, Any]:
        """The error as the API would have answered it: a 422 ``VALIDATION_FAILED`` problem.

        Returns:
            An RFC 9457 problem document.
        """
        count = len(self.issues)
        return {
            "type": "urn:vmkit:problem:validation-failed",
            "title": HTTPStatus.UNPROCESSABLE_ENTITY.phrase,
            "status": 422,
            "detail": f"the arguments are invalid ({count} problem{'s' if count > 1 else ''})",
            "code": "VALIDATION_FAILED",
            "errors": self.issues,
        }


@dataclass(frozen=True, slots=True)
class _Param:
    """Where one argument goes: its argument name, its wire name and location."""

    argument: str
    wire: str
    location: Literal["path", "query", "header"]
    required: bool


@dataclass(frozen=True, slots=True)
class ToolRequest:
    """The HTTP request one tool call makes, ready for any httpx-based sender.

    Attributes:
        method: The HTTP method.
        path: The path, parameters filled in and percent-encoded.
        params: The query: each name's values (several for an array), in order.
        headers: The headers to send (``Accept``, ``Content-Type``, the tool's headers).
        json: The JSON body, or None for none.
        content: The raw body of an octet-stream upload, or None.
    """

    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    json: Any = None
    content: bytes | None = None


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """One API operation as an MCP tool.

    Attributes:
        name: The tool's name: the operation's ``operationId``.
        title: A short human title: the operation's summary.
        description: The summary, the description and how to use the result.
        input_schema: A self-contained JSON Schema (an object) of the arguments.
        method: The operation's HTTP method.
        path: The operation's path template.
        scope: The token scope the operation needs (``x-vmkit-scope``).
    """

    name: str
    title: str
    description: str
    input_schema: dict[str, Any]
    method: str
    path: str
    scope: str
    _params: tuple[_Param, ...] = field(repr=False)
    _body: Literal["json", "binary"] | None = field(repr=False)
    _content_type: str | None = field(repr=False)
    _accept: str = field(repr=False)

    @property
    def read_only(self) -> bool:
        """Whether calling the tool changes nothing (a GET)."""
        return self.method == "GET"

    @property
    def idempotent(self) -> bool:
        """Whether calling it again with the same arguments does nothing more (HTTP's rule)."""
        return self.method in {"GET", "PUT", "DELETE"}

    def allowed_for(self, scopes: Iterable[str]) -> bool:
        """Whether a token with these scopes may call the tool (``admin`` may call all).

        Args:
            scopes: The token's scopes.

        Returns:
            True when the token holds the tool's scope or ``admin``.
        """
        held = set(scopes)
        return self.scope in held or "admin" in held

    def request(self, arguments: Mapping[str, Any] | None) -> ToolRequest:
        """The HTTP request for a call with these arguments.

        Values are not checked against the schema here: the API validates them and answers
        422 with a pointer to what is wrong, exactly as for any other client.

        Args:
            arguments: The tool call's arguments.

        Returns:
            The request to send.

        Raises:
            ArgumentError: An argument the tool does not have, a missing path argument, or
                ``content_base64`` that is not base64.
        """
        args = dict(arguments or {})
        known = {p.argument for p in self._params}
        if self._body == "json":
            known.add(_BODY)
        elif self._body == "binary":
            known.add(_CONTENT_BASE64)
        issues = [
            _issue(name, f"unknown argument {name!r}", "additionalProperties")
            for name in sorted(set(args) - known)
        ]
        path = self.path
        params: dict[str, list[str]] = {}
        headers = {"Accept": self._accept}
        for param in self._params:
            value = args.get(param.argument)
            if value is None:
                if param.location == "path":
                    issues.append(
                        _issue(param.argument, f"{param.argument!r} is required", "required")
                    )
                continue
            if param.location == "path":
                path = path.replace("{" + param.wire + "}", quote(_text(value), safe=""))
            elif param.location == "query":
                values = value if isinstance(value, list) else [value]
                params[param.wire] = [_text(item) for item in values]
            else:
                headers[param.wire] = _text(value)
        body: Any = None
        content: bytes | None = None
        if self._body == "json":
            body = args.get(_BODY)
        elif self._body == "binary" and args.get(_CONTENT_BASE64) is not None:
            try:
                content = base64.b64decode(str(args[_CONTENT_BASE64]), validate=True)
            except (binascii.Error, ValueError):
                issues.append(_issue(_CONTENT_BASE64, "not valid base64", "contentEncoding"))
        if issues:
            raise ArgumentError(issues)
        if (body is not None or content is not None) and self._content_type is not None:
            headers["Content-Type"] = self._content_type
        return ToolRequest(self.method, path, params, headers, json=body, content=content)


def tools_from_spec(spec: Mapping[str, Any]) -> list[ToolSpec]:
    """One tool per operation of an OpenAPI 3.1 document, in the document's order.

    Left out: operations that need no token (health, readiness, the document itself),
    operations whose body is neither JSON nor an octet stream, and those that answer only
    with an event stream. The event log is read as its JSON page (the stream-only
    parameters are left out).

    Args:
        spec: The parsed OpenAPI document.

    Returns:
        The tools.

    Raises:
        ValueError: An ``operationId`` is not a valid tool name, two arguments of one tool
            share a name, or a ``$ref`` cannot be resolved or refers to itself.
    """
    resolver = Resolver(spec)
    default_security = spec.get("security", [])
    tools = []
    for template, item in spec.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is None or not op.get("security", default_security):
                continue
            tool = _tool(resolver, template, method.upper(), op, item.get("parameters", []))
            if tool is not None:
                tools.append(tool)
    return tools


def _tool(
    resolver: Resolver,
    template: str,
    method: str,
    op: Mapping[str, Any],
    shared_params: list[Any],
) -> ToolSpec | None:
    name = op["operationId"]
    if not _TOOL_NAME.fullmatch(name):
        raise ValueError(f"operationId {name!r} is not a valid MCP tool name")
    properties: dict[str, Any] = {}
    required: list[str] = []
    params: list[_Param] = []
    for raw in _merged(resolver, shared_params, op.get("parameters", [])):
        location = raw["in"]
        wire = raw["name"]
        if location == "header" and wire.lower() not in _TOOL_HEADERS:
            continue
        if location not in {"path", "query", "header"} or wire in _STREAM_ONLY:
            continue
        argument = wire.lower().replace("-", "_") if location == "header" else wire
        schema = resolver.inline(raw.get("schema", {}))
        if raw.get("description"):
            schema = {**schema, "description": raw["description"].strip()}
        param = _Param(argument, wire, location, location == "path" or raw.get("required", False))
        _add(properties, required, argument, schema, param.required, name)
        params.append(param)
    body_kind, content_type = _body(resolver, op, properties, required, name)
    answers = _answers(resolver, op)
    if body_kind == "unsupported" or answers == [_STREAM]:
        return None  # a tool call is one answer: never an endless stream
    input_schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        input_schema["required"] = required
    input_schema["additionalProperties"] = False
    scope = op.get("x-vmkit-scope", _DEFAULT_SCOPE)
    summary = op.get("summary", "").strip()
    return ToolSpec(
        name=name,
        title=summary.rstrip(".") or name,
        description=_description(op, summary, scope),
        input_schema=input_schema,
        method=method,
        path=template,
        scope=scope,
        _params=tuple(params),
        _body=body_kind,
        _content_type=content_type,
        _accept=_accept(answers),
    )


def _merged(resolver: Resolver, shared: list[Any], own: list[Any]) -> list[dict[str, Any]]:
    """Path-item parameters overridden by the operation's, by (name, location) (OpenAPI)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*shared, *own]:
        param = resolver.follow(raw)
        found[(param["name"], param["in"])] = param
    # path first (they are required and name the resource), then the rest in spec order
    return sorted(found.values(), key=lambda p: p["in"] != "path")


def _body(
    resolver: Resolver,
    op: Mapping[str, Any],
    properties: dict[str, Any],
    required: list[str],
    tool: str,
) -> tuple[Literal["json", "binary", "unsupported"] | None, str | None]:
    if "requestBody" not in op:
        return None, None
    body = resolver.follow(op["requestBody"])
    content: Mapping[str, Any] = body.get("content", {})
    is_required = bool(body.get("required", False))
    for media_type, media in content.items():
        if media_type == "application/json" or media_type.endswith("+json"):
            schema = resolver.inline(media.get("schema", {}))
            if body.get("description"):
                schema = {**schema, "description": body["description"].strip()}
            _add(properties, required, _BODY, schema, is_required, tool)
            return "json", media_type
    if "application/octet-stream" in content:
        schema = {
            "type": "string",
            "contentEncoding": "base64",
            "description": "The bytes to send, base64-encoded.",
        }
        _add(properties, required, _CONTENT_BASE64, schema, is_required, tool)
        return "binary", "application/octet-stream"
    return "unsupported", None


def _add(
    properties: dict[str, Any],
    required: list[str],
    argument: str,
    schema: dict[str, Any],
    is_required: bool,
    tool: str,
) -> None:
    if argument in properties:
        raise ValueError(f"tool {tool!r} has two arguments named {argument!r}")
    properties[argument] = schema
    if is_required:
        required.append(argument)


def _answers(resolver: Resolver, op: Mapping[str, Any]) -> list[str]:
    """The media types of the operation's success answers, in order."""
    types: list[str] = []
    for status, response in op.get("responses", {}).items():
        if str(status).startswith("2"):
            for media_type in resolver.follow(response).get("content", {}):
                if media_type not in types:
                    types.append(media_type)
    return types


def _accept(answers: list[str]) -> str:
    types = [media_type for media_type in answers if media_type != _STREAM]
    if "application/json" not in types:
        types.append("application/json")
    return ", ".join([*types, "application/problem+json"])


def _description(op: Mapping[str, Any], summary: str, scope: str) -> str:
    parts = [summary] if summary else []
    if op.get("description"):
        parts.append(op["description"].strip())
    if "202" in op.get("responses", {}):
        parts.append(
            "Answers at once with an Operation (the work goes on in the background): "
            "follow it with waitOperation (or getOperation) until its state is final."
        )
    parts.append(f"Needs a token with the `{scope}` scope.")
    return "\n\n".join(parts)


def _issue(argument: str, detail: str, keyword: str) -> dict[str, str]:
    return {
        "location": "arguments",
        "pointer": "/" + argument.replace("~", "~0").replace("/", "~1"),
        "detail": detail,
        "keyword": keyword,
    }


def _text(value: Any) -> str:
    """A parameter value as it goes on the wire (booleans as JSON spells them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)
