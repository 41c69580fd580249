from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.vm_list import VMList
from ...models.vm_state_filter import VMStateFilter
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[VMStateFilter] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
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

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label

    params["label"] = json_label

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/vms",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | VMList:
    if response.status_code == 200:
        response_200 = VMList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | VMList]:
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
    state: list[VMStateFilter] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
) -> Response[Problem | VMList]:
    """List VMs.

     Ordered by creation time, then id. Filters combine with AND.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[VMStateFilter] | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VMList]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        state=state,
        label=label,
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
    state: list[VMStateFilter] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
) -> Problem | VMList | None:
    """List VMs.

     Ordered by creation time, then id. Filters combine with AND.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[VMStateFilter] | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VMList
    """

    return sync_detailed(
        client=client,
        page_size=page_size,
        page_token=page_token,
        state=state,
        label=label,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[VMStateFilter] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
) -> Response[Problem | VMList]:
    """List VMs.

     Ordered by creation time, then id. Filters combine with AND.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[VMStateFilter] | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VMList]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        state=state,
        label=label,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    state: list[VMStateFilter] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
) -> Problem | VMList | None:
    """List VMs.

     Ordered by creation time, then id. Filters combine with AND.

    Args:
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        state (list[VMStateFilter] | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VMList
    """

    return (
        await asyncio_detailed(
            client=client,
            page_size=page_size,
            page_token=page_token,
            state=state,
            label=label,
        )
    ).parsed
