"""What every part of the API layer shares: sending one request and parsing its answer."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

import httpx

from vmkit import _compat, errors
from vmkit._async._transport import AsyncTransport
from vmkit._compat import AsyncSleepFunc, Clock
from vmkit._core.sentinels import NOT_GIVEN
from vmkit._generated.client import Client as _GeneratedClient
from vmkit._generated.types import UNSET, Response, Unset
from vmkit.types import RequestOptions

__all__ = ["AsyncAPIBase", "Endpoint", "opt", "parse", "present", "token"]

M = TypeVar("M")


class Endpoint(Protocol):
    """What the hand layer uses of a generated endpoint module."""

    def _build_response(
        self, *, client: _GeneratedClient, response: httpx.Response
    ) -> Response[Any]: ...


# ``_build_response`` wants a generated client; it only reads it for undocumented statuses,
# which cannot happen here (every operation has a ``default`` response), and never sends.
_PARSER = _GeneratedClient(base_url="")


class AsyncAPIBase:
    """The transport, the waiters' clock and sleep, and the one way requests are sent.

    Args:
        transport: The transport all requests go through.
        clock: The monotonic clock waiters measure their deadlines with.
        sleep: The sleep waiters pause with between polls.

    Attributes:
        transport: The transport.
        clock: The waiters' clock.
        sleep: The waiters' sleep.
    """

    def __init__(
        self,
        transport: AsyncTransport,
        *,
        clock: Clock | None = None,
        sleep: AsyncSleepFunc | None = None,
    ) -> None:
        self.transport = transport
        self.clock: Clock = clock if clock is not None else _compat.monotonic
        self.sleep: AsyncSleepFunc = sleep if sleep is not None else _compat.asleep

    async def _call(
        self,
        endpoint: Endpoint,
        model: type[M],
        kwargs: dict[str, Any],
        request: RequestOptions,
    ) -> M:
        return parse(endpoint, model, await self._send(kwargs, request))

    async def _send(self, kwargs: dict[str, Any], request: RequestOptions) -> httpx.Response:
        headers = {str(k): str(v) for k, v in kwargs.get("headers", {}).items()}
        if "json" not in kwargs and "content" not in kwargs:
            # The generated code sets it even when an optional body is left out.
            headers.pop("Content-Type", None)
        headers.update(request.get("headers") or {})
        return await self.transport.request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            json=kwargs.get("json"),
            content=kwargs.get("content"),
            headers=headers,
            timeout=request.get("timeout", NOT_GIVEN),
            max_retries=request.get("max_retries"),
        )


def parse(endpoint: Endpoint, model: type[M], response: httpx.Response) -> M:
    """Parse a 2xx answer into ``model`` with the generated parser."""
    try:
        parsed = endpoint._build_response(client=_PARSER, response=response).parsed
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise errors.APIError(
            f"malformed {model.__name__} in the answer to "
            f"{response.request.method} {response.request.url}: {exc!r}",
            request=response.request,
        ) from exc
    if not isinstance(parsed, model):
        raise errors.APIError(
            f"expected a {model.__name__} in the answer to {response.request.method} "
            f"{response.request.url}, got {type(parsed).__name__}",
            request=response.request,
        )
    return parsed


def opt(value: M | None) -> M | Unset:
    """None (the SDK's "not given") as the generated code's UNSET."""
    return UNSET if value is None else value


def token(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def present(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
