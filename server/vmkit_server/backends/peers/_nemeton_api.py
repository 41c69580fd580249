"""Nemeton's REST calls through the generated client, with its answers turned into backend errors.

Every method makes one call of `vmkit.peers.nemeton` and returns the parsed model, or
raises: 404 → `BackendVMNotFoundError` (`BackendSnapshotNotFoundError` on a snapshot's
path), 401 → `BackendUnavailableError` (vmkit cannot use the system with that token), 409 →
`NemetonRefusedError` and any other answer → `BackendOperationFailedError`, each carrying
Nemeton's message and status; transport failures go through `peer_errors`.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from vmkit.peers.nemeton import AuthenticatedClient
from vmkit.peers.nemeton.api.console import read_console, send_console
from vmkit.peers.nemeton.api.meta import get_openapi
from vmkit.peers.nemeton.api.snapshots import (
    create_snapshot,
    delete_snapshot,
    list_snapshots,
    restore_snapshot,
)
from vmkit.peers.nemeton.api.vms import (
    force_stop_vm,
    get_vm,
    list_vms,
    pause_vm,
    resume_vm,
    start_vm,
    stop_vm,
)
from vmkit.peers.nemeton.models import (
    ConsoleInput,
    ConsoleOutput,
    Error,
    GetOpenapiResponse200,
    Snapshot,
    SnapshotCreate,
    Vm,
)
from vmkit.peers.nemeton.types import Response

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    BackendUnavailableError,
    BackendVMNotFoundError,
)
from ._common import PeerOptions, peer_errors

__all__ = ["NAME", "NemetonAPI", "NemetonRefusedError", "error_for"]

NAME = "nemeton"
T = TypeVar("T")

#: Lifecycle calls by the action name the adapter logs.
_LIFECYCLE = {
    "start": start_vm.asyncio_detailed,
    "stop": stop_vm.asyncio_detailed,
    "force-stop": force_stop_vm.asyncio_detailed,
    "pause": pause_vm.asyncio_detailed,
    "resume": resume_vm.asyncio_detailed,
}


class NemetonRefusedError(BackendOperationFailedError):
    """Nemeton answered 409: the VM's state does not allow the call (its message kept)."""


