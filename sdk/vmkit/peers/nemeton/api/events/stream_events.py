from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import UNSET, Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | str]:
    """Live events (Server-Sent Events; WebSocket on the same path)

     Live events as Server-Sent Events; a WebSocket upgrade on the same path receives the
    same events. The page lists these event types:

    - `vm.started`, `vm.stopped`, `vm.paused`, `vm.resumed`, `vm.error`
    - `snapshot.created`, `snapshot.restored`, `snapshot.deleted`
    - `console.output`
    - `download.started`, `download.completed`, `download.failed`

    Chosen shape: each SSE message has the event type as its `event:` field and an
    `Event` object as JSON in its `data:` field (a WebSocket message is that JSON alone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> Error | str | None:
    """Live events (Server-Sent Events; WebSocket on the same path)

     Live events as Server-Sent Events; a WebSocket upgrade on the same path receives the
    same events. The page lists these event types:

    - `vm.started`, `vm.stopped`, `vm.paused`, `vm.resumed`, `vm.error`
    - `snapshot.created`, `snapshot.restored`, `snapshot.deleted`
    - `console.output`
    - `download.started`, `download.completed`, `download.failed`

    Chosen shape: each SSE message has the event type as its `event:` field and an
    `Event` object as JSON in its `data:` field (a WebSocket message is that JSON alone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | str]:
    """Live events (Server-Sent Events; WebSocket on the same path)

     Live events as Server-Sent Events; a WebSocket upgrade on the same path receives the
    same events. The page lists these event types:

    - `vm.started`, `vm.stopped`, `vm.paused`, `vm.resumed`, `vm.error`
    - `snapshot.created`, `snapshot.restored`, `snapshot.deleted`
    - `console.output`
    - `download.started`, `download.completed`, `download.failed`

    Chosen shape: each SSE message has the event type as its `event:` field and an
    `Event` object as JSON in its `data:` field (a WebSocket message is that JSON alone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> Error | str | None:
    """Live events (Server-Sent Events; WebSocket on the same path)

     Live events as Server-Sent Events; a WebSocket upgrade on the same path receives the
    same events. The page lists these event types:

    - `vm.started`, `vm.stopped`, `vm.paused`, `vm.resumed`, `vm.error`
    - `snapshot.created`, `snapshot.restored`, `snapshot.deleted`
    - `console.output`
    - `download.started`, `download.completed`, `download.failed`

    Chosen shape: each SSE message has the event type as its `event:` field and an
    `Event` object as JSON in its `data:` field (a WebSocket message is that JSON alone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
