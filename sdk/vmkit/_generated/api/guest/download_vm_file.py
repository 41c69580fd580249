from http import HTTPStatus
from io import BytesIO
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, FileTypes, Response


def _get_kwargs(
    vm: str,
    *,
    path: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["path"] = path

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/vms/{vm}/files".format(
            vm=quote(str(vm), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | Problem:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[File | Problem]:
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
    path: str,
) -> Response[File | Problem]:
    """Read a file from a running VM's guest.

     The file's bytes; 404 `FILE_NOT_FOUND` when the guest has no such file.

    Args:
        vm (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        path=path,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    path: str,
) -> File | Problem | None:
    """Read a file from a running VM's guest.

     The file's bytes; 404 `FILE_NOT_FOUND` when the guest has no such file.

    Args:
        vm (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        vm=vm,
        client=client,
        path=path,
    ).parsed


async def asyncio_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    path: str,
) -> Response[File | Problem]:
    """Read a file from a running VM's guest.

     The file's bytes; 404 `FILE_NOT_FOUND` when the guest has no such file.

    Args:
        vm (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        path=path,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    path: str,
) -> File | Problem | None:
    """Read a file from a running VM's guest.

     The file's bytes; 404 `FILE_NOT_FOUND` when the guest has no such file.

    Args:
        vm (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            vm=vm,
            client=client,
            path=path,
        )
    ).parsed
