"""Problem parsing and the choice of exception class (vmkit._core.problems)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from vmkit import errors
from vmkit._core.problems import error_for, parse_problem

PROBLEM_JSON = {"content-type": "application/problem+json"}


def _response(
    status: int, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None
) -> httpx.Response:
    content = json.dumps(body).encode() if isinstance(body, dict) else body
    all_headers = {**PROBLEM_JSON, **(headers or {})} if isinstance(body, dict) else headers
    request = httpx.Request("GET", "http://vmkit.test/v1/vms/web-1")
    return httpx.Response(status, headers=all_headers, content=content, request=request)


def test_problem_json_is_taken_as_is() -> None:
    """A problem+json body is returned unchanged."""
    body = {"type": "about:blank", "title": "Not Found", "status": 404, "code": "VM_NOT_FOUND"}
    assert parse_problem(404, PROBLEM_JSON, json.dumps(body).encode()) == body


def test_problem_json_without_code_or_status_is_completed() -> None:
    """Missing status and code are filled in from the HTTP status."""
    problem = parse_problem(404, PROBLEM_JSON, b'{"title": "gone"}')
    assert problem == {"title": "gone", "status": 404, "code": "HTTP_404"}


def test_plain_json_with_a_code_counts_as_a_problem() -> None:
    """application/json with a ``code`` is a problem too; the title is filled in."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    problem = parse_problem(409, headers, b'{"code": "VM_INVALID_STATE", "detail": "no"}')
    assert problem == {
        "code": "VM_INVALID_STATE",
        "detail": "no",
        "status": 409,
        "title": "Conflict",
    }


def test_plain_json_without_a_code_is_synthetic() -> None:
    """Some other service's JSON error becomes a synthetic problem carrying its text."""
    problem = parse_problem(400, {"content-type": "application/json"}, b'{"error": "bad"}')
    assert problem == {
        "status": 400,
        "title": "Bad Request",
        "code": "HTTP_400",
        "detail": '{"error": "bad"}',
    }


def test_html_502_from_a_proxy_is_synthetic() -> None:
    """An HTML error page becomes a problem whose detail is its (squashed) first 200 chars."""
    html = b"<html>\n  <head><title>502 Bad Gateway</title></head>\n" + b"x" * 500 + b"</html>"
    problem = parse_problem(502, {"content-type": "text/html"}, html)
    assert problem["code"] == "HTTP_502"
    assert problem["title"] == "Bad Gateway"
    assert problem["detail"].startswith("<html> <head><title>502 Bad Gateway</title></head>")
    assert len(problem["detail"]) == 200


def test_truncated_json_is_synthetic() -> None:
    """A body cut short is not trusted."""
    problem = parse_problem(500, PROBLEM_JSON, b'{"code": "VM_NOT_FO')
    assert problem == {
        "status": 500,
        "title": "Internal Server Error",
        "code": "HTTP_500",
        "detail": '{"code": "VM_NOT_FO',
    }


def test_empty_body_is_synthetic() -> None:
    """No body at all still gives a problem."""
    assert parse_problem(503, {}, b"") == {
        "status": 503,
        "title": "Service Unavailable",
        "code": "HTTP_503",
        "detail": "",
    }


