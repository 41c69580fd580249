from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_request import CreateRequest
from ...models.http_error import HTTPError
from ...models.http_validation_error import HTTPValidationError
from ...models.task import Task
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: CreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/vms/create",
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
    *,
    client: AuthenticatedClient | Client,
    body: CreateRequest,
) -> Response[HTTPError | HTTPValidationError | Task]:
    """Create a VM by cloning a base image, then set its CPUs, memory and disk.

     Runs `tart clone <source_vm> <name>`, then `tart set` for the CPUs, the memory (given in
    GB) and the disk size (GB). A setting Tart refuses (a disk smaller than the image's, say)
    is only a warning line in the task's logs: the task still completes.

    Args:
        body (CreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | Task]
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
    body: CreateRequest,
) -> HTTPError | HTTPValidationError | Task | None:
    """Create a VM by cloning a base image, then set its CPUs, memory and disk.

     Runs `tart clone <source_vm> <name>`, then `tart set` for the CPUs, the memory (given in
    GB) and the disk size (GB). A setting Tart refuses (a disk smaller than the image's, say)
    is only a warning line in the task's logs: the task still completes.

    Args:
        body (CreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | Task
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateRequest,
) -> Response[HTTPError | HTTPValidationError | Task]:
    """Create a VM by cloning a base image, then set its CPUs, memory and disk.

     Runs `tart clone <source_vm> <name>`, then `tart set` for the CPUs, the memory (given in
    GB) and the disk size (GB). A setting Tart refuses (a disk smaller than the image's, say)
    is only a warning line in the task's logs: the task still completes.

    Args:
        body (CreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | Task]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateRequest,
) -> HTTPError | HTTPValidationError | Task | None:
    """Create a VM by cloning a base image, then set its CPUs, memory and disk.

     Runs `tart clone <source_vm> <name>`, then `tart set` for the CPUs, the memory (given in
    GB) and the disk size (GB). A setting Tart refuses (a disk smaller than the image's, say)
    is only a warning line in the task's logs: the task still completes.

    Args:
        body (CreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | Task
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
