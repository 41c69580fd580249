"""``vmkit.AsyncClient``: the entry point of the SDK."""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self, Unpack

import httpx

from vmkit._async._api import AsyncAPI, HealthModel
from vmkit._async._transport import AsyncTransport
from vmkit._async.resources import (
    AsyncEvents,
    AsyncHosts,
    AsyncImages,
    AsyncOperations,
    AsyncSnapshots,
    AsyncTokens,
    AsyncVMs,
    AsyncWebhooks,
)
from vmkit._compat import AsyncSleepFunc, Clock
from vmkit._core.config import default_token_file_candidates, mask_token, resolve_config
from vmkit._core.retry import RetryPolicy
from vmkit._core.sentinels import NOT_GIVEN, NotGiven
from vmkit.types import RequestOptions

__all__ = ["AsyncClient"]


class AsyncClient:
    """A connection to a vmkit server.

    The URL and token come from the arguments, else ``VMKIT_URL`` / ``VMKIT_TOKEN``, else
    (for a server on this machine) the token file the server wrote on first start.

    Args:
        base_url: The server's URL (default ``http://127.0.0.1:8470``).
        token: The bearer token (``vmk_...``).
        timeout: The default deadline of each call in seconds, retries included.
        max_retries: How often a failed call is retried when that is safe.
        http_client: An ``httpx.AsyncClient`` to send with (you close it); by default the
            client makes and closes its own.
        sleep: The sleep used between retries and polls (tests inject a fake).
        clock: The monotonic clock deadlines and waiters are measured with (tests inject
            a fake).

    Attributes:
        vms: VMs and their lifecycle.
        snapshots: Snapshots of VMs.
        operations: Long-running operations.
        hosts: Hosts and their backends' capabilities.
        images: The images VMs are created from.
        tokens: API tokens and their scopes (needs a token with ``admin``).
        webhooks: Signed event deliveries to your URLs (needs a token with ``admin``).
        events: The event log, as pages or as a live stream.

    Example:
        >>> client = vmkit.AsyncClient()  # doctest: +SKIP
        >>> vm = await client.vms.create("web-1", start=True, wait=True)  # doctest: +SKIP
        >>> await client.aclose()  # doctest: +SKIP
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float | None = 30.0,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        sleep: AsyncSleepFunc | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._config = resolve_config(
            base_url,
            token,
            env=os.environ,
            token_file_candidates=default_token_file_candidates(os.environ, Path.home()),
        )
        self._transport = AsyncTransport(
            base_url=self._config.base_url,
            token=self._config.token,
            timeout=timeout,
            policy=RetryPolicy(max_retries=max_retries),
            http_client=http_client,
            sleep=sleep,
            clock=clock,
        )
        self._clock = clock
        self._sleep = sleep
        self._wire()

    def _wire(self) -> None:
        """(Re)build the API and the resources on top of ``self._transport``."""
        self._api = AsyncAPI(self._transport, clock=self._clock, sleep=self._sleep)
        self.vms = AsyncVMs(self, self._api)
        self.snapshots = AsyncSnapshots(self, self._api)
        self.operations = AsyncOperations(self, self._api)
        self.hosts = AsyncHosts(self, self._api)
        self.images = AsyncImages(self, self._api)
        self.tokens = AsyncTokens(self, self._api)
        self.webhooks = AsyncWebhooks(self, self._api)
        self.events = AsyncEvents(self, self._api)

    def with_options(
        self,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy of this client with other defaults, sharing its connection pool.

        For a batch of calls that need the same settings::

            patient = client.with_options(timeout=120, max_retries=5)
            patient.vms.get("web-1")

        Closing the copy does nothing; close the original when done with both.

        Args:
            timeout: The copy's default deadline per call in seconds (None: none).
            max_retries: The copy's retry budget.
            headers: Headers the copy sends with every call.

        Returns:
            The new client.
        """
        clone = copy.copy(self)
        clone._transport = self._transport.with_options(
            timeout=timeout, max_retries=max_retries, headers=headers
        )
        clone._wire()
        return clone

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._config.base_url!r}, "
            f"token={mask_token(self._config.token)!r})"
        )

    @property
    def base_url(self) -> str:
        """The server's URL, without a trailing slash."""
        return self._config.base_url

    async def health(self, **options: Unpack[RequestOptions]) -> HealthModel:
        """Ask the server whether it is alive (``GET /healthz``; needs no token).

        Args:
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The server's status (``"ok"``) and version.

        Raises:
            vmkit.errors.APIConnectionError: If the server cannot be reached.
        """
        return await self._api.get_health(**options)

    async def aclose(self) -> None:
        """Close the connections (not those of an ``http_client`` you passed in)."""
        await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
