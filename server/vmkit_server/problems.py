"""RFC 9457 problem details: the one error shape every failing vmkit response has.

Anything in the server that wants to fail a request raises `ProblemError`; the router turns
it into an `application/problem+json` answer with a stable machine `code`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from starlette.responses import Response

__all__ = [
    "INTERNAL_ERROR",
    "MALFORMED_JSON",
    "MALFORMED_REQUEST",
    "METHOD_NOT_ALLOWED",
    "NOT_FOUND",
    "PAYLOAD_TOO_LARGE",
    "PERMISSION_DENIED",
    "PROBLEM_MEDIA_TYPE",
    "RATE_LIMITED",
    "REQUEST_HEADERS_TOO_LARGE",
    "TYPE_PREFIX",
    "UNAUTHENTICATED",
    "UNSUPPORTED_MEDIA_TYPE",
    "URI_TOO_LONG",
    "VALIDATION_FAILED",
    "ProblemError",
    "problem_body",
    "problem_response",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:vmkit:problem:"

NOT_FOUND = "NOT_FOUND"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
URI_TOO_LONG = "URI_TOO_LONG"
REQUEST_HEADERS_TOO_LARGE = "REQUEST_HEADERS_TOO_LARGE"
RATE_LIMITED = "RATE_LIMITED"
MALFORMED_JSON = "MALFORMED_JSON"
MALFORMED_REQUEST = "MALFORMED_REQUEST"
VALIDATION_FAILED = "VALIDATION_FAILED"
UNAUTHENTICATED = "UNAUTHENTICATED"
PERMISSION_DENIED = "PERMISSION_DENIED"
INTERNAL_ERROR = "INTERNAL_ERROR"


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class ProblemError(Exception):
    """A request failed in a way the client should be told about, as problem+json.

    Args:
        status: The HTTP status (4xx or 5xx).
        code: The stable machine code, e.g. ``"VM_NOT_FOUND"``.
        detail: What happened, for a person.
        title: Short summary; defaults to the status's reason phrase.
        metadata: Machine-readable details (e.g. ``{"allowed_from": [...]}``).
        errors: One entry per validation failure (``location``, ``pointer``, ``detail``,
            ``keyword``).
        headers: Extra response headers (e.g. ``WWW-Authenticate``, ``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title if title is not None else _status_phrase(status)
        self.metadata = dict(metadata) if metadata is not None else None
        self.errors = [dict(e) for e in errors] if errors is not None else None
        self.headers = dict(headers) if headers is not None else {}


def problem_body(exc: ProblemError, *, instance: str, request_id: str | None) -> dict[str, Any]:
    """The RFC 9457 document for a problem.

    Args:
        exc: The problem.
        instance: The request path it is about.
        request_id: The request's id, echoed so a person can find the server's log lines.

    Returns:
        ``{type, title, status, detail, instance, code}`` plus ``request_id``, ``metadata`` and
        ``errors`` when there are any.
    """
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + exc.code.lower().replace("_", "-"),
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        "instance": instance,
        "code": exc.code,
    }
    if request_id is not None:
        body["request_id"] = request_id
    if exc.metadata is not None:
        body["metadata"] = exc.metadata
    if exc.errors is not None:
        body["errors"] = exc.errors
    return body


def problem_response(exc: ProblemError, *, instance: str, request_id: str | None) -> Response:
    """The problem as a Starlette response, with the problem's own headers.

    Args:
        exc: The problem.
        instance: The request path it is about.
        request_id: The request's id (only put in the body; the router sets the header).

    Returns:
        An ``application/problem+json`` response with status ``exc.status``.
    """
    body = problem_body(exc, instance=instance, request_id=request_id)
    try:
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
        content_bytes = content.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate echoed from the request (a path, a message) is not UTF-8: escape
        # it rather than fail the error answer itself.
        content_bytes = json.dumps(body, separators=(",", ":"), default=str).encode("ascii")
    return Response(
        content_bytes, status_code=exc.status, headers=exc.headers, media_type=PROBLEM_MEDIA_TYPE
    )
