from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response


def _get_kwargs(
    task_id: str,
    *,
    token: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["token"] = token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ws/tasks/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | None:
    if response.status_code == 101:
        return None

    if response.status_code == 403:
        return None

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    token: str,
) -> Response[Any]:
    """Task updates over a WebSocket (connect with `ws://`).

     A WebSocket endpoint, not a plain GET: after the upgrade the server sends the task as a
    JSON text message (a `Task`), then again whenever its state or logs change, and closes
    once it is completed or failed. It may also send empty text messages as keepalives.
    A wrong token or an unknown task closes the connection before it is accepted (close
    code 1008; the HTTP handshake is refused with `403`).

    Args:
        task_id (str):
        token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        token=token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient,
    token: str,
) -> Response[Any]:
    """Task updates over a WebSocket (connect with `ws://`).

     A WebSocket endpoint, not a plain GET: after the upgrade the server sends the task as a
    JSON text message (a `Task`), then again whenever its state or logs change, and closes
    once it is completed or failed. It may also send empty text messages as keepalives.
    A wrong token or an unknown task closes the connection before it is accepted (close
    code 1008; the HTTP handshake is refused with `403`).

    Args:
        task_id (str):
        token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        token=token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)
