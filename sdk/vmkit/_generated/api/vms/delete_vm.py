from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation import Operation
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    vm: str,
    *,
    force: bool | Unset = False,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    params: dict[str, Any] = {}

    params["force"] = force

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/vms/{vm}".format(
            vm=quote(str(vm), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Operation | Problem:
    if response.status_code == 202:
        response_202 = Operation.from_dict(response.json())

        return response_202

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Operation | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    force: bool | Unset = False,
    if_match: str | Unset = UNSET,
) -> Response[Operation | Problem]:
    """Delete a VM.

     Allowed from `stopped`, `suspended` and `error`; from `running`, `paused`, `starting`
    or `stopping` only with `force=true` (the VM is powered off first). Snapshots go with
    the VM. The operation's `result` says why it was deleted (`reason`: `deleted`, or
    `expired` when its TTL ran out).

    Args:
        vm (str):
        force (bool | Unset):  Default: False.
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        force=force,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    force: bool | Unset = False,
    if_match: str | Unset = UNSET,
) -> Operation | Problem | None:
    """Delete a VM.

     Allowed from `stopped`, `suspended` and `error`; from `running`, `paused`, `starting`
    or `stopping` only with `force=true` (the VM is powered off first). Snapshots go with
    the VM. The operation's `result` says why it was deleted (`reason`: `deleted`, or
    `expired` when its TTL ran out).

    Args:
        vm (str):
        force (bool | Unset):  Default: False.
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
    """

    return sync_detailed(
        vm=vm,
        client=client,
        force=force,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    force: bool | Unset = False,
    if_match: str | Unset = UNSET,
) -> Response[Operation | Problem]:
    """Delete a VM.

     Allowed from `stopped`, `suspended` and `error`; from `running`, `paused`, `starting`
    or `stopping` only with `force=true` (the VM is powered off first). Snapshots go with
    the VM. The operation's `result` says why it was deleted (`reason`: `deleted`, or
    `expired` when its TTL ran out).

    Args:
        vm (str):
        force (bool | Unset):  Default: False.
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        force=force,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    force: bool | Unset = False,
    if_match: str | Unset = UNSET,
) -> Operation | Problem | None:
    """Delete a VM.

     Allowed from `stopped`, `suspended` and `error`; from `running`, `paused`, `starting`
    or `stopping` only with `force=true` (the VM is powered off first). Snapshots go with
    the VM. The operation's `result` says why it was deleted (`reason`: `deleted`, or
    `expired` when its TTL ran out).

    Args:
        vm (str):
        force (bool | Unset):  Default: False.
        if_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
    """

    return (
        await asyncio_detailed(
            vm=vm,
            client=client,
            force=force,
            if_match=if_match,
        )
    ).parsed
