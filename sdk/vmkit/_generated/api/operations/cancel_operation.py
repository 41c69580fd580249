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
    operation: str,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/operations/{operation}:cancel".format(
            operation=quote(str(operation), safe=""),
        ),
    }

    _kwargs["headers"] = headers
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
    idempotency_key: str | Unset = UNSET,
) -> Response[Operation | Problem]:
    """Ask an operation to stop.

     A pending operation ends `cancelled` at once; a running one is asked to stop and ends
    `cancelled` when its backend call returns or gives up. A finished one answers 409
    `OPERATION_FINISHED`.

    Args:
        operation (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        operation=operation,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    operation: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Operation | Problem | None:
    """Ask an operation to stop.

     A pending operation ends `cancelled` at once; a running one is asked to stop and ends
    `cancelled` when its backend call returns or gives up. A finished one answers 409
    `OPERATION_FINISHED`.

    Args:
        operation (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
    """

    return sync_detailed(
        operation=operation,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    operation: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Response[Operation | Problem]:
    """Ask an operation to stop.

     A pending operation ends `cancelled` at once; a running one is asked to stop and ends
    `cancelled` when its backend call returns or gives up. A finished one answers 409
    `OPERATION_FINISHED`.

    Args:
        operation (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        operation=operation,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    operation: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Operation | Problem | None:
    """Ask an operation to stop.

     A pending operation ends `cancelled` at once; a running one is asked to stop and ends
    `cancelled` when its backend call returns or gives up. A finished one answers 409
    `OPERATION_FINISHED`.

    Args:
        operation (str):
        idempotency_key (str | Unset):

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
            idempotency_key=idempotency_key,
        )
    ).parsed
