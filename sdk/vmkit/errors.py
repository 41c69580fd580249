"""Every exception the SDK raises, in one tree rooted at :class:`VmkitError`.

::

    VmkitError
    ├── APIError
    │   ├── APIStatusError (status, code, problem, request_id, response, metadata)
    │   │   ├── BadRequestError 400 / AuthenticationError 401 / PermissionDeniedError 403
    │   │   ├── NotFoundError 404 ─ GuestFileNotFoundError
    │   │   ├── ConflictError 409 ─ VMStateError, OperationInProgressError, GuestNotReadyError
    │   │   ├── PreconditionFailedError 412 / PayloadTooLargeError 413
    │   │   ├── UnprocessableEntityError 422 ─ ValidationError, ImageNotFoundError
    │   │   ├── RateLimitError 429 / ExecTimeoutError 504 (also a TimeoutError)
    │   │   └── InternalServerError 5xx / CapabilityNotSupportedError 501
    │   │       / BackendUnavailableError 503
    │   └── APIConnectionError ─ APITimeoutError
    ├── OperationFailedError (operation, problem, code)      raised by Operation.wait()
    ├── CommandFailedError (result, exit_code)             raised by ExecResult.check()
    ├── WaitTimeoutError (also a TimeoutError)
    └── WebhookVerificationError                           raised by vmkit.webhooks.verify()

The errors only hold evidence; they parse nothing. Turning an HTTP answer into the
right class is :func:`vmkit._core.problems.error_for`'s job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BackendUnavailableError",
    "BadRequestError",
    "CapabilityNotSupportedError",
    "CommandFailedError",
    "ConflictError",
    "ExecTimeoutError",
    "GuestFileNotFoundError",
    "GuestNotReadyError",
    "ImageNotFoundError",
    "InternalServerError",
    "NotFoundError",
    "OperationFailedError",
    "OperationInProgressError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "VMStateError",
    "ValidationError",
    "VmkitError",
    "WaitTimeoutError",
    "WebhookVerificationError",
]


class VmkitError(Exception):
    """Base class of every exception raised by vmkit.

    Args:
        message: The human-readable message (also ``str(error)``).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class APIError(VmkitError):
    """A request to the vmkit API did not produce a successful answer.

    Args:
        message: The human-readable message.
        request: The request that failed, when one was built.
    """

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APIStatusError(APIError):
    """The server answered with a non-success status and an RFC 9457 problem.

    Args:
        response: The HTTP response (its body already read).
        problem: The parsed problem document (see ``vmkit._core.problems.parse_problem``).
        request_id: The server's request id, from the body or the ``X-Request-Id`` header.

    Attributes:
        status: The HTTP status code.
        code: The stable machine code, e.g. ``"VM_NOT_FOUND"`` (``"HTTP_<status>"`` when the
            answer carried none).
        problem: The problem document as a dict.
        request_id: The request id to quote when reporting a bug, or None.
        response: The :class:`httpx.Response`.
    """

    def __init__(
        self,
        response: httpx.Response,
        problem: Mapping[str, Any],
        *,
        request_id: str | None = None,
    ) -> None:
        self.response = response
        self.problem: dict[str, Any] = dict(problem)
        self.status = response.status_code
        code = self.problem.get("code")
        self.code: str = code if isinstance(code, str) else f"HTTP_{self.status}"
        self.request_id = request_id
        super().__init__(self._build_message(), request=response.request)

    @property
    def metadata(self) -> dict[str, Any]:
        """The problem's ``metadata`` object (empty when absent or malformed)."""
        metadata = self.problem.get("metadata")
        return dict(metadata) if isinstance(metadata, Mapping) else {}

    def _build_message(self) -> str:
        text = self.problem.get("detail") or self.problem.get("title") or ""
        message = f"{self.status} {self.code}"
        if text:
            message += f": {text}"
        if self.request_id:
            message += f" (request {self.request_id})"
        return message


class BadRequestError(APIStatusError):
    """400: the request was malformed (bad syntax, unknown parameter)."""


class AuthenticationError(APIStatusError):
    """401: no token, or the token is unknown, revoked or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the token is valid but lacks the scope the call needs."""


class NotFoundError(APIStatusError):
    """404: the VM, snapshot, operation or other resource does not exist."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's current state."""


class VMStateError(ConflictError):
    """409 ``VM_INVALID_STATE``: the action is not allowed in the VM's current state.

    Attributes:
        allowed_from: The states the action is allowed from (``metadata.allowed_from``).
        current_state: The VM's state when the server refused (``metadata.state``).
    """

    def __init__(
        self,
        response: httpx.Response,
        problem: Mapping[str, Any],
        *,
        request_id: str | None = None,
    ) -> None:
        super().__init__(response, problem, request_id=request_id)
        allowed = self.metadata.get("allowed_from")
        self.allowed_from: list[str] = (
            [str(s) for s in allowed] if isinstance(allowed, list) else []
        )
        current = self.metadata.get("state")
        self.current_state: str | None = str(current) if current is not None else None


class OperationInProgressError(ConflictError):
    """409 ``OPERATION_IN_PROGRESS``: another operation is driving the VM right now.

    Attributes:
        operation_id: The id of the operation in the way (``metadata.operation``), if known.
    """

    def __init__(
        self,
        response: httpx.Response,
        problem: Mapping[str, Any],
        *,
        request_id: str | None = None,
    ) -> None:
        super().__init__(response, problem, request_id=request_id)
        operation = self.metadata.get("operation")
        self.operation_id: str | None = str(operation) if operation is not None else None


class PreconditionFailedError(APIStatusError):
    """412: the ``If-Match`` ETag no longer matches; re-read the resource and try again."""


