"""The spec-driven router: OpenAPI operations in, validated handler calls out.

`SpecRouter` is an ASGI app built once from an OpenAPI 3.1 document and one handler per
``operationId``. For each request it matches the path template (``:verb`` suffixes included),
authenticates, coerces and validates parameters and the JSON body, calls the handler, and turns
every failure into ``application/problem+json``. Every response carries ``X-Request-Id``.
Operations that declare an ``If-None-Match`` header answer ``304 Not Modified`` when it names
the ETag of the handler's 200 answer.
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import problems
from ._body import read_binary_body, read_json_body
from ._etags import matches_weakly
from ._limits import DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_URL_BYTES, check_request_head
from ._openapi import OperationInfo, OperationSpec, load_operations
from ._paths import PathTable
from ._validation import MISSING, SchemaCompiler, issue, json_pointer
from .problems import ProblemError, problem_response

__all__ = ["Authenticator", "Call", "Handler", "Observer", "OperationInfo", "SpecRouter"]

logger = logging.getLogger("vmkit_server")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=-]{1,128}")
_ID_PREFIX = secrets.token_hex(6)
_ID_COUNTER = itertools.count(1)


@dataclass(slots=True)
class Call:
    """One validated request, as a handler receives it.

    Attributes:
        operation: The spec's description of the operation being called.
        request: The Starlette request (its body, if any, is already read).
        path: Path parameters, coerced, by spec name.
        query: Declared query parameters that were sent or have a default, coerced.
        headers: Declared header parameters that were sent or have a default, by spec name.
        body: The parsed JSON body (bytes for an octet-stream body), or None when none was
            sent.
        principal: What the authenticator returned (None for operations without security).
        request_id: The id echoed in ``X-Request-Id``; put it in logs.
    """

    operation: OperationInfo
    request: Request
    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, Any]
    body: Any
    principal: Any
    request_id: str


Handler = Callable[[Call], Awaitable[Response]]
Observer = Callable[[str, int, float], None]
Authenticator = Callable[[Request, OperationInfo], Awaitable[Any]]


@dataclass(slots=True)
class _Route:
    """The operations of one path template, with the ``Allow`` header for a 405."""

    methods: dict[str, tuple[OperationSpec, Handler]]
    allow: str


class SpecRouter:
    """An ASGI app that serves exactly the operations an OpenAPI 3.1 document describes.

    Args:
        spec: The OpenAPI document (already parsed from YAML/JSON).
        handlers: One coroutine function per ``operationId``.
        authenticate: Called for operations whose effective ``security`` is not empty, before
            anything about the request is validated; returns the principal or raises a
            `ProblemError` (401/403). None disables authentication.
        max_body_bytes: Largest JSON request body accepted (413 beyond).
        max_upload_bytes: Largest ``application/octet-stream`` body (a file upload) accepted.
        max_url_bytes: Largest path plus query string (414 beyond).
        max_header_bytes: Largest header block (431 beyond).
        on_error: Told about every unexpected exception (after it is logged), e.g. for metrics.
        fallback: ASGI app for paths the spec does not describe (e.g. ``/docs``, ``/metrics``)
            and for non-HTTP scopes; without one such paths get a 404 problem.
        observer: Called after every HTTP answer with (operationId or ``unmatched``,
            status, seconds taken): cheap metrics without wrapping ``send``.

    Raises:
        ValueError: An operation has no handler, a handler has no operation, or the spec uses
            a construct the router does not support.
    """

    def __init__(
        self,
        spec: Mapping[str, Any],
        handlers: Mapping[str, Handler],
        *,
        authenticate: Authenticator | None = None,
        max_body_bytes: int = 1 << 20,
        max_upload_bytes: int = 64 << 20,
        max_url_bytes: int = DEFAULT_MAX_URL_BYTES,
        max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES,
        on_error: Callable[[BaseException, Request], None] | None = None,
        fallback: ASGIApp | None = None,
        observer: Observer | None = None,
    ) -> None:
        table = load_operations(spec, SchemaCompiler(spec))
        declared = {op.info.operation_id for ops in table.values() for op in ops.values()}
        missing = sorted(declared - set(handlers))
        unknown = sorted(set(handlers) - declared)
        if missing or unknown:
            parts = []
            if missing:
                parts.append("operations without a handler: " + ", ".join(missing))
            if unknown:
                parts.append("handlers for operations the spec lacks: " + ", ".join(unknown))
            raise ValueError("; ".join(parts))
        routes: dict[str, _Route] = {}
        for template, ops in table.items():
            methods = {m: (op, handlers[op.info.operation_id]) for m, op in ops.items()}
            allowed = list(methods)
            if "GET" in methods and "HEAD" not in methods:
                allowed.append("HEAD")
            routes[template] = _Route(methods=methods, allow=", ".join(allowed))
        self._routes = PathTable(routes)
        self._authenticate = authenticate
        self._max_body_bytes = max_body_bytes
        self._max_upload_bytes = max_upload_bytes
        self._max_url_bytes = max_url_bytes
        self._max_header_bytes = max_header_bytes
        self._on_error = on_error
        self._fallback = fallback
        self._observer = observer
        self.operations: dict[str, OperationInfo] = {
            op.info.operation_id: op.info for ops in table.values() for op in ops.values()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http":
            await self._not_http(scope, receive, send)
            return
        if self._observer is None:
            await self._http(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self._http(scope, receive, send)
        finally:
            self._observer(
                scope.get("vmkit.operation_id", "unmatched"),
                scope.get("vmkit.status", 500),
                time.perf_counter() - started,
            )

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = _request_id(scope)
        method: str = scope["method"]
        if method == "HEAD":
            send = _headless(send)
        try:
            check_request_head(
                scope, max_url_bytes=self._max_url_bytes, max_header_bytes=self._max_header_bytes
            )
        except ProblemError as too_large:
            response = self._problem(too_large, scope, request_id)
            await _send(response, request_id, scope, receive, send)
            return
        raw_path: bytes | None = scope.get("raw_path")
        root_path: str = scope.get("root_path", "")
        if raw_path is not None and not root_path:
            found = self._routes.match(raw_path.partition(b"?")[0].decode("utf-8", "replace"))
        else:
            path: str = scope["path"]
            if root_path and path.startswith(root_path):
                path = path[len(root_path) :]
            found = self._routes.match(path, decode=False)
        if found is None:
            if self._fallback is not None:
                await self._fallback(scope, receive, send)
                return
            response = self._problem(
                ProblemError(404, problems.NOT_FOUND, "no such resource or action"),
                scope,
                request_id,
            )
            await _send(response, request_id, scope, receive, send)
            return
        route, path_params = found
        entry = route.methods.get(method)
        if entry is None and method == "HEAD":
            entry = route.methods.get("GET")
        if entry is None:
            detail = f"{method} is not allowed here; allowed: {route.allow}"
            exc = ProblemError(
                405, problems.METHOD_NOT_ALLOWED, detail, headers={"Allow": route.allow}
            )
            await _send(self._problem(exc, scope, request_id), request_id, scope, receive, send)
            return
        scope["vmkit.operation_id"] = entry[0].info.operation_id  # for metrics and logs
        request = Request(scope, receive)
        try:
            response = await self._dispatch(entry, request, path_params, request_id)
        except ProblemError as exc:
            response = self._problem(exc, scope, request_id)
        except ClientDisconnect:
            return
        except Exception as exc:
            response = self._internal_error(exc, request, request_id)
        await _send(response, request_id, scope, receive, send)

    async def _dispatch(
        self,
        entry: tuple[OperationSpec, Handler],
        request: Request,
        path_params: dict[str, str],
        request_id: str,
    ) -> Response:
        op, handler = entry
        scope = request.scope
        principal = None
        if op.info.security and self._authenticate is not None:
            principal = await self._authenticate(request, op.info)
        issues: list[dict[str, Any]] = []
        path: dict[str, Any] = {}
        for param in op.path:
            value = param.load_one(path_params[param.name], issues)
            if value is not MISSING:
                path[param.name] = value
        query = _query(op, scope["query_string"], issues)
        headers = _headers(op, scope["headers"], issues)
        body = None
        if op.body is not None and op.body.binary:
            body = await read_binary_body(op.body, request, self._max_upload_bytes, issues)
        elif op.body is not None or _may_have_body(scope):
            body = await read_json_body(op.body, request, self._max_body_bytes, issues)
        if issues:
            raise ProblemError(
                422,
                problems.VALIDATION_FAILED,
                f"the request is invalid ({len(issues)} problem{'s' if len(issues) > 1 else ''})",
                errors=issues,
            )
        call = Call(op.info, request, path, query, headers, body, principal, request_id)
        response = await handler(call)
        condition = headers.get("If-None-Match")
        if condition is not None and response.status_code == 200:
            return _not_modified(response, condition)
        return response

    def _problem(self, exc: ProblemError, scope: Scope, request_id: str) -> Response:
        return problem_response(exc, instance=scope["path"], request_id=request_id)

    def _internal_error(self, exc: Exception, request: Request, request_id: str) -> Response:
        scope = request.scope
        logger.error(
            "unhandled error in %s %s (request %s)",
            scope["method"],
            scope["path"],
            request_id,
            exc_info=exc,
        )
        if self._on_error is not None:
            try:
                self._on_error(exc, request)
            except Exception:
                logger.exception("on_error hook failed (request %s)", request_id)
        detail = f"internal error; see the server log for request {request_id}"
        return self._problem(ProblemError(500, problems.INTERNAL_ERROR, detail), scope, request_id)

    async def _not_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._fallback is not None:
            await self._fallback(scope, receive, send)
        elif scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1000})


def _request_id(scope: Scope) -> str:
    for key, value in scope["headers"]:
        if key == b"x-request-id":
            sent: str = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(sent):
                return sent
            break
    # Unique, not secret: a random per-process prefix and a counter are enough, and cheap.
    return f"req_{_ID_PREFIX}{next(_ID_COUNTER):010x}"


def _may_have_body(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == b"transfer-encoding" or (key == b"content-length" and value.strip() != b"0"):
            return True
    return False


def _query(op: OperationSpec, query_string: bytes, issues: list[dict[str, Any]]) -> dict[str, Any]:
    sent: dict[str, list[str]] = {}
    if query_string:
        for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
            sent.setdefault(key, []).append(value)
        for key in sent:
            if key not in op.query:
                pointer = json_pointer([key])
                issues.append(
                    issue(
                        "query", pointer, f"unknown query parameter {key!r}", "additionalProperties"
                    )
                )
    if not op.query:
        return {}
    values: dict[str, Any] = {}
    for name, param in op.query.items():
        value = param.load(sent.get(name, []), issues)
        if value is not MISSING:
            values[name] = value
    return values


def _headers(
    op: OperationSpec, raw: list[tuple[bytes, bytes]], issues: list[dict[str, Any]]
) -> dict[str, Any]:
    if not op.headers:
        return {}
    sent: dict[bytes, list[str]] = {}
    for key, value in raw:
        if key in op.headers:
            sent.setdefault(key, []).append(value.decode("latin-1"))
    values: dict[str, Any] = {}
    for key, param in op.headers.items():
        texts = sent.get(key, [])
        # Repeated header lines are one comma-separated list (RFC 9110 section 5.3).
        value = param.load([", ".join(texts)] if len(texts) > 1 else texts, issues)
        if value is not MISSING:
            values[param.name] = value
    return values


def _not_modified(response: Response, condition: str) -> Response:
    """304 without a body if `If-None-Match` names the answer's ETag (RFC 9110 13.1.2)."""
    for name, value in response.raw_headers:
        if name == b"etag":
            etag = value.decode("latin-1")
            if matches_weakly(condition, etag):
                return Response(status_code=304, headers={"ETag": etag})
            break
    return response


def _headless(send: Send) -> Send:
    """A `send` that keeps the headers (Content-Length included) but drops the body: HEAD."""

    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_headers_only


async def _send(
    response: Response, request_id: str, scope: Scope, receive: Receive, send: Send
) -> None:
    scope["vmkit.status"] = response.status_code  # for the observer
    response.raw_headers.append((b"x-request-id", request_id.encode("latin-1")))
    await response(scope, receive, send)
