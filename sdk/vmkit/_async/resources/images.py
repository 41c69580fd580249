"""``client.images``: what VMs are created from."""

from __future__ import annotations

from typing import Unpack

from vmkit._async._api import ImageModel
from vmkit._async.resources._base import AsyncResource
from vmkit.types import RequestOptions

__all__ = ["AsyncImages"]


class AsyncImages(AsyncResource):
    """The images of the server's backend: ``client.images``."""

    async def list(self, **options: Unpack[RequestOptions]) -> list[ImageModel]:
        """Every image, the default one flagged (``image.default``).

        Args:
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The images (``name``, ``description``, ``os``, ``arch``, ``disk_gib``, ...);
            pass a ``name`` as ``image=`` to ``client.vms.create``.
        """
        return await self._api.list_images(**options)
