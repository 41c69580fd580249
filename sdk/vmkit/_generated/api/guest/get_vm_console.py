from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.console_output import ConsoleOutput
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    vm: str,
    *,
    offset: int | Unset = UNSET,
    max_bytes: int | Unset = 65536,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["offset"] = offset

    params["max_bytes"] = max_bytes

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/vms/{vm}/console".format(
            vm=quote(str(vm), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsoleOutput | Problem:
    if response.status_code == 200:
        response_200 = ConsoleOutput.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConsoleOutput | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = UNSET,
    max_bytes: int | Unset = 65536,
) -> Response[ConsoleOutput | Problem]:
    """Read the VM's serial console output.

     The console output the server has kept, from byte `offset` on (the start of what
    is kept when omitted). Pass `next_offset` back as `offset` to read only what is new.
    When `offset` is older than what is kept, `start_offset` shows where the data begins.

    Args:
        vm (str):
        offset (int | Unset):
        max_bytes (int | Unset):  Default: 65536.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleOutput | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        offset=offset,
        max_bytes=max_bytes,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = UNSET,
    max_bytes: int | Unset = 65536,
) -> ConsoleOutput | Problem | None:
    """Read the VM's serial console output.

     The console output the server has kept, from byte `offset` on (the start of what
    is kept when omitted). Pass `next_offset` back as `offset` to read only what is new.
    When `offset` is older than what is kept, `start_offset` shows where the data begins.

    Args:
        vm (str):
        offset (int | Unset):
        max_bytes (int | Unset):  Default: 65536.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleOutput | Problem
    """

    return sync_detailed(
        vm=vm,
        client=client,
        offset=offset,
        max_bytes=max_bytes,
    ).parsed


async def asyncio_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = UNSET,
    max_bytes: int | Unset = 65536,
) -> Response[ConsoleOutput | Problem]:
    """Read the VM's serial console output.

     The console output the server has kept, from byte `offset` on (the start of what
    is kept when omitted). Pass `next_offset` back as `offset` to read only what is new.
    When `offset` is older than what is kept, `start_offset` shows where the data begins.

    Args:
        vm (str):
        offset (int | Unset):
        max_bytes (int | Unset):  Default: 65536.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleOutput | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        offset=offset,
        max_bytes=max_bytes,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = UNSET,
    max_bytes: int | Unset = 65536,
) -> ConsoleOutput | Problem | None:
    """Read the VM's serial console output.

     The console output the server has kept, from byte `offset` on (the start of what
    is kept when omitted). Pass `next_offset` back as `offset` to read only what is new.
    When `offset` is older than what is kept, `start_offset` shows where the data begins.

    Args:
        vm (str):
        offset (int | Unset):
        max_bytes (int | Unset):  Default: 65536.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleOutput | Problem
    """

    return (
        await asyncio_detailed(
            vm=vm,
            client=client,
            offset=offset,
            max_bytes=max_bytes,
        )
    ).parsed
