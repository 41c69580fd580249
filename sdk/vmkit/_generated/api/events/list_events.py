from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_list import EventList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    types: list[str] | Unset = UNSET,
    vm: str | Unset = UNSET,
    since: int | Unset = UNSET,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    heartbeat_seconds: float | Unset = 15.0,
    last_event_id_header: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id_header, Unset):
        headers["Last-Event-ID"] = last_event_id_header

    params: dict[str, Any] = {}

    json_types: list[str] | Unset = UNSET
    if not isinstance(types, Unset):
        json_types = types

    params["types"] = json_types

    params["vm"] = vm

    params["since"] = since

    params["page_size"] = page_size

    params["page_token"] = page_token

    params["last_event_id"] = last_event_id_query

    params["heartbeat_seconds"] = heartbeat_seconds

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventList | Problem:
    if response.status_code == 200:
        response_200 = EventList.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EventList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    types: list[str] | Unset = UNSET,
    vm: str | Unset = UNSET,
    since: int | Unset = UNSET,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    heartbeat_seconds: float | Unset = 15.0,
    last_event_id_header: str | Unset = UNSET,
) -> Response[EventList | Problem]:
    """Read the event log, as a page or as a live stream.

     The durable event log, oldest first, with monotonic integer ids.

    * As JSON (the default): one page of events after `since` (exclusive), for
      polling clients; pass the last id you saw as `since` next time.
    * As Server-Sent Events (`Accept: text/event-stream`): every matching event from
      `Last-Event-ID` (the header, else the `last_event_id` query parameter, else
      `since`; exclusive; the live tail when absent) on, then live, each frame with
      `id`, `event` (the type) and `data` (the Event as JSON); a comment line every
      `heartbeat_seconds` of silence keeps proxies from closing the connection. When
      the log no longer holds the event after `Last-Event-ID` (pruned), or never held
      that id, the stream first sends an `event: reset` frame (data: a `StreamReset`)
      instead of silently skipping what was lost; its `id` is where the stream goes on
      from (the oldest event still held, minus one). The stream ends when the server
      shuts down, and at the next heartbeat after its token stopped being valid.

    The same frames are served over WebSocket at `/v1/events/ws` (token in the
    `Authorization` header or `?token=`): one text message per event,
    `{"id": ..., "event": <type>, "data": <Event>}`.

    Args:
        types (list[str] | Unset):
        vm (str | Unset):
        since (int | Unset):
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        last_event_id_query (int | Unset):
        heartbeat_seconds (float | Unset):  Default: 15.0.
        last_event_id_header (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventList | Problem]
    """

    kwargs = _get_kwargs(
        types=types,
        vm=vm,
        since=since,
        page_size=page_size,
        page_token=page_token,
        last_event_id_query=last_event_id_query,
        heartbeat_seconds=heartbeat_seconds,
        last_event_id_header=last_event_id_header,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    types: list[str] | Unset = UNSET,
    vm: str | Unset = UNSET,
    since: int | Unset = UNSET,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    heartbeat_seconds: float | Unset = 15.0,
    last_event_id_header: str | Unset = UNSET,
) -> EventList | Problem | None:
    """Read the event log, as a page or as a live stream.

     The durable event log, oldest first, with monotonic integer ids.

    * As JSON (the default): one page of events after `since` (exclusive), for
      polling clients; pass the last id you saw as `since` next time.
    * As Server-Sent Events (`Accept: text/event-stream`): every matching event from
      `Last-Event-ID` (the header, else the `last_event_id` query parameter, else
      `since`; exclusive; the live tail when absent) on, then live, each frame with
      `id`, `event` (the type) and `data` (the Event as JSON); a comment line every
      `heartbeat_seconds` of silence keeps proxies from closing the connection. When
      the log no longer holds the event after `Last-Event-ID` (pruned), or never held
      that id, the stream first sends an `event: reset` frame (data: a `StreamReset`)
      instead of silently skipping what was lost; its `id` is where the stream goes on
      from (the oldest event still held, minus one). The stream ends when the server
      shuts down, and at the next heartbeat after its token stopped being valid.

    The same frames are served over WebSocket at `/v1/events/ws` (token in the
    `Authorization` header or `?token=`): one text message per event,
    `{"id": ..., "event": <type>, "data": <Event>}`.

    Args:
        types (list[str] | Unset):
        vm (str | Unset):
        since (int | Unset):
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        last_event_id_query (int | Unset):
        heartbeat_seconds (float | Unset):  Default: 15.0.
        last_event_id_header (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventList | Problem
    """

    return sync_detailed(
        client=client,
        types=types,
        vm=vm,
        since=since,
        page_size=page_size,
        page_token=page_token,
        last_event_id_query=last_event_id_query,
        heartbeat_seconds=heartbeat_seconds,
        last_event_id_header=last_event_id_header,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    types: list[str] | Unset = UNSET,
    vm: str | Unset = UNSET,
    since: int | Unset = UNSET,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    heartbeat_seconds: float | Unset = 15.0,
    last_event_id_header: str | Unset = UNSET,
) -> Response[EventList | Problem]:
    """Read the event log, as a page or as a live stream.

     The durable event log, oldest first, with monotonic integer ids.

    * As JSON (the default): one page of events after `since` (exclusive), for
      polling clients; pass the last id you saw as `since` next time.
    * As Server-Sent Events (`Accept: text/event-stream`): every matching event from
      `Last-Event-ID` (the header, else the `last_event_id` query parameter, else
      `since`; exclusive; the live tail when absent) on, then live, each frame with
      `id`, `event` (the type) and `data` (the Event as JSON); a comment line every
      `heartbeat_seconds` of silence keeps proxies from closing the connection. When
      the log no longer holds the event after `Last-Event-ID` (pruned), or never held
      that id, the stream first sends an `event: reset` frame (data: a `StreamReset`)
      instead of silently skipping what was lost; its `id` is where the stream goes on
      from (the oldest event still held, minus one). The stream ends when the server
      shuts down, and at the next heartbeat after its token stopped being valid.

    The same frames are served over WebSocket at `/v1/events/ws` (token in the
    `Authorization` header or `?token=`): one text message per event,
    `{"id": ..., "event": <type>, "data": <Event>}`.

    Args:
        types (list[str] | Unset):
        vm (str | Unset):
        since (int | Unset):
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        last_event_id_query (int | Unset):
        heartbeat_seconds (float | Unset):  Default: 15.0.
        last_event_id_header (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventList | Problem]
    """

    kwargs = _get_kwargs(
        types=types,
        vm=vm,
        since=since,
        page_size=page_size,
        page_token=page_token,
        last_event_id_query=last_event_id_query,
        heartbeat_seconds=heartbeat_seconds,
        last_event_id_header=last_event_id_header,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    types: list[str] | Unset = UNSET,
    vm: str | Unset = UNSET,
    since: int | Unset = UNSET,
    page_size: int | Unset = 50,
    page_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    heartbeat_seconds: float | Unset = 15.0,
    last_event_id_header: str | Unset = UNSET,
) -> EventList | Problem | None:
    """Read the event log, as a page or as a live stream.

     The durable event log, oldest first, with monotonic integer ids.

    * As JSON (the default): one page of events after `since` (exclusive), for
      polling clients; pass the last id you saw as `since` next time.
    * As Server-Sent Events (`Accept: text/event-stream`): every matching event from
      `Last-Event-ID` (the header, else the `last_event_id` query parameter, else
      `since`; exclusive; the live tail when absent) on, then live, each frame with
      `id`, `event` (the type) and `data` (the Event as JSON); a comment line every
      `heartbeat_seconds` of silence keeps proxies from closing the connection. When
      the log no longer holds the event after `Last-Event-ID` (pruned), or never held
      that id, the stream first sends an `event: reset` frame (data: a `StreamReset`)
      instead of silently skipping what was lost; its `id` is where the stream goes on
      from (the oldest event still held, minus one). The stream ends when the server
      shuts down, and at the next heartbeat after its token stopped being valid.

    The same frames are served over WebSocket at `/v1/events/ws` (token in the
    `Authorization` header or `?token=`): one text message per event,
    `{"id": ..., "event": <type>, "data": <Event>}`.

    Args:
        types (list[str] | Unset):
        vm (str | Unset):
        since (int | Unset):
        page_size (int | Unset):  Default: 50.
        page_token (str | Unset):
        last_event_id_query (int | Unset):
        heartbeat_seconds (float | Unset):  Default: 15.0.
        last_event_id_header (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            types=types,
            vm=vm,
            since=since,
            page_size=page_size,
            page_token=page_token,
            last_event_id_query=last_event_id_query,
            heartbeat_seconds=heartbeat_seconds,
            last_event_id_header=last_event_id_header,
        )
    ).parsed
