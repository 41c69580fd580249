from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_body import EmptyBody
from ...models.http_error import HTTPError
from ...models.vm import VM
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EmptyBody | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/vms/refresh",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | list[VM] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = VM.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 403:
        response_403 = HTTPError.from_dict(response.json())

        return response_403

    if response.status_code == 500:
        response_500 = HTTPError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[HTTPError | list[VM]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EmptyBody | Unset = UNSET,
) -> Response[HTTPError | list[VM]]:
    """Read the inventory from Tart again (`tart list`, `tart ip`) and return it.

    Args:
        body (EmptyBody | Unset): The actions take an empty JSON object (`{}`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | list[VM]]
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
    body: EmptyBody | Unset = UNSET,
) -> HTTPError | list[VM] | None:
    """Read the inventory from Tart again (`tart list`, `tart ip`) and return it.

    Args:
        body (EmptyBody | Unset): The actions take an empty JSON object (`{}`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | list[VM]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EmptyBody | Unset = UNSET,
) -> Response[HTTPError | list[VM]]:
    """Read the inventory from Tart again (`tart list`, `tart ip`) and return it.

    Args:
        body (EmptyBody | Unset): The actions take an empty JSON object (`{}`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | list[VM]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: EmptyBody | Unset = UNSET,
) -> HTTPError | list[VM] | None:
    """Read the inventory from Tart again (`tart list`, `tart ip`) and return it.

    Args:
        body (EmptyBody | Unset): The actions take an empty JSON object (`{}`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | list[VM]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
