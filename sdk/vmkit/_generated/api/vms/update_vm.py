from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.vm import VM
from ...models.vm_update import VMUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    vm: str,
    *,
    body: VMUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/vms/{vm}".format(
            vm=quote(str(vm), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | VM:
    if response.status_code == 200:
        response_200 = VM.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | VM]:
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
    body: VMUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | VM]:
    """Change a VM's settings.

     Fields present replace the current values (`labels` as a whole map; `ttl_seconds: null`
    removes the expiry). `cpus` and `memory_mib` can change only while the VM is stopped.
    Not allowed while the VM is in a transitional state.

    Args:
        vm (str):
        if_match (str | Unset):
        body (VMUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VM]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
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
    body: VMUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | VM | None:
    """Change a VM's settings.

     Fields present replace the current values (`labels` as a whole map; `ttl_seconds: null`
    removes the expiry). `cpus` and `memory_mib` can change only while the VM is stopped.
    Not allowed while the VM is in a transitional state.

    Args:
        vm (str):
        if_match (str | Unset):
        body (VMUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VM
    """

    return sync_detailed(
        vm=vm,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: VMUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | VM]:
    """Change a VM's settings.

     Fields present replace the current values (`labels` as a whole map; `ttl_seconds: null`
    removes the expiry). `cpus` and `memory_mib` can change only while the VM is stopped.
    Not allowed while the VM is in a transitional state.

    Args:
        vm (str):
        if_match (str | Unset):
        body (VMUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VM]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: VMUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | VM | None:
    """Change a VM's settings.

     Fields present replace the current values (`labels` as a whole map; `ttl_seconds: null`
    removes the expiry). `cpus` and `memory_mib` can change only while the VM is stopped.
    Not allowed while the VM is in a transitional state.

    Args:
        vm (str):
        if_match (str | Unset):
        body (VMUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VM
    """

    return (
        await asyncio_detailed(
            vm=vm,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
