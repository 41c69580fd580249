"""The host this server manages, with its backend's capabilities."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .. import __version__
from ..backends.base import BackendError
from . import errors
from .context import Services

__all__ = ["Hosts"]


class Hosts:
    """The hosts service: the reference server has one host, `local`.

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    async def list(self) -> list[dict[str, Any]]:
        """All hosts (one)."""
        return [await self.get(self._svc.host)]

    async def get(self, host_id: str) -> dict[str, Any]:
        """The host as the API shows it, or 404 `HOST_NOT_FOUND`."""
        svc = self._svc
        if host_id != svc.host:
            raise errors.not_found("host", host_id)
        backend = svc.backend
        with svc.store.read() as tx:
            vm_count = tx.count_vms()
        body: dict[str, Any] = {
            "id": svc.host,
            "backend": backend.name,
            "capabilities": backend.capabilities.to_dict(),
            "vm_count": vm_count,
            "version": __version__,
        }
        try:
            info = await backend.host_info()
        except BackendError:
            body.update(
                status="offline",
                name=svc.host,
                hypervisor=backend.name,
                hypervisor_version="",
                accelerator=None,
                cpus=0,
                memory_mib=0,
            )
        else:
            body.update(
                status="online",
                name=info.hostname,
                hypervisor=info.hypervisor,
                hypervisor_version=info.hypervisor_version,
                accelerator=info.accelerator,
                cpus=info.cpus,
                memory_mib=info.memory_mib,
            )
        digest = hashlib.blake2b(json.dumps(body, sort_keys=True).encode(), digest_size=8)
        body["etag"] = f'"{digest.hexdigest()}"'
        return body
