from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_migration_chunk_request import GetMigrationChunkRequest
from ...models.mutation_result import MutationResult
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: GetMigrationChunkRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rpc/GetMigrationChunk",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | MutationResult | None:
    if response.status_code == 200:
        response_200 = MutationResult.from_dict(response.json())

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
) -> Response[ErrorResponse | MutationResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetMigrationChunkRequest,
) -> Response[ErrorResponse | MutationResult]:
    """Read a chunk of VM data

     **Internal**: node-to-node VM migration, not exposed in the SDKs. The document names the
    method and its purpose only; the identifiers here are the least a call needs (chosen shape)
    and other fields may be sent. Peers call it with their `callerNodeID`.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Treated as mutating (chosen: the document's table does not list the
    internal methods): a `fullAccess` token or a trusted node; a read-only token is refused with
    403.

    Args:
        body (GetMigrationChunkRequest): The body of `GetMigrationChunk`. Authentication is in the
            body (`apiToken` or
            `callerNodeID`), so this document declares no security scheme for it. Treated as mutating
            (chosen: the document's table does not list the internal methods): a `fullAccess` token or
            a
            trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MutationResult]
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
    body: GetMigrationChunkRequest,
) -> ErrorResponse | MutationResult | None:
    """Read a chunk of VM data

     **Internal**: node-to-node VM migration, not exposed in the SDKs. The document names the
    method and its purpose only; the identifiers here are the least a call needs (chosen shape)
    and other fields may be sent. Peers call it with their `callerNodeID`.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Treated as mutating (chosen: the document's table does not list the
    internal methods): a `fullAccess` token or a trusted node; a read-only token is refused with
    403.

    Args:
        body (GetMigrationChunkRequest): The body of `GetMigrationChunk`. Authentication is in the
            body (`apiToken` or
            `callerNodeID`), so this document declares no security scheme for it. Treated as mutating
            (chosen: the document's table does not list the internal methods): a `fullAccess` token or
            a
            trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MutationResult
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetMigrationChunkRequest,
) -> Response[ErrorResponse | MutationResult]:
    """Read a chunk of VM data

     **Internal**: node-to-node VM migration, not exposed in the SDKs. The document names the
    method and its purpose only; the identifiers here are the least a call needs (chosen shape)
    and other fields may be sent. Peers call it with their `callerNodeID`.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Treated as mutating (chosen: the document's table does not list the
    internal methods): a `fullAccess` token or a trusted node; a read-only token is refused with
    403.

    Args:
        body (GetMigrationChunkRequest): The body of `GetMigrationChunk`. Authentication is in the
            body (`apiToken` or
            `callerNodeID`), so this document declares no security scheme for it. Treated as mutating
            (chosen: the document's table does not list the internal methods): a `fullAccess` token or
            a
            trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | MutationResult]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GetMigrationChunkRequest,
) -> ErrorResponse | MutationResult | None:
    """Read a chunk of VM data

     **Internal**: node-to-node VM migration, not exposed in the SDKs. The document names the
    method and its purpose only; the identifiers here are the least a call needs (chosen shape)
    and other fields may be sent. Peers call it with their `callerNodeID`.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Treated as mutating (chosen: the document's table does not list the
    internal methods): a `fullAccess` token or a trusted node; a read-only token is refused with
    403.

    Args:
        body (GetMigrationChunkRequest): The body of `GetMigrationChunk`. Authentication is in the
            body (`apiToken` or
            `callerNodeID`), so this document declares no security scheme for it. Treated as mutating
            (chosen: the document's table does not list the internal methods): a `fullAccess` token or
            a
            trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | MutationResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