class NemetonAPI:
    """The Nemeton calls the adapter makes.

    Args:
        options: The adapter's options (url, token, timeout).
    """

    def __init__(self, options: PeerOptions) -> None:
        self._client = AuthenticatedClient(
            base_url=options.url,
            token=options.token or "",
            timeout=httpx.Timeout(options.timeout),
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.get_async_httpx_client().aclose()

    async def list_vms(self) -> list[Vm]:
        """`GET /api/v1/vms`."""
        with peer_errors(NAME):
            resp = await list_vms.asyncio_detailed(client=self._client)
        return _ok(resp, list, "list VMs")

    async def get_vm(self, handle: str) -> Vm:
        """`GET /api/v1/vms/{id}`."""
        with peer_errors(NAME):
            resp = await get_vm.asyncio_detailed(handle, client=self._client)
        return _ok(resp, Vm, "read VM", handle)

    async def lifecycle(self, action: str, handle: str) -> Vm:
        """`POST /api/v1/vms/{id}/<action>` (`start`, `stop`, `force-stop`, `pause`, `resume`)."""
        call = _LIFECYCLE[action]
        with peer_errors(NAME):
            resp = await call(handle, client=self._client)
        return _ok(resp, Vm, action, handle)

    async def list_snapshots(self, handle: str) -> list[Snapshot]:
        """`GET /api/v1/vms/{id}/snapshots`."""
        with peer_errors(NAME):
            resp = await list_snapshots.asyncio_detailed(handle, client=self._client)
        return _ok(resp, list, "list snapshots", handle)

    async def create_snapshot(self, handle: str, name: str) -> Snapshot:
        """`POST /api/v1/vms/{id}/snapshots` with the snapshot's name."""
        body = SnapshotCreate(name=name)
        with peer_errors(NAME):
            resp = await create_snapshot.asyncio_detailed(handle, client=self._client, body=body)
        return _ok(resp, Snapshot, "create snapshot", handle)

    async def restore_snapshot(self, handle: str, sid: str) -> Vm:
        """`POST /api/v1/vms/{id}/snapshots/{sid}/restore`."""
        with peer_errors(NAME):
            resp = await restore_snapshot.asyncio_detailed(handle, sid, client=self._client)
        return _ok(resp, Vm, "restore snapshot", handle, sid)

    async def delete_snapshot(self, handle: str, sid: str) -> None:
        """`DELETE /api/v1/vms/{id}/snapshots/{sid}`."""
        with peer_errors(NAME):
            resp = await delete_snapshot.asyncio_detailed(handle, sid, client=self._client)
        _no_content(resp, "delete snapshot", handle, sid)

    async def read_console(self, handle: str) -> str:
        """`GET /api/v1/vms/{id}/console`: the whole buffered output."""
        with peer_errors(NAME):
            resp = await read_console.asyncio_detailed(handle, client=self._client)
        return _ok(resp, ConsoleOutput, "read the console", handle).output

    async def send_console(self, handle: str, text: str) -> None:
        """`POST /api/v1/vms/{id}/console` with `text`."""
        body = ConsoleInput(text=text)
        with peer_errors(NAME):
            resp = await send_console.asyncio_detailed(handle, client=self._client, body=body)
        _no_content(resp, "send console text", handle)

    async def api_version(self) -> str:
        """`info.version` of Nemeton's own `/api/v1/openapi.json` ("" if it has none)."""
        with peer_errors(NAME):
            resp = await get_openapi.asyncio_detailed(client=self._client)
            doc = _ok(resp, GetOpenapiResponse200, "read the OpenAPI document")
            info = doc.additional_properties.get("info")
            version = info.get("version") if isinstance(info, dict) else None
        return str(version) if version is not None else ""


def _ok(
    resp: Response[Any],
    kind: type[T],
    what: str,
    handle: str | None = None,
    sid: str | None = None,
) -> T:
    """The parsed body of a 2xx answer, if it is a `kind`; the matching error otherwise."""
    if 200 <= resp.status_code < 300 and isinstance(resp.parsed, kind):
        return resp.parsed
    raise error_for(resp, what, handle, sid)


def _no_content(resp: Response[Any], what: str, handle: str, sid: str | None = None) -> None:
    if not 200 <= resp.status_code < 300:
        raise error_for(resp, what, handle, sid)


def error_for(resp: Response[Any], what: str, handle: str | None, sid: str | None) -> BackendError:
    """The backend error for Nemeton's non-2xx answer `resp` to `what` (on VM `handle`,
    snapshot `sid`): 404 not found, 409 refused in this state, 401 unavailable, ..."""
    status = int(resp.status_code)
    message = _message(resp)
    metadata: dict[str, Any] = {"nemeton_status": status, "nemeton_error": message}
    if handle is not None:
        metadata["nemeton_id"] = handle
    if status == 404 and sid is not None:
        # the path names both: the adapter has just listed the snapshot, so it is the one gone
        metadata["nemeton_snapshot_id"] = sid
        return BackendSnapshotNotFoundError(
            f"Nemeton has no snapshot {sid!r} of VM {handle!r}: {message}", metadata=metadata
        )
    if status == 404:
        return BackendVMNotFoundError(f"Nemeton has no VM {handle!r}: {message}", metadata=metadata)
    if status == 401:
        return BackendUnavailableError(
            f"Nemeton refused the token (401): {message}; check --backend-token-file",
            metadata=metadata,
        )
    if status == 409:
        return NemetonRefusedError(f"Nemeton refused to {what}: {message}", metadata=metadata)
    return BackendOperationFailedError(
        f"Nemeton could not {what} (HTTP {status}): {message}", metadata=metadata
    )


def _message(resp: Response[Any]) -> str:
    if isinstance(resp.parsed, Error) and isinstance(resp.parsed.error, str):
        return resp.parsed.error
    text = resp.content.decode("utf-8", errors="replace").strip()
    return text[:500] or "(no message)"
