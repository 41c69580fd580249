from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_error import HTTPError
from ...models.vm import VM
from ...types import UNSET, Response


def _get_kwargs(
    vm_name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/vms/{vm_name}".format(
            vm_name=quote(str(vm_name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | VM | None:
    if response.status_code == 200:
        response_200 = VM.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = HTTPError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = HTTPError.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[HTTPError | VM]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[HTTPError | VM]:
    """One VM from the cached inventory, by name.

    Args:
        vm_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | VM]
    """

    kwargs = _get_kwargs(
        vm_name=vm_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> HTTPError | VM | None:
    """One VM from the cached inventory, by name.

    Args:
        vm_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | VM
    """

    return sync_detailed(
        vm_name=vm_name,
        client=client,
    ).parsed


async def asyncio_detailed(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[HTTPError | VM]:
    """One VM from the cached inventory, by name.

    Args:
        vm_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | VM]
    """

    kwargs = _get_kwargs(
        vm_name=vm_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> HTTPError | VM | None:
    """One VM from the cached inventory, by name.

    Args:
        vm_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | VM
    """

    return (
        await asyncio_detailed(
            vm_name=vm_name,
            client=client,
        )
    ).parsed
