"""``client.hosts``: the machines VMs run on and what their backends can do."""

from __future__ import annotations

from vmkit._async._api import HostModel
from vmkit._async.resources._base import AsyncResource
from vmkit._core.sentinels import NOT_GIVEN
from vmkit.types import Timeout

__all__ = ["AsyncHosts"]


class AsyncHosts(AsyncResource):
    """Hosts: ``client.hosts`` (the reference server has one, ``local``)."""

    async def list(self, *, timeout: Timeout = NOT_GIVEN) -> list[HostModel]:
        """List the hosts.

        Args:
            timeout: This request's deadline in seconds.

        Returns:
            Every host, with its backend, capabilities and load.
        """
        return await self._api.list_hosts(timeout=timeout)

    async def get(self, host: str, *, timeout: Timeout = NOT_GIVEN) -> HostModel:
        """Get a host, its backend and the backend's capabilities.

        Args:
            host: The host's id, e.g. ``"local"``.
            timeout: This request's deadline in seconds.

        Returns:
            The host.

        Raises:
            vmkit.errors.NotFoundError: If there is no such host.
        """
        return await self._api.get_host(host, timeout=timeout)
