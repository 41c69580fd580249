from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_vm_settings_request import GetVmSettingsRequest
from ...models.get_vm_settings_result import GetVmSettingsResult
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: GetVmSettingsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rpc/GetVMSettings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetVmSettingsResult | None:
    if response.status_code == 200:
        response_200 = GetVmSettingsResult.from_dict(response.json())

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
) -> Response[ErrorResponse | GetVmSettingsResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetVmSettingsRequest,
) -> Response[ErrorResponse | GetVmSettingsResult]:
    """Get VM configuration

     Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Non-mutating: a read-only token may call it.

    Args:
        body (GetVmSettingsRequest): The body of `GetVMSettings`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Non-mutating: a read-only token may
            call it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetVmSettingsResult]
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
    body: GetVmSettingsRequest,
) -> ErrorResponse | GetVmSettingsResult | None:
    """Get VM configuration

     Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Non-mutating: a read-only token may call it.

    Args:
        body (GetVmSettingsRequest): The body of `GetVMSettings`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Non-mutating: a read-only token may
            call it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetVmSettingsResult
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GetVmSettingsRequest,
) -> Response[ErrorResponse | GetVmSettingsResult]:
    """Get VM configuration

     Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Non-mutating: a read-only token may call it.

    Args:
        body (GetVmSettingsRequest): The body of `GetVMSettings`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Non-mutating: a read-only token may
            call it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetVmSettingsResult]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GetVmSettingsRequest,
) -> ErrorResponse | GetVmSettingsResult | None:
    """Get VM configuration

     Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Non-mutating: a read-only token may call it.

    Args:
        body (GetVmSettingsRequest): The body of `GetVMSettings`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Non-mutating: a read-only token may
            call it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetVmSettingsResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
