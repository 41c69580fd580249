"""Sending one attempt over HTTP, to the address the URL policy checked."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Protocol

import httpx

from ... import __version__
from ._settings import WebhookSettings
from ._urls import Target, UrlRefusedError, UrlUnresolvedError, resolve_target

__all__ = ["USER_AGENT", "AttemptError", "HttpSender", "Sender"]

USER_AGENT = f"vmkit-server/{__version__} (webhooks)"
_MAX_REASON = 500


class AttemptError(Exception):
    """An attempt got no HTTP answer (refused address, DNS, connection, timeout).

    Args:
        reason: Why, in words (shown as the delivery's `error`).
    """

    def __init__(self, reason: str) -> None:
        reason = reason if len(reason) <= _MAX_REASON else reason[: _MAX_REASON - 1] + "…"
        super().__init__(reason)
        self.reason = reason


class Sender(Protocol):
    """POSTs one attempt; the delivery worker's only door to the network."""

    async def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        """POST `body` to `url` with `headers`.

        Returns:
            The receiver's HTTP status.

        Raises:
            AttemptError: No answer.
        """
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class HttpSender:
    """The real sender: httpx, no proxies from the environment, no redirects, no pooling.

    Connections are not kept alive because an attempt connects to a checked address while
    naming the host in SNI: a pooled connection to the same address, made for another
    host's name, must never carry it.

    Args:
        settings: The URL policy and the attempt timeout.
        transport: An httpx transport to use instead of the network (tests).
    """

    def __init__(
        self, settings: WebhookSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._settings = settings
        self._client = httpx.AsyncClient(
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            timeout=settings.timeout,
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"User-Agent": USER_AGENT},
        )

    async def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        """POST one attempt (see :class:`Sender`); the response body is never read."""
        timeout = self._settings.timeout
        try:
            async with asyncio.timeout(timeout):  # the whole attempt, a slow answer included
                target = await resolve_target(url, self._settings)
                for url_to_try in target.urls[:-1]:
                    try:
                        return await self._post(target, url_to_try, headers, body)
                    except httpx.ConnectError:
                        continue  # nothing was sent: the next address may answer
                return await self._post(target, target.urls[-1], headers, body)
        except UrlRefusedError as exc:
            raise AttemptError(f"refused: {exc}") from exc
        except UrlUnresolvedError as exc:
            raise AttemptError(str(exc)) from exc
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise AttemptError(f"no answer within {timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise AttemptError(f"{type(exc).__name__}: {exc}") from exc

    async def _post(
        self, target: Target, url: httpx.URL, headers: Mapping[str, str], body: bytes
    ) -> int:
        extensions = {"sni_hostname": target.server_name} if target.server_name else {}
        async with self._client.stream(
            "POST",
            url,
            content=body,
            headers={**headers, "Host": target.host},
            extensions=extensions,
        ) as response:
            return response.status_code

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
