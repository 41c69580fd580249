from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_vm_on_node_request import CreateVmOnNodeRequest
from ...models.create_vm_on_node_result import CreateVmOnNodeResult
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: CreateVmOnNodeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rpc/CreateVMOnNode",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateVmOnNodeResult | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CreateVmOnNodeResult.from_dict(response.json())

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
) -> Response[CreateVmOnNodeResult | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVmOnNodeRequest,
) -> Response[CreateVmOnNodeResult | ErrorResponse]:
    """Create a VM

     Installs macOS from an OCI image cached on the node (pull it first with
    `PullOCIImageOnNode`) or from an IPSW file; one of them is required. Runs as a task of type
    `createVM`: the VM is listed by `ListVMs` (stopped) once the task completes.

    Quirk: the seed's curl example names the fields `memoryMB`, `diskGB` and `ociImage`, the
    vendor SDK sends `memorySizeMB`, `diskSizeGB` and `ociImageReference`; both spellings are
    described here.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateVmOnNodeRequest): The body of `CreateVMOnNode`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateVmOnNodeResult | ErrorResponse]
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
    body: CreateVmOnNodeRequest,
) -> CreateVmOnNodeResult | ErrorResponse | None:
    """Create a VM

     Installs macOS from an OCI image cached on the node (pull it first with
    `PullOCIImageOnNode`) or from an IPSW file; one of them is required. Runs as a task of type
    `createVM`: the VM is listed by `ListVMs` (stopped) once the task completes.

    Quirk: the seed's curl example names the fields `memoryMB`, `diskGB` and `ociImage`, the
    vendor SDK sends `memorySizeMB`, `diskSizeGB` and `ociImageReference`; both spellings are
    described here.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateVmOnNodeRequest): The body of `CreateVMOnNode`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateVmOnNodeResult | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVmOnNodeRequest,
) -> Response[CreateVmOnNodeResult | ErrorResponse]:
    """Create a VM

     Installs macOS from an OCI image cached on the node (pull it first with
    `PullOCIImageOnNode`) or from an IPSW file; one of them is required. Runs as a task of type
    `createVM`: the VM is listed by `ListVMs` (stopped) once the task completes.

    Quirk: the seed's curl example names the fields `memoryMB`, `diskGB` and `ociImage`, the
    vendor SDK sends `memorySizeMB`, `diskSizeGB` and `ociImageReference`; both spellings are
    described here.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateVmOnNodeRequest): The body of `CreateVMOnNode`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateVmOnNodeResult | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateVmOnNodeRequest,
) -> CreateVmOnNodeResult | ErrorResponse | None:
    """Create a VM

     Installs macOS from an OCI image cached on the node (pull it first with
    `PullOCIImageOnNode`) or from an IPSW file; one of them is required. Runs as a task of type
    `createVM`: the VM is listed by `ListVMs` (stopped) once the task completes.

    Quirk: the seed's curl example names the fields `memoryMB`, `diskGB` and `ociImage`, the
    vendor SDK sends `memorySizeMB`, `diskSizeGB` and `ociImageReference`; both spellings are
    described here.

    Authentication is in the body (`apiToken` or `callerNodeID`), so this document declares no
    security scheme for it. Mutating: needs a `fullAccess` token or a trusted node; a read-only
    token is refused with 403.

    Args:
        body (CreateVmOnNodeRequest): The body of `CreateVMOnNode`. Authentication is in the body
            (`apiToken` or `callerNodeID`),
            so this document declares no security scheme for it. Mutating: needs a `fullAccess` token
            or
            a trusted node; a read-only token is refused with 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateVmOnNodeResult | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