def test_invalid_utf8_and_unknown_status_are_tolerated() -> None:
    """Undecodable bytes and a non-standard status do not crash the parser."""
    problem = parse_problem(599, {}, b"\xff\xfe oops")
    assert problem["title"] == "HTTP 599"
    assert problem["detail"].endswith("oops")


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (409, "VM_INVALID_STATE", errors.VMStateError),
        (409, "OPERATION_IN_PROGRESS", errors.OperationInProgressError),
        (501, "CAPABILITY_NOT_SUPPORTED", errors.CapabilityNotSupportedError),
        (422, "VALIDATION_FAILED", errors.ValidationError),
        (429, "RATE_LIMITED", errors.RateLimitError),
        (503, "BACKEND_UNAVAILABLE", errors.BackendUnavailableError),
        (401, "UNAUTHENTICATED", errors.AuthenticationError),
        (403, "PERMISSION_DENIED", errors.PermissionDeniedError),
        (412, "PRECONDITION_FAILED", errors.PreconditionFailedError),
        (400, "VALIDATION_FAILED", errors.ValidationError),
        (409, "GUEST_NOT_READY", errors.GuestNotReadyError),
        (404, "FILE_NOT_FOUND", errors.GuestFileNotFoundError),
        (422, "IMAGE_NOT_FOUND", errors.ImageNotFoundError),
        (504, "EXEC_TIMEOUT", errors.ExecTimeoutError),
    ],
)
def test_class_is_chosen_by_code_first(
    status: int, code: str, cls: type[errors.APIStatusError]
) -> None:
    """The machine code decides, whatever the status."""
    error = error_for(_response(status, {"status": status, "code": code}))
    assert type(error) is cls


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (412, errors.PreconditionFailedError),
        (413, errors.PayloadTooLargeError),
        (422, errors.UnprocessableEntityError),
        (429, errors.RateLimitError),
        (500, errors.InternalServerError),
        (501, errors.CapabilityNotSupportedError),
        (502, errors.InternalServerError),
        (503, errors.BackendUnavailableError),
        (504, errors.InternalServerError),
        (418, errors.APIStatusError),
    ],
)
def test_class_falls_back_to_status(status: int, cls: type[errors.APIStatusError]) -> None:
    """Unknown codes fall back to the status, then to the status family."""
    error = error_for(_response(status, {"code": "SOMETHING_NEW"}))
    assert type(error) is cls
    assert error.status == status


def test_message_and_attributes() -> None:
    """The message names status, code, detail and request id; evidence is kept."""
    response = _response(
        404,
        {"code": "VM_NOT_FOUND", "detail": "no VM named 'web-1'", "request_id": "req_123"},
        {"X-Request-Id": "req_header"},
    )
    error = error_for(response)
    assert str(error) == "404 VM_NOT_FOUND: no VM named 'web-1' (request req_123)"
    assert (error.status, error.code, error.request_id) == (404, "VM_NOT_FOUND", "req_123")
    assert error.response is response
    assert error.request is response.request
    assert error.problem["detail"] == "no VM named 'web-1'"


def test_request_id_falls_back_to_the_header() -> None:
    """Without one in the body, X-Request-Id is used."""
    error = error_for(_response(502, b"bad gateway", {"X-Request-Id": "req_9"}))
    assert error.request_id == "req_9"
    assert str(error) == "502 HTTP_502: bad gateway (request req_9)"


def test_empty_body_message_uses_the_title() -> None:
    """Without detail, the reason phrase keeps the message useful."""
    assert str(error_for(_response(503, b""))) == "503 HTTP_503: Service Unavailable"


def test_vm_state_error_exposes_metadata() -> None:
    """allowed_from and current_state come from the problem's metadata."""
    error = error_for(
        _response(
            409,
            {
                "code": "VM_INVALID_STATE",
                "metadata": {"allowed_from": ["stopped", "suspended"], "state": "running"},
            },
        )
    )
    assert isinstance(error, errors.VMStateError)
    assert error.allowed_from == ["stopped", "suspended"]
    assert error.current_state == "running"


def test_vm_state_error_tolerates_missing_metadata() -> None:
    """No metadata gives empty values, not a crash."""
    error = error_for(_response(409, {"code": "VM_INVALID_STATE", "metadata": "junk"}))
    assert isinstance(error, errors.VMStateError)
    assert (error.allowed_from, error.current_state) == ([], None)


def test_operation_in_progress_exposes_the_operation() -> None:
    """operation_id comes from metadata.operation."""
    error = error_for(
        _response(409, {"code": "OPERATION_IN_PROGRESS", "metadata": {"operation": "op_1"}})
    )
    assert isinstance(error, errors.OperationInProgressError)
    assert error.operation_id == "op_1"


def test_validation_error_exposes_errors() -> None:
    """errors is the problem's list of field errors."""
    items = [{"pointer": "/cpus", "detail": "must be >= 1"}]
    error = error_for(_response(422, {"code": "VALIDATION_FAILED", "errors": items}))
    assert isinstance(error, errors.ValidationError)
    assert error.errors == items


def test_rate_limit_error_carries_retry_after() -> None:
    """retry_after is read from the header; None without one."""
    limited = error_for(_response(429, {"code": "RATE_LIMITED"}, {"Retry-After": "4"}))
    assert isinstance(limited, errors.RateLimitError)
    assert limited.retry_after == 4.0
    plain = error_for(_response(429, b""))
    assert isinstance(plain, errors.RateLimitError)
    assert plain.retry_after is None
