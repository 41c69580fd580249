from http import HTTPStatus
from io import BytesIO
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.guest_file import GuestFile
from ...models.problem import Problem
from ...types import UNSET, File, FileTypes, Response, Unset


def _get_kwargs(
    vm: str,
    *,
    body: File,
    mode: str | Unset = UNSET,
    path: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["mode"] = mode

    params["path"] = path

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/vms/{vm}/files".format(
            vm=quote(str(vm), safe=""),
        ),
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GuestFile | Problem:
    if response.status_code == 200:
        response_200 = GuestFile.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GuestFile | Problem]:
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
    body: File,
    mode: str | Unset = UNSET,
    path: str,
) -> Response[GuestFile | Problem]:
    """Write a file into a running VM's guest.

     Creates or replaces the file at `path` with the request body
    (`application/octet-stream`, at most the server's upload limit, 413 beyond).

    Args:
        vm (str):
        mode (str | Unset):
        path (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GuestFile | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
        mode=mode,
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
    body: File,
    mode: str | Unset = UNSET,
    path: str,
) -> GuestFile | Problem | None:
    """Write a file into a running VM's guest.

     Creates or replaces the file at `path` with the request body
    (`application/octet-stream`, at most the server's upload limit, 413 beyond).

    Args:
        vm (str):
        mode (str | Unset):
        path (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GuestFile | Problem
    """

    return sync_detailed(
        vm=vm,
        client=client,
        body=body,
        mode=mode,
        path=path,
    ).parsed


async def asyncio_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    mode: str | Unset = UNSET,
    path: str,
) -> Response[GuestFile | Problem]:
    """Write a file into a running VM's guest.

     Creates or replaces the file at `path` with the request body
    (`application/octet-stream`, at most the server's upload limit, 413 beyond).

    Args:
        vm (str):
        mode (str | Unset):
        path (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GuestFile | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
        mode=mode,
        path=path,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    mode: str | Unset = UNSET,
    path: str,
) -> GuestFile | Problem | None:
    """Write a file into a running VM's guest.

     Creates or replaces the file at `path` with the request body
    (`application/octet-stream`, at most the server's upload limit, 413 beyond).

    Args:
        vm (str):
        mode (str | Unset):
        path (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GuestFile | Problem
    """

    return (
        await asyncio_detailed(
            vm=vm,
            client=client,
            body=body,
            mode=mode,
            path=path,
        )
    ).parsed
