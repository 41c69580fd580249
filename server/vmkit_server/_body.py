"""Reading a request body: media type, size limit, then JSON syntax and schema (or raw bytes)."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import ClientDisconnect, Request

from . import problems
from ._validation import BodySpec, issue
from .problems import ProblemError

__all__ = ["read_binary_body", "read_json_body"]

_JSON = "application/json"
_BYTES = "application/octet-stream"
# A `\uD800`-`\uDFFF` escape: the only way a lone surrogate gets into a parsed body.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _lone_surrogate(value: Any) -> str | None:
    """The first string (value or key) of a parsed body holding a lone UTF-16 surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return item
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _json_media_type(content_type: str) -> bool:
    """Whether a Content-Type is ``application/json`` (optionally ``; charset=utf-8``)."""
    media, *params = content_type.split(";")
    if media.strip().lower() != _JSON:
        return False
    for param in params:
        key, _, value = param.partition("=")
        key = key.strip().lower()
        if key == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def _too_large(limit: int) -> ProblemError:
    return ProblemError(
        413,
        problems.PAYLOAD_TOO_LARGE,
        f"the request body is larger than {limit} bytes",
        metadata={"max_bytes": limit},
    )


def _unsupported(detail: str, accept: str = _JSON) -> ProblemError:
    return ProblemError(
        415, problems.UNSUPPORTED_MEDIA_TYPE, detail, headers={"Accept-Post": accept}
    )


async def _read(request: Request, limit: int, content_length: int | None) -> bytes:
    """The raw body, failing with 413 as soon as it is known to pass ``limit``."""
    if content_length is not None and content_length > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    receive = request.receive
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    # Handlers that still call request.body() or .json() get the bytes we consumed.
    request._body = body
    return body


async def read_json_body(
    spec: BodySpec | None, request: Request, limit: int, issues: list[dict[str, Any]]
) -> Any:
    """Read, parse and check the request's JSON body.

    Args:
        spec: The operation's body, or None when it takes none (then any non-empty body is
            refused).
        request: The request (its body not read yet).
        limit: The most bytes accepted.
        issues: Where schema failures are appended (as 422 ``errors[]`` entries).

    Returns:
        The parsed body, or None when the request had none.

    Raises:
        ProblemError: 413 too large, 415 wrong media type or a body where none is taken, 400
            not UTF-8, not JSON, or a string with a lone surrogate (``"\\ud800"``).
        ClientDisconnect: The client went away while sending.
    """
    content_type: str | None = None
    content_length: int | None = None
    for key, value in request.scope["headers"]:
        if key == b"content-type":
            content_type = value.decode("latin-1")
        elif key == b"content-length" and value.strip().isdigit():
            content_length = int(value)
    is_json = content_type is not None and _json_media_type(content_type)
    if spec is not None and content_type is not None and not is_json and content_length != 0:
        raise _unsupported(f"send the request body as {_JSON}, not {content_type}")
    raw = await _read(request, limit, content_length)
    if not raw:
        if spec is not None and spec.required:
            issues.append(issue("body", "", "a JSON request body is required", "required"))
        return None
    if spec is None:
        raise _unsupported("this operation takes no request body")
    if not is_json:
        raise _unsupported(f"send the request body as {_JSON} (Content-Type is missing)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProblemError(
            400, problems.MALFORMED_JSON, f"the request body is not UTF-8: {exc.reason}"
        ) from exc
    try:
        body = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise ProblemError(
            400, problems.MALFORMED_JSON, "the request body is nested too deeply"
        ) from exc
    except ValueError as exc:
        raise ProblemError(
            400, problems.MALFORMED_JSON, f"the request body is not valid JSON: {exc}"
        ) from exc
    # JSON lets `"\ud800"` through, but no Unicode text (so no UTF-8 database or answer) can
    # hold a lone surrogate: refuse it here rather than fail while storing or answering.
    if _SURROGATE_ESCAPE.search(text) and (bad := _lone_surrogate(body)) is not None:
        where = bad.encode("utf-8", "backslashreplace").decode("ascii")[:64]
        raise ProblemError(
            400,
            problems.MALFORMED_JSON,
            f"the request body holds a lone UTF-16 surrogate escape, which is not a Unicode "
            f"character (in {where!r})",
        )
    issues.extend(spec.check(body))
    return body


async def read_binary_body(
    spec: BodySpec, request: Request, limit: int, issues: list[dict[str, Any]]
) -> bytes | None:
    """Read an ``application/octet-stream`` body as bytes.

    Args:
        spec: The operation's body (``binary`` is true).
        request: The request (its body not read yet).
        limit: The most bytes accepted.
        issues: Where a missing required body is appended (as a 422 ``errors[]`` entry).

    Returns:
        The bytes (possibly empty), or None when the request had no body at all, or an
        empty one without a Content-Type.

    Raises:
        ProblemError: 413 too large, 415 another media type.
        ClientDisconnect: The client went away while sending.
    """
    content_type: str | None = None
    content_length: int | None = None
    for key, value in request.scope["headers"]:
        if key == b"content-type":
            content_type = value.decode("latin-1")
        elif key == b"content-length" and value.strip().isdigit():
            content_length = int(value)
    chunked = any(key == b"transfer-encoding" for key, _ in request.scope["headers"])
    # An empty body that does not even say what it is (many clients send `Content-Length: 0`
    # for a PUT without data) is a missing body; an empty file declares its media type.
    has_body = chunked or bool(content_length) or (content_length == 0 and content_type is not None)
    if content_type is not None and content_type.split(";")[0].strip().lower() != _BYTES:
        raise _unsupported(f"send the request body as {_BYTES}, not {content_type}", _BYTES)
    if not has_body:
        if spec.required:
            issues.append(issue("body", "", f"an {_BYTES} request body is required", "required"))
        return None
    return await _read(request, limit, content_length)
