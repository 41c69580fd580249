from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_error import ApiError
from ...models.create_env_req import CreateEnvReq
from ...models.env_detail_response import EnvDetailResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: CreateEnvReq,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/envs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiError | EnvDetailResponse | str | None:
    if response.status_code == 201:
        response_201 = EnvDetailResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = cast(str, response.content)
        return response_400

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = ApiError.from_dict(response.json())

        return response_409

    if response.status_code == 415:
        response_415 = cast(str, response.content)
        return response_415

    if response.status_code == 422:
        response_422 = cast(str, response.content)
        return response_422

    if response.status_code == 500:
        response_500 = ApiError.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ApiError.from_dict(response.json())

        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApiError | EnvDetailResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateEnvReq,
) -> Response[ApiError | EnvDetailResponse | str]:
    """Create environment

     Places each VM on an online host that has its engine, room for it and (except for
    `docker`) its image, creates them one after the other through the agents, and answers
    when all are done. The VMs are running when it answers. While it works the environment
    already exists, with no VMs and `expires_at` 0.

    Args:
        body (CreateEnvReq): `POST /api/envs`. The page marks `owner` optional and `ssh_keys`
            required; TTstack's code
            requires `owner` and defaults `ssh_keys` to none, so send both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | EnvDetailResponse | str]
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
    body: CreateEnvReq,
) -> ApiError | EnvDetailResponse | str | None:
    """Create environment

     Places each VM on an online host that has its engine, room for it and (except for
    `docker`) its image, creates them one after the other through the agents, and answers
    when all are done. The VMs are running when it answers. While it works the environment
    already exists, with no VMs and `expires_at` 0.

    Args:
        body (CreateEnvReq): `POST /api/envs`. The page marks `owner` optional and `ssh_keys`
            required; TTstack's code
            requires `owner` and defaults `ssh_keys` to none, so send both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | EnvDetailResponse | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateEnvReq,
) -> Response[ApiError | EnvDetailResponse | str]:
    """Create environment

     Places each VM on an online host that has its engine, room for it and (except for
    `docker`) its image, creates them one after the other through the agents, and answers
    when all are done. The VMs are running when it answers. While it works the environment
    already exists, with no VMs and `expires_at` 0.

    Args:
        body (CreateEnvReq): `POST /api/envs`. The page marks `owner` optional and `ssh_keys`
            required; TTstack's code
            requires `owner` and defaults `ssh_keys` to none, so send both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | EnvDetailResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateEnvReq,
) -> ApiError | EnvDetailResponse | str | None:
    """Create environment

     Places each VM on an online host that has its engine, room for it and (except for
    `docker`) its image, creates them one after the other through the agents, and answers
    when all are done. The VMs are running when it answers. While it works the environment
    already exists, with no VMs and `expires_at` 0.

    Args:
        body (CreateEnvReq): `POST /api/envs`. The page marks `owner` optional and `ssh_keys`
            required; TTstack's code
            requires `owner` and defaults `ssh_keys` to none, so send both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | EnvDetailResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
