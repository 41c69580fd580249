from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.snapshot import Snapshot
from ...models.snapshot_create import SnapshotCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: SnapshotCreate | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/vms/{id}/snapshots".format(
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Snapshot | None:
    if response.status_code == 201:
        response_201 = Snapshot.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | Snapshot]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SnapshotCreate | Unset = UNSET,
) -> Response[Error | Snapshot]:
    """Create snapshot

     Chosen shape: an optional JSON body naming the snapshot; answers 201 with it. Allowed from
    `stopped`, `running` and `paused`; 409 otherwise. The page does not say whether a snapshot of a
    running VM includes its memory; this description assumes the disk only.

    Args:
        id (str):
        body (SnapshotCreate | Unset): Chosen shape: an optional name (Nemeton picks one when it
            is absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Snapshot]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SnapshotCreate | Unset = UNSET,
) -> Error | Snapshot | None:
    """Create snapshot

     Chosen shape: an optional JSON body naming the snapshot; answers 201 with it. Allowed from
    `stopped`, `running` and `paused`; 409 otherwise. The page does not say whether a snapshot of a
    running VM includes its memory; this description assumes the disk only.

    Args:
        id (str):
        body (SnapshotCreate | Unset): Chosen shape: an optional name (Nemeton picks one when it
            is absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Snapshot
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SnapshotCreate | Unset = UNSET,
) -> Response[Error | Snapshot]:
    """Create snapshot

     Chosen shape: an optional JSON body naming the snapshot; answers 201 with it. Allowed from
    `stopped`, `running` and `paused`; 409 otherwise. The page does not say whether a snapshot of a
    running VM includes its memory; this description assumes the disk only.

    Args:
        id (str):
        body (SnapshotCreate | Unset): Chosen shape: an optional name (Nemeton picks one when it
            is absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Snapshot]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SnapshotCreate | Unset = UNSET,
) -> Error | Snapshot | None:
    """Create snapshot

     Chosen shape: an optional JSON body naming the snapshot; answers 201 with it. Allowed from
    `stopped`, `running` and `paused`; 409 otherwise. The page does not say whether a snapshot of a
    running VM includes its memory; this description assumes the disk only.

    Args:
        id (str):
        body (SnapshotCreate | Unset): Chosen shape: an optional name (Nemeton picks one when it
            is absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Snapshot
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
