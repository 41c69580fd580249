"""``client.hosts``: the machines VMs run on and what their backends can do."""

from __future__ import annotations

from typing import Unpack

from vmkit._async._api import HostModel
from vmkit._async.resources._base import AsyncResource
from vmkit.types import RequestOptions

__all__ = ["AsyncHosts"]


class AsyncHosts(AsyncResource):
    """Hosts: ``client.hosts`` (the reference server has one, ``local``)."""

    async def list(self, **options: Unpack[RequestOptions]) -> list[HostModel]:
        """List the hosts.

        Args:
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            Every host, with its backend, capabilities and load.
        """
        return await self._api.list_hosts(**options)

    async def get(self, host: str, **options: Unpack[RequestOptions]) -> HostModel:
        """Get a host, its backend and the backend's capabilities.

        Args:
            host: The host's id, e.g. ``"local"``.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The host.

        Raises:
            vmkit.errors.NotFoundError: If there is no such host.
        """
        return await self._api.get_host(host, **options)
