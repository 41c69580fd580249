"""Calling CiderStack: one `POST /rpc/<Method>` per call, the token in the body, answers checked.

CiderStack answers a refused call with HTTP 200 and `{"success": false, "error": "..."}`,
and a refused caller with 403 in the same shape (see `spec/peers/ciderstack.yaml`). This
module is the one place that reads those answers and raises the backend error each means.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

import httpx

from vmkit.peers.ciderstack import Client
from vmkit.peers.ciderstack.models import ErrorResponse
from vmkit.peers.ciderstack.types import Response

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    BackendUnavailableError,
    BackendVMNotFoundError,
)
from ._common import peer_errors

__all__ = ["MUTATING", "NAME", "CiderStackRPC", "Endpoint", "ReadOnlyTokenError", "refusal"]

NAME = "ciderstack"
R = TypeVar("R")

# fmt: off
#: The methods the document marks "Mutating: Yes" (a `readOnly` token may call no other).
MUTATING = frozenset({
    "StartVM", "StopVM", "SuspendVM", "StartVMRecovery", "CreateSnapshot", "RestoreSnapshot",
    "DeleteSnapshot", "CloneVM", "RenameVM", "DeleteVM", "UpdateVMSettings", "PushImage",
    "DownloadIPSWOnNode", "PullOCIImageOnNode", "CreateVMOnNode", "ExecCommand",
    "GenerateAPIToken", "RevokeAPIToken", "CreateTemplateFromVM", "DeleteTemplate",
    "AddSharedFolder", "RemoveSharedFolder", "SetSharedFolderEnabled", "Unpair", "CleanupVMs",
})
# fmt: on


class Endpoint(Protocol):
    """What the adapter uses of a generated endpoint module (`vmkit.peers.ciderstack.api...`)."""

    def _get_kwargs(self, *, body: Any) -> dict[str, Any]: ...

    def _build_response(self, *, client: Client, response: httpx.Response) -> Response[Any]: ...


class ReadOnlyTokenError(BackendOperationFailedError):
    """CiderStack refused a mutating method because vmkit's API token is `readOnly`.

    Args:
        method: The method refused.
        said: What CiderStack answered, if it was asked.
    """

    def __init__(self, method: str, said: str | None = None) -> None:
        detail = (
            f"CiderStack refused {method}: the API token vmkit uses is read-only, and changing "
            "VMs needs a fullAccess token (give one with --backend-token-file)"
        )
        super().__init__(
            detail + (f"; CiderStack said: {said}" if said else ""),
            metadata={
                "backend": NAME,
                "method": method,
                "token_permissions": "readOnly",
                "required_permissions": "fullAccess",
            },
        )


def refusal(method: str, message: str) -> BackendError:
    """The backend error for `{"success": false, "error": message}` answered to `method`.

    Args:
        method: The method called (`StartVM`, ...).
        message: CiderStack's `error`.

    Returns:
        `BackendVMNotFoundError` for `VM not found`, `BackendSnapshotNotFoundError` for
        `Snapshot not found`, else `BackendOperationFailedError` with the message (and, for
        the two-macOS-VM limit, `metadata.limit`).
    """
    text = message.lower()
    metadata: dict[str, Any] = {"backend": NAME, "method": method, "peer_error": message}
    if "snapshot not found" in text:
        return BackendSnapshotNotFoundError(f"CiderStack: {message}", metadata=metadata)
    if "vm not found" in text:
        return BackendVMNotFoundError(f"CiderStack: {message}", metadata=metadata)
    if "concurrent" in text or "vm limit" in text:
        metadata["limit"] = "macos_vms_running"
        return BackendOperationFailedError(
            f"CiderStack refused {method}: {message}. A Mac runs at most two macOS VMs at "
            "once; stop one first",
            metadata=metadata,
        )
    return BackendOperationFailedError(f"CiderStack refused {method}: {message}", metadata=metadata)


class CiderStackRPC:
    """The generated client, the token, and what the adapter learnt about the token.

    Args:
        url: The node's base URL (`http://host:9473`).
        token: The `csk_...` API token put in every body.
        timeout: Seconds one call may take.

    Attributes:
        token: The token.
        read_only: True once the token is known to be `readOnly` (then mutating methods are
            refused here, without a call); None while unknown.
    """

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.token = token
        self.read_only: bool | None = None
        self._url = url
        self._timeout = timeout
        self._client = Client(base_url=url, timeout=httpx.Timeout(timeout))
        self._http: httpx.AsyncClient | None = None

    async def open(self) -> None:
        """Open the connection pool."""
        if self._http is None:
            self._http = httpx.AsyncClient(base_url=self._url, timeout=httpx.Timeout(self._timeout))
            self._client.set_async_httpx_client(self._http)

    async def close(self) -> None:
        """Close the connection pool."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def call(
        self,
        method: str,
        endpoint: Endpoint,
        body: Any,
        expect: type[R],
        *,
        timeout: float | None = None,
        allow_failure: bool = False,
    ) -> R:
        """Call `method` with `body` (the token added) and return its parsed answer.

        Args:
            method: The method's name, as in its path.
            endpoint: Its generated module.
            body: Its generated request model (without the token).
            expect: The model its 200 answer parses into.
            timeout: Seconds this call may take, if not the usual.
            allow_failure: Return a `success: false` answer instead of raising (for
                `ExecCommand`, whose failed command still has output).

        Raises:
            ReadOnlyTokenError: A mutating method with a read-only token.
            BackendUnavailableError: CiderStack is unreachable, or refuses the token.
            BackendVMNotFoundError: `VM not found`.
            BackendSnapshotNotFoundError: `Snapshot not found`.
            BackendOperationFailedError: Any other refusal.
        """
        if method in MUTATING and self.read_only:
            raise ReadOnlyTokenError(method)
        if self._http is None:
            await self.open()
        assert self._http is not None
        with peer_errors(NAME):
            kwargs = endpoint._get_kwargs(body=body)
            kwargs["json"] = {**kwargs["json"], "apiToken": self.token}
            extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
            response = await self._http.request(
                kwargs["method"],
                kwargs["url"],
                json=kwargs["json"],
                headers=kwargs["headers"],
                **extra,
            )
            parsed = endpoint._build_response(client=self._client, response=response).parsed
        if response.status_code == 200 and isinstance(parsed, expect):
            if not allow_failure and getattr(parsed, "success", None) is False:
                raise refusal(method, _text(getattr(parsed, "error", None), response))
            return parsed
        message = _text(parsed.error if isinstance(parsed, ErrorResponse) else None, response)
        raise self._status_error(method, response.status_code, message)

    def _status_error(self, method: str, status: int, message: str) -> BackendError:
        metadata: Mapping[str, Any] = {
            "backend": NAME,
            "method": method,
            "status": status,
            "peer_error": message,
        }
        if status == 403:
            lowered = message.lower()
            if "read-only" in lowered or "readonly" in lowered or "read only" in lowered:
                self.read_only = True
                return ReadOnlyTokenError(method, message)
            return BackendUnavailableError(
                f"CiderStack refused vmkit's API token ({message}): check --backend-token-file",
                metadata=metadata,
            )
        if status in (502, 503, 504):
            return BackendUnavailableError(
                f"CiderStack is unavailable (HTTP {status}): {message}", metadata=metadata
            )
        return BackendOperationFailedError(
            f"CiderStack answered {method} with HTTP {status}: {message}", metadata=metadata
        )


def _text(error: object, response: httpx.Response) -> str:
    if isinstance(error, str) and error:
        return error
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return response.text[:200] or f"HTTP {response.status_code}"
