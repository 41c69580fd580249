from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_snapshot_request import CreateSnapshotRequest
from ...models.create_snapshot_result import CreateSnapshotResult
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: CreateSnapshotRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rpc/CreateSnapshot",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateSnapshotResult | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CreateSnapshotResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateSnapshotResult | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateSnapshotRequest,
) -> Response[CreateSnapshotResult | ErrorResponse]:
    """Create a snapshot

     Snapshots the VM's disk (not its RAM).

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateSnapshotRequest): The body of `CreateSnapshot`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateSnapshotResult | ErrorResponse]
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
    body: CreateSnapshotRequest,
) -> CreateSnapshotResult | ErrorResponse | None:
    """Create a snapshot

     Snapshots the VM's disk (not its RAM).

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateSnapshotRequest): The body of `CreateSnapshot`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateSnapshotResult | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateSnapshotRequest,
) -> Response[CreateSnapshotResult | ErrorResponse]:
    """Create a snapshot

     Snapshots the VM's disk (not its RAM).

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateSnapshotRequest): The body of `CreateSnapshot`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateSnapshotResult | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateSnapshotRequest,
) -> CreateSnapshotResult | ErrorResponse | None:
    """Create a snapshot

     Snapshots the VM's disk (not its RAM).

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateSnapshotRequest): The body of `CreateSnapshot`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateSnapshotResult | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
