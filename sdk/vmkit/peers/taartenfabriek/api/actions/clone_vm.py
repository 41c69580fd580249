from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.clone_request import CloneRequest
from ...models.http_error import HTTPError
from ...models.http_validation_error import HTTPValidationError
from ...models.task import Task
from ...types import UNSET, Response


def _get_kwargs(
    vm_name: str,
    *,
    body: CloneRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/vms/{vm_name}/clone".format(
            vm_name=quote(str(vm_name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | HTTPValidationError | Task | None:
    if response.status_code == 200:
        response_200 = Task.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = HTTPError.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[HTTPError | HTTPValidationError | Task]:
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
    body: CloneRequest,
) -> Response[HTTPError | HTTPValidationError | Task]:
    """Clone a VM (`tart clone <name> <new_name>`) and optionally start the clone with VNC.

    Args:
        vm_name (str):
        body (CloneRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | Task]
    """

    kwargs = _get_kwargs(
        vm_name=vm_name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: CloneRequest,
) -> HTTPError | HTTPValidationError | Task | None:
    """Clone a VM (`tart clone <name> <new_name>`) and optionally start the clone with VNC.

    Args:
        vm_name (str):
        body (CloneRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | Task
    """

    return sync_detailed(
        vm_name=vm_name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: CloneRequest,
) -> Response[HTTPError | HTTPValidationError | Task]:
    """Clone a VM (`tart clone <name> <new_name>`) and optionally start the clone with VNC.

    Args:
        vm_name (str):
        body (CloneRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | Task]
    """

    kwargs = _get_kwargs(
        vm_name=vm_name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: CloneRequest,
) -> HTTPError | HTTPValidationError | Task | None:
    """Clone a VM (`tart clone <name> <new_name>`) and optionally start the clone with VNC.

    Args:
        vm_name (str):
        body (CloneRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | Task
    """

    return (
        await asyncio_detailed(
            vm_name=vm_name,
            client=client,
            body=body,
        )
    ).parsed
