"""RFC 9457 problem+json parsing and the choice of exception class for an error answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import httpx

from vmkit import errors
from vmkit._core.retry import retry_after_seconds

__all__ = ["CODE_CLASSES", "STATUS_CLASSES", "error_for", "parse_problem"]

#: Machine codes that pick a class whatever the status says (checked first).
CODE_CLASSES: Mapping[str, type[errors.APIStatusError]] = {
    "VM_INVALID_STATE": errors.VMStateError,
    "GUEST_NOT_READY": errors.GuestNotReadyError,
    "FILE_NOT_FOUND": errors.GuestFileNotFoundError,
    "IMAGE_NOT_FOUND": errors.ImageNotFoundError,
    "EXEC_TIMEOUT": errors.ExecTimeoutError,
    "OPERATION_IN_PROGRESS": errors.OperationInProgressError,
    "CAPABILITY_NOT_SUPPORTED": errors.CapabilityNotSupportedError,
    "VALIDATION_FAILED": errors.ValidationError,
    "RATE_LIMITED": errors.RateLimitError,
    "BACKEND_UNAVAILABLE": errors.BackendUnavailableError,
    "UNAUTHENTICATED": errors.AuthenticationError,
    "PERMISSION_DENIED": errors.PermissionDeniedError,
    "PRECONDITION_FAILED": errors.PreconditionFailedError,
}

#: Classes by exact status, used when the code is unknown or absent.
STATUS_CLASSES: Mapping[int, type[errors.APIStatusError]] = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    409: errors.ConflictError,
    412: errors.PreconditionFailedError,
    413: errors.PayloadTooLargeError,
    422: errors.UnprocessableEntityError,
    429: errors.RateLimitError,
    501: errors.CapabilityNotSupportedError,
    503: errors.BackendUnavailableError,
}

_DETAIL_LIMIT = 200


def parse_problem(status: int, headers: Mapping[str, str], content: bytes) -> dict[str, Any]:
    """Decode an error answer into a problem document, whatever the server (or proxy) sent.

    A ``application/problem+json`` object, or any JSON object with a ``code``, is taken as
    is (``status``, ``title`` and ``code`` filled in when missing). Anything else - an HTML
    502 page from a proxy, truncated JSON, an empty body - becomes a synthetic problem
    ``{status, title, code: "HTTP_<status>", detail: <first 200 characters of the text>}``.

    Args:
        status: The HTTP status code.
        headers: The response headers (any case).
        content: The raw response body.

    Returns:
        A new dict with at least ``status``, ``title`` and ``code``.
    """
    content_type = httpx.Headers(headers).get("content-type", "").split(";")[0].strip().lower()
    decoded = _json_object(content)
    if decoded is not None and (
        content_type == "application/problem+json" or isinstance(decoded.get("code"), str)
    ):
        problem = dict(decoded)
        if not isinstance(problem.get("status"), int):
            problem["status"] = status
        if not isinstance(problem.get("code"), str):
            problem["code"] = f"HTTP_{status}"
        problem.setdefault("title", _reason(status))
        return problem
    text = " ".join(content.decode("utf-8", errors="replace").split())
    return {
        "status": status,
        "title": _reason(status),
        "code": f"HTTP_{status}",
        "detail": text[:_DETAIL_LIMIT],
    }


def error_for(response: httpx.Response, *, now: datetime | None = None) -> errors.APIStatusError:
    """Build the exception for a non-success answer (the caller raises it).

    The class is chosen by the problem's ``code`` first (:data:`CODE_CLASSES`), then by the
    exact status (:data:`STATUS_CLASSES`), then by family: any other 5xx is an
    :class:`~vmkit.errors.InternalServerError`, any other status a plain
    :class:`~vmkit.errors.APIStatusError`.

    Args:
        response: A response whose body has been read.
        now: The current time, to turn an HTTP-date ``Retry-After`` into seconds.

    Returns:
        The exception, holding the response, the problem and the request id.
    """
    status = response.status_code
    problem = parse_problem(status, response.headers, response.content)
    code = problem.get("code")
    cls = CODE_CLASSES.get(code) if isinstance(code, str) else None
    if cls is None:
        cls = STATUS_CLASSES.get(status)
    if cls is None:
        cls = errors.InternalServerError if status >= 500 else errors.APIStatusError
    request_id = _request_id(problem, response.headers)
    if issubclass(cls, errors.RateLimitError):
        retry_after = retry_after_seconds(response.headers, now=now or datetime.now(UTC))
        return cls(response, problem, request_id=request_id, retry_after=retry_after)
    return cls(response, problem, request_id=request_id)


def _json_object(content: bytes) -> dict[str, Any] | None:
    try:
        decoded = json.loads(content)
    except ValueError:  # also covers UnicodeDecodeError
        return None
    return decoded if isinstance(decoded, dict) else None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _request_id(problem: Mapping[str, Any], headers: httpx.Headers) -> str | None:
    from_body = problem.get("request_id")
    if isinstance(from_body, str) and from_body:
        return from_body
    return headers.get("x-request-id") or None
