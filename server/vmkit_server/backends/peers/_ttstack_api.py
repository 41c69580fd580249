"""The TTstack controller's HTTP calls through the generated client, refusals turned into errors.

TTstack wraps every answer in `{"ok", "data", "error"}`; refusals carry the message in
`error`, except bodies the HTTP framework rejects, which come as plain text. A 404 on an
environment is answered as None so the adapter can say which VM it concerns; a 401 means the
API key is wrong, which no retry mends (503, naming the option to fix). Everything else is
`BackendOperationFailedError` with TTstack's own message, status and text in its metadata.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import httpx

from vmkit.peers.ttstack import AuthenticatedClient, Client
from vmkit.peers.ttstack.api.controller import (
    create_env,
    destroy_env,
    get_env,
    get_fleet_status,
    get_host,
    list_envs,
    list_images,
    start_env,
    stop_env,
)
from vmkit.peers.ttstack.models import CreateEnvReq, Env, EnvDetail, FleetStatus, ImageInfo
from vmkit.peers.ttstack.types import UNSET, Response

from ..base import BackendError, BackendOperationFailedError, BackendUnavailableError
from ._common import peer_errors

__all__ = ["TTstackAPI"]

_NAME = "TTstack"


class TTstackAPI:
    """The controller calls vmkit needs, answering models or raising backend errors.

    Args:
        url: The controller's base URL (`http://controller:9200`).
        token: Its `--api-key`, or None when it runs without one.
        timeout: Seconds a read may take.
        action_timeout: Seconds a call that waits for the engines may take (create, start,
            stop, destroy: TTstack answers when every agent has finished).
    """

    def __init__(
        self, url: str, *, token: str | None, timeout: float, action_timeout: float
    ) -> None:
        self.url = url
        self._quick = _client(url, token, httpx.Timeout(timeout))
        self._slow = _client(url, token, httpx.Timeout(timeout, read=action_timeout))

    async def aclose(self) -> None:
        """Close the connections."""
        await self._quick.get_async_httpx_client().aclose()
        await self._slow.get_async_httpx_client().aclose()

    async def list_envs(self) -> list[Env]:
        """Every environment, without VM details (`GET /api/envs`)."""
        with peer_errors(_NAME):
            response = await list_envs.asyncio_detailed(client=self._quick)
        data = _data(response, "list environments")
        if not isinstance(data, list):
            raise _refused(response, "list environments")
        return data

    async def get_env(self, env_id: str) -> EnvDetail | None:
        """An environment and its VMs (`GET /api/envs/{id}`), or None if TTstack has none."""
        with peer_errors(_NAME):
            response = await get_env.asyncio_detailed(env_id, client=self._quick)
        if response.status_code == 404:
            return None
        data = _data(response, f"read environment {env_id!r}")
        if not isinstance(data, EnvDetail):
            raise _refused(response, f"read environment {env_id!r}")
        return data

    async def create_env(self, body: CreateEnvReq) -> EnvDetail:
        """Create an environment (`POST /api/envs`); answers once its VMs run."""
        with peer_errors(_NAME):
            response = await create_env.asyncio_detailed(client=self._slow, body=body)
        data = _data(response, f"create environment {body.id!r}")
        if not isinstance(data, EnvDetail):
            raise _refused(response, f"create environment {body.id!r}")
        return data

    async def power(self, env_id: str, action: Literal["start", "stop"]) -> bool:
        """Start or stop an environment's VMs; False if TTstack has no such environment.

        TTstack answers ok even when an agent refused: the caller reads the VM back.
        """
        call = start_env if action == "start" else stop_env
        with peer_errors(_NAME):
            response = await call.asyncio_detailed(env_id, client=self._slow)
        if response.status_code == 404:
            return False
        _data(response, f"{action} environment {env_id!r}", empty=True)
        return True

    async def destroy_env(self, env_id: str) -> bool:
        """Destroy an environment and its VMs; False if TTstack has no such environment."""
        with peer_errors(_NAME):
            response = await destroy_env.asyncio_detailed(env_id, client=self._slow)
        if response.status_code == 404:
            return False
        _data(response, f"destroy environment {env_id!r}", empty=True)
        return True

    async def list_images(self) -> list[ImageInfo]:
        """Every image on every online host (`GET /api/images`; a name may repeat)."""
        with peer_errors(_NAME):
            response = await list_images.asyncio_detailed(client=self._quick)
        data = _data(response, "list images")
        if not isinstance(data, list):
            raise _refused(response, "list images")
        return data

    async def status(self) -> FleetStatus:
        """The fleet's totals (`GET /api/status`)."""
        with peer_errors(_NAME):
            response = await get_fleet_status.asyncio_detailed(client=self._quick)
        data = _data(response, "read the fleet status")
        if not isinstance(data, FleetStatus):
            raise _refused(response, "read the fleet status")
        return data

    async def host_addr(self, host_id: str) -> str | None:
        """The agent address (`host:port`) of a host, or None if TTstack does not know it."""
        with peer_errors(_NAME):
            response = await get_host.asyncio_detailed(host_id, client=self._quick)
        if response.status_code == 404:
            return None
        data = _data(response, f"read host {host_id!r}")
        addr = getattr(data, "addr", None)
        if not isinstance(addr, str):
            raise _refused(response, f"read host {host_id!r}")
        return addr


def _client(url: str, token: str | None, timeout: httpx.Timeout) -> Client | AuthenticatedClient:
    if token is None:
        return Client(base_url=url, timeout=timeout)
    return AuthenticatedClient(base_url=url, token=token, timeout=timeout)


def _data(response: Response[Any], what: str, *, empty: bool = False) -> Any:
    """The `data` of a successful envelope (None for an empty one when `empty`).

    Raises:
        BackendError: Anything but a 2xx with `ok: true` (TTstack's list endpoints answer
            200 with `ok: false` on an internal error).
    """
    parsed = response.parsed
    if not 200 <= response.status_code < 300 or getattr(parsed, "ok", None) is not True:
        raise _refused(response, what)
    data = getattr(parsed, "data", UNSET)
    if data is UNSET:
        if empty:
            return None
        raise _refused(response, what)
    return data


def _refused(response: Response[Any], what: str) -> BackendError:
    status = response.status_code
    message = _message(response.content) or f"HTTP {int(status)}"
    metadata = {"ttstack_status": int(status), "ttstack_error": message}
    if status == 401:
        return BackendUnavailableError(
            f"TTstack refused the API key ({message}); check --backend-token-file",
            metadata=metadata,
        )
    return BackendOperationFailedError(
        f"TTstack could not {what}: {message} (HTTP {int(status)})", metadata=metadata
    )


def _message(content: bytes) -> str:
    """TTstack's `error`, or the plain text its HTTP framework answered with."""
    try:
        body = json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace").strip()[:500]
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return content.decode("utf-8", errors="replace").strip()[:500]
