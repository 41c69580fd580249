from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.snapshot import Snapshot
from ...types import UNSET, Response


def _get_kwargs(
    vm: str,
    snapshot: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/vms/{vm}/snapshots/{snapshot}".format(
            vm=quote(str(vm), safe=""),
            snapshot=quote(str(snapshot), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Snapshot:
    if response.status_code == 200:
        response_200 = Snapshot.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Snapshot]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    vm: str,
    snapshot: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | Snapshot]:
    """Get a snapshot.

    Args:
        vm (str):
        snapshot (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Snapshot]
    """

    kwargs = _get_kwargs(
        vm=vm,
        snapshot=snapshot,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm: str,
    snapshot: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | Snapshot | None:
    """Get a snapshot.

    Args:
        vm (str):
        snapshot (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Snapshot
    """

    return sync_detailed(
        vm=vm,
        snapshot=snapshot,
        client=client,
    ).parsed


async def asyncio_detailed(
    vm: str,
    snapshot: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | Snapshot]:
    """Get a snapshot.

    Args:
        vm (str):
        snapshot (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Snapshot]
    """

    kwargs = _get_kwargs(
        vm=vm,
        snapshot=snapshot,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    snapshot: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | Snapshot | None:
    """Get a snapshot.

    Args:
        vm (str):
        snapshot (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Snapshot
    """

    return (
        await asyncio_detailed(
            vm=vm,
            snapshot=snapshot,
            client=client,
        )
    ).parsed