class PayloadTooLargeError(APIStatusError):
    """413: the request body is larger than the server accepts."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but semantically invalid."""


class ValidationError(UnprocessableEntityError):
    """422 ``VALIDATION_FAILED``: one or more fields are invalid.

    Attributes:
        errors: The problem's ``errors`` list; each item names a JSON pointer and a reason.
    """

    def __init__(
        self,
        response: httpx.Response,
        problem: Mapping[str, Any],
        *,
        request_id: str | None = None,
    ) -> None:
        super().__init__(response, problem, request_id=request_id)
        errors = self.problem.get("errors")
        self.errors: list[dict[str, Any]] = (
            [dict(e) for e in errors if isinstance(e, Mapping)] if isinstance(errors, list) else []
        )


class RateLimitError(APIStatusError):
    """429: too many requests.

    Args:
        response: The HTTP response.
        problem: The parsed problem document.
        request_id: The server's request id.
        retry_after: Seconds the server asked to wait (from ``Retry-After``), if any.

    Attributes:
        retry_after: Seconds to wait before trying again, or None when the server did not say.
    """

    def __init__(
        self,
        response: httpx.Response,
        problem: Mapping[str, Any],
        *,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(response, problem, request_id=request_id)


class InternalServerError(APIStatusError):
    """5xx: the server (or a proxy in front of it) failed."""


class CapabilityNotSupportedError(APIStatusError):
    """501 ``CAPABILITY_NOT_SUPPORTED``: the VM's backend cannot do this (e.g. suspend)."""


class BackendUnavailableError(APIStatusError):
    """503: the hypervisor backend is down or unreachable; usually worth retrying later."""


class GuestNotReadyError(ConflictError):
    """409 ``GUEST_NOT_READY``: the guest (or its agent) does not answer yet; see
    ``vm.wait_ready()``."""


class GuestFileNotFoundError(NotFoundError):
    """404 ``FILE_NOT_FOUND``: the guest has no file at that path."""


class ImageNotFoundError(UnprocessableEntityError):
    """422 ``IMAGE_NOT_FOUND``: the backend has no such image (``metadata["images"]`` lists
    those it has)."""


class ExecTimeoutError(APIStatusError, TimeoutError):
    """504 ``EXEC_TIMEOUT``: a command outlived its ``timeout_seconds`` and was killed.

    Never retried: the command already ran for its whole timeout.
    """


class APIConnectionError(APIError):
    """No HTTP answer was received: the connection failed, broke or was refused.

    Args:
        request: The request that could not be completed.
        message: What went wrong.
    """

    def __init__(self, request: httpx.Request | None, message: str = "Connection error.") -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The call's deadline (its ``timeout``) passed before an answer arrived.

    Args:
        request: The request that timed out.
        message: What went wrong.
    """

    def __init__(self, request: httpx.Request | None, message: str = "Request timed out.") -> None:
        super().__init__(request, message)


class OperationFailedError(VmkitError):
    """A long-running operation finished in state ``failed`` (raised by ``Operation.wait()``).

    Args:
        operation: The finished operation (an ``Operation`` object or its dict).
        problem: The operation's ``error`` problem, if it carried one.

    Attributes:
        operation: The operation, to inspect its ``id``, ``kind``, ``target`` and ``result``.
        problem: The problem document explaining the failure (empty when there was none).
        code: The problem's machine code, e.g. ``"BACKEND_UNAVAILABLE"``, or None.
    """

    def __init__(self, operation: Any, problem: Mapping[str, Any] | None) -> None:
        self.operation = operation
        self.problem: dict[str, Any] = dict(problem or {})
        code = self.problem.get("code")
        self.code: str | None = code if isinstance(code, str) else None
        op_id = _field(operation, "id")
        kind = _field(operation, "kind")
        message = f"operation {op_id or '?'}"
        if kind:
            message += f" ({kind})"
        message += " failed"
        if self.code:
            message += f": {self.code}"
        text = self.problem.get("detail") or self.problem.get("title")
        if text:
            message += f": {text}"
        super().__init__(message)


class CommandFailedError(VmkitError):
    """A command run with ``vm.exec(...)`` exited non-zero and ``check()`` was asked.

    Args:
        result: The command's :class:`vmkit.ExecResult`.

    Attributes:
        result: The result (``stdout``, ``stderr``, ``exit_code``).
        exit_code: The exit status.
    """

    def __init__(self, result: Any) -> None:
        self.result = result
        self.exit_code: int = _field(result, "exit_code")
        stderr = str(_field(result, "stderr") or "").strip()
        tail = f": {stderr.splitlines()[-1]}" if stderr else ""
        super().__init__(f"the command exited with status {self.exit_code}{tail}")


class WaitTimeoutError(VmkitError, TimeoutError):
    """A waiter gave up before the awaited condition held; the work may still finish.

    Args:
        message: What was awaited.
        timeout: The timeout that passed, in seconds.
        operation: The operation being awaited, if any.
    """

    def __init__(
        self, message: str, *, timeout: float | None = None, operation: Any = None
    ) -> None:
        super().__init__(message)
        self.timeout = timeout
        self.operation = operation


class WebhookVerificationError(VmkitError):
    """A webhook delivery failed verification: do not trust it.

    Raised by :func:`vmkit.webhooks.verify` for a missing or malformed ``webhook-*``
    header, a timestamp outside the tolerance (a replay, or a clock far off), a signature
    that does not match, a malformed secret, or a body that is not a JSON object.

    Args:
        message: What failed.
    """


def _field(obj: Any, name: str) -> Any:
    """Read ``name`` from a mapping or an attribute-style object, or None."""
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)
