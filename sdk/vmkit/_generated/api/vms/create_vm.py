from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation import Operation
from ...models.problem import Problem
from ...models.vm_create import VMCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: VMCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/vms",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

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
    *,
    client: AuthenticatedClient | Client,
    body: VMCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Operation | Problem]:
    """Create a VM.

     Creates the VM record at once (state `creating`) and provisions it in the background.
    The Operation ends with the VM `stopped`, or `running` when `start` is true.

    Args:
        idempotency_key (str | Unset):
        body (VMCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: VMCreate,
    idempotency_key: str | Unset = UNSET,
) -> Operation | Problem | None:
    """Create a VM.

     Creates the VM record at once (state `creating`) and provisions it in the background.
    The Operation ends with the VM `stopped`, or `running` when `start` is true.

    Args:
        idempotency_key (str | Unset):
        body (VMCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VMCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Operation | Problem]:
    """Create a VM.

     Creates the VM record at once (state `creating`) and provisions it in the background.
    The Operation ends with the VM `stopped`, or `running` when `start` is true.

    Args:
        idempotency_key (str | Unset):
        body (VMCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: VMCreate,
    idempotency_key: str | Unset = UNSET,
) -> Operation | Problem | None:
    """Create a VM.

     Creates the VM record at once (state `creating`) and provisions it in the background.
    The Operation ends with the VM `stopped`, or `running` when `start` is true.

    Args:
        idempotency_key (str | Unset):
        body (VMCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
