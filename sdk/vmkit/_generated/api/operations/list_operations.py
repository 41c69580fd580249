from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation_list import OperationList
from ...models.operation_state import OperationState
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[OperationState] | Unset = UNSET,
    vm: str | Unset = UNSET,
    kind: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page_size"] = page_size

    params["page_token"] = page_token

    json_state: list[str] | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = []
        for state_item_data in state:
            state_item = state_item_data.value
            json_state.append(state_item)

    params["state"] = json_state

    params["vm"] = vm

    params["kind"] = kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/operations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OperationList | Problem:
    if response.status_code == 200:
        response_200 = OperationList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OperationList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[OperationState] | Unset = UNSET,
    vm: str | Unset = UNSET,
    kind: str | Unset = UNSET,
) -> Response[OperationList | Problem]:
    """List operations, oldest first.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[OperationState] | Unset):
        vm (str | Unset):
        kind (str | Unset): What the operation does: `vm.create, vm.delete, vm.start, vm.stop,
            vm.force_stop,
            vm.restart, vm.pause, vm.resume, vm.suspend, vm.clone, snapshot.create,
            snapshot.restore, snapshot.delete`. Clients must tolerate kinds added later.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationList | Problem]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        state=state,
        vm=vm,
        kind=kind,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[OperationState] | Unset = UNSET,
    vm: str | Unset = UNSET,
    kind: str | Unset = UNSET,
) -> OperationList | Problem | None:
    """List operations, oldest first.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[OperationState] | Unset):
        vm (str | Unset):
        kind (str | Unset): What the operation does: `vm.create, vm.delete, vm.start, vm.stop,
            vm.force_stop,
            vm.restart, vm.pause, vm.resume, vm.suspend, vm.clone, snapshot.create,
            snapshot.restore, snapshot.delete`. Clients must tolerate kinds added later.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationList | Problem
    """

    return sync_detailed(
        client=client,
        page_size=page_size,
        page_token=page_token,
        state=state,
        vm=vm,
        kind=kind,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[OperationState] | Unset = UNSET,
    vm: str | Unset = UNSET,
    kind: str | Unset = UNSET,
) -> Response[OperationList | Problem]:
    """List operations, oldest first.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[OperationState] | Unset):
        vm (str | Unset):
        kind (str | Unset): What the operation does: `vm.create, vm.delete, vm.start, vm.stop,
            vm.force_stop,
            vm.restart, vm.pause, vm.resume, vm.suspend, vm.clone, snapshot.create,
            snapshot.restore, snapshot.delete`. Clients must tolerate kinds added later.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationList | Problem]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        state=state,
        vm=vm,
        kind=kind,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[OperationState] | Unset = UNSET,
    vm: str | Unset = UNSET,
    kind: str | Unset = UNSET,
) -> OperationList | Problem | None:
    """List operations, oldest first.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[OperationState] | Unset):
        vm (str | Unset):
        kind (str | Unset): What the operation does: `vm.create, vm.delete, vm.start, vm.stop,
            vm.force_stop,
            vm.restart, vm.pause, vm.resume, vm.suspend, vm.clone, snapshot.create,
            snapshot.restore, snapshot.delete`. Clients must tolerate kinds added later.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            page_size=page_size,
            page_token=page_token,
            state=state,
            vm=vm,
            kind=kind,
        )
    ).parsed
