"""Lume's HTTP calls through the generated client, with its 400s turned into backend errors.

Lume answers 400 for every error with a bare `{"message": ...}`, so the status says nothing.
A refusal about a named VM is told apart by asking Lume whether the VM exists (its list, which
takes no `storage` and so cannot be refused for another reason): if it does not, the error is
`BackendVMNotFoundError`; if it does, Lume refused the action (`BackendOperationFailedError`
with Lume's message). A 404 means the URL is not Lume's API (it ends in `/lume`).
"""

from __future__ import annotations

from typing import Any

import httpx

from vmkit.peers.lume import Client
from vmkit.peers.lume.api.images import pull_image
from vmkit.peers.lume.api.vms import (
    create_vm,
    delete_vm,
    get_vm,
    list_vms,
    run_vm,
    stop_vm,
    update_vm,
)
from vmkit.peers.lume.models import (
    CreateVMRequest,
    Error,
    PullImageRequest,
    RunResponse,
    RunVMRequest,
    UpdateVMRequest,
    VMDetails,
    VMSummary,
)
from vmkit.peers.lume.types import UNSET, Response, Unset

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendUnavailableError,
    BackendVMNotFoundError,
)
from ._common import peer_errors

__all__ = ["LumeAPI"]

_NAME = "Lume"


class LumeAPI:
    """Lume's documented calls, answering models or raising backend errors.

    Args:
        url: Lume's base URL (ending in `/lume`).
        timeout: Seconds a quick call (list, get, run, delete) may take.
        long_timeout: Seconds a call that waits for the work may take (create installs macOS,
            stop waits for the guest, update may grow a disk, pull downloads).
        storage: Lume's `storage` to pass wherever the document takes one, or None.
    """

    def __init__(self, url: str, *, timeout: float, long_timeout: float, storage: str | None):
        self.url = url
        self.storage: str | Unset = UNSET if storage is None else storage
        self._quick = Client(base_url=url, timeout=httpx.Timeout(timeout))
        self._slow = Client(base_url=url, timeout=httpx.Timeout(timeout, read=long_timeout))

    async def aclose(self) -> None:
        """Close the connections."""
        await self._quick.get_async_httpx_client().aclose()
        await self._slow.get_async_httpx_client().aclose()

    async def list(self) -> list[VMSummary]:
        """Every VM (`GET /vms`)."""
        with peer_errors(_NAME):
            response = await list_vms.asyncio_detailed(client=self._quick)
        if isinstance(response.parsed, list):
            return response.parsed
        raise await self._refused(response, "list VMs", None)

    async def get(self, name: str) -> VMDetails:
        """The VM `name` (`GET /vms/{name}`).

        Raises:
            BackendVMNotFoundError: Lume has no such VM.
        """
        with peer_errors(_NAME):
            response = await get_vm.asyncio_detailed(name, client=self._quick, storage=self.storage)
        if isinstance(response.parsed, VMDetails):
            return response.parsed
        raise await self._refused(response, "read", name)

    async def find(self, name: str) -> VMDetails | None:
        """The VM `name`, or None if Lume has none."""
        try:
            return await self.get(name)
        except BackendVMNotFoundError:
            return None

    async def create(self, body: CreateVMRequest) -> None:
        """Create a VM (`POST /vms`); waits as long as the install takes."""
        body.storage = self.storage
        with peer_errors(_NAME):
            response = await create_vm.asyncio_detailed(client=self._slow, body=body)
        if not _ok(response):
            raise await self._refused(response, "create", None)

    async def run(self, name: str, body: RunVMRequest) -> RunResponse:
        """Ask Lume to start a VM (`POST /vms/{name}/run`); its answer confirms nothing."""
        body.storage = self.storage
        with peer_errors(_NAME):
            response = await run_vm.asyncio_detailed(name, client=self._quick, body=body)
        if isinstance(response.parsed, RunResponse):
            return response.parsed
        raise await self._refused(response, "run", name)

    async def stop(self, name: str) -> None:
        """Stop a running VM (`POST /vms/{name}/stop`); Lume answers once it stopped."""
        with peer_errors(_NAME):
            response = await stop_vm.asyncio_detailed(name, client=self._slow)
        if not _ok(response):
            raise await self._refused(response, "stop", name)

    async def update(self, name: str, body: UpdateVMRequest) -> None:
        """Change a VM's settings (`PUT /vms/{name}`)."""
        body.storage = self.storage
        with peer_errors(_NAME):
            response = await update_vm.asyncio_detailed(name, client=self._slow, body=body)
        if not _ok(response):
            raise await self._refused(response, "update", name)

    async def delete(self, name: str) -> None:
        """Delete a VM (`DELETE /vms/{name}`)."""
        with peer_errors(_NAME):
            response = await delete_vm.asyncio_detailed(
                name, client=self._quick, storage=self.storage
            )
        if not _ok(response):
            raise await self._refused(response, "delete", name)

    async def pull(self, body: PullImageRequest) -> None:
        """Pull an image (`POST /images/pull`)."""
        body.storage = self.storage
        with peer_errors(_NAME):
            response = await pull_image.asyncio_detailed(client=self._slow, body=body)
        if not _ok(response):
            raise await self._refused(response, "pull an image", None)

    async def _exists(self, name: str) -> bool:
        return any(vm.name == name for vm in await self.list())

    async def _refused(
        self, response: Response[Any], action: str, name: str | None
    ) -> BackendError:
        status = int(response.status_code)
        message = _message(response)
        metadata = {"lume_status": status, "lume_message": message}
        if status == 404:
            return BackendUnavailableError(
                f"{self.url} answered 404 to {action}: it does not look like Lume's API "
                "(its URL ends in /lume, e.g. http://localhost:7777/lume)",
                metadata=metadata,
            )
        target = f"VM {name!r}" if name is not None else "the request"
        if status == 400 and name is not None and not await self._exists(name):
            return BackendVMNotFoundError(
                f"Lume has no VM {name!r} ({message})", metadata={**metadata, "lume_vm": name}
            )
        if name is not None:
            metadata["lume_vm"] = name
        verb = "refused" if status == 400 else f"answered {status} when asked"
        return BackendOperationFailedError(
            f"Lume {verb} to {action} {target}: {message}", metadata=metadata
        )


def _ok(response: Response[Any]) -> bool:
    return 200 <= int(response.status_code) < 300


def _message(response: Response[Any]) -> str:
    if isinstance(response.parsed, Error):
        return response.parsed.message
    text = response.content.decode("utf-8", "replace").strip()
    return text[:500] or "(no message)"
