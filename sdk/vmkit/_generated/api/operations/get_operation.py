from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation import Operation
from ...models.problem import Problem
from ...types import UNSET, Response


def _get_kwargs(
    operation: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/operations/{operation}".format(
            operation=quote(str(operation), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Operation | Problem:
    if response.status_code == 200:
        response_200 = Operation.from_dict(response.json())

        return response_200

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
    operation: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Operation | Problem]:
    """Get an operation.

    Args:
        operation (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        operation=operation,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    operation: str,
    *,
    client: AuthenticatedClient | Client,
) -> Operation | Problem | None:
    """Get an operation.

    Args:
        operation (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
    """

    return sync_detailed(
        operation=operation,
        client=client,
    ).parsed


async def asyncio_detailed(
    operation: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Operation | Problem]:
    """Get an operation.

    Args:
        operation (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        operation=operation,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    operation: str,
    *,
    client: AuthenticatedClient | Client,
) -> Operation | Problem | None:
    """Get an operation.

    Args:
        operation (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
    """

    return (
        await asyncio_detailed(
            operation=operation,
            client=client,
        )
    ).parsed
