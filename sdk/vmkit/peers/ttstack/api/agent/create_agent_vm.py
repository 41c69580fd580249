from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_error import ApiError
from ...models.create_vm_req import CreateVmReq
from ...models.create_vm_response import CreateVmResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: CreateVmReq,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/vms",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiError | CreateVmResponse | str | None:
    if response.status_code == 201:
        response_201 = CreateVmResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = cast(str, response.content)
        return response_400

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())

        return response_401

    if response.status_code == 415:
        response_415 = cast(str, response.content)
        return response_415

    if response.status_code == 422:
        response_422 = cast(str, response.content)
        return response_422

    if response.status_code == 500:
        response_500 = ApiError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApiError | CreateVmResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVmReq,
) -> Response[ApiError | CreateVmResponse | str]:
    """Create a VM

     Creates and boots one VM (state `creating` while the engine launches it, then
    `running`). The controller calls this for each VM of a new environment.

    Args:
        body (CreateVmReq): What the controller sends an agent for one VM (sizes already
            defaulted).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | CreateVmResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVmReq,
) -> ApiError | CreateVmResponse | str | None:
    """Create a VM

     Creates and boots one VM (state `creating` while the engine launches it, then
    `running`). The controller calls this for each VM of a new environment.

    Args:
        body (CreateVmReq): What the controller sends an agent for one VM (sizes already
            defaulted).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | CreateVmResponse | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVmReq,
) -> Response[ApiError | CreateVmResponse | str]:
    """Create a VM

     Creates and boots one VM (state `creating` while the engine launches it, then
    `running`). The controller calls this for each VM of a new environment.

    Args:
        body (CreateVmReq): What the controller sends an agent for one VM (sizes already
            defaulted).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | CreateVmResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVmReq,
) -> ApiError | CreateVmResponse | str | None:
    """Create a VM

     Creates and boots one VM (state `creating` while the engine launches it, then
    `running`). The controller calls this for each VM of a new environment.

    Args:
        body (CreateVmReq): What the controller sends an agent for one VM (sizes already
            defaulted).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | CreateVmResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
