from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complete_pairing_request import CompletePairingRequest
from ...models.error_response import ErrorResponse
from ...models.mutation_result import MutationResult
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: CompletePairingRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rpc/CompletePairing",
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
    body: CompletePairingRequest,
) -> Response[ErrorResponse | MutationResult]:
    """Complete pairing (no auth needed)

     Needs no authentication. The document gives no fields; the ones here tie it to its
    `RequestPairing` (chosen shape), others may be sent.

    No authentication: `apiToken`/`callerNodeID` are not needed.

    Args:
        body (CompletePairingRequest): The body of `CompletePairing`. No authentication:
            `apiToken`/`callerNodeID` are not needed.

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
    body: CompletePairingRequest,
) -> ErrorResponse | MutationResult | None:
    """Complete pairing (no auth needed)

     Needs no authentication. The document gives no fields; the ones here tie it to its
    `RequestPairing` (chosen shape), others may be sent.

    No authentication: `apiToken`/`callerNodeID` are not needed.

    Args:
        body (CompletePairingRequest): The body of `CompletePairing`. No authentication:
            `apiToken`/`callerNodeID` are not needed.

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
    body: CompletePairingRequest,
) -> Response[ErrorResponse | MutationResult]:
    """Complete pairing (no auth needed)

     Needs no authentication. The document gives no fields; the ones here tie it to its
    `RequestPairing` (chosen shape), others may be sent.

    No authentication: `apiToken`/`callerNodeID` are not needed.

    Args:
        body (CompletePairingRequest): The body of `CompletePairing`. No authentication:
            `apiToken`/`callerNodeID` are not needed.

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
    body: CompletePairingRequest,
) -> ErrorResponse | MutationResult | None:
    """Complete pairing (no auth needed)

     Needs no authentication. The document gives no fields; the ones here tie it to its
    `RequestPairing` (chosen shape), others may be sent.

    No authentication: `apiToken`/`callerNodeID` are not needed.

    Args:
        body (CompletePairingRequest): The body of `CompletePairing`. No authentication:
            `apiToken`/`callerNodeID` are not needed.

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
