from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.console_input import ConsoleInput
from ...models.console_input_result import ConsoleInputResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    vm: str,
    *,
    body: ConsoleInput,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/vms/{vm}/console".format(
            vm=quote(str(vm), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsoleInputResult | Problem:
    if response.status_code == 200:
        response_200 = ConsoleInputResult.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConsoleInputResult | Problem]:
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
    body: ConsoleInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[ConsoleInputResult | Problem]:
    """Type into the VM's serial console.

     Sends `data` to the guest's serial port as if typed. The VM must be running.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        body (ConsoleInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleInputResult | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleInput,
    idempotency_key: str | Unset = UNSET,
) -> ConsoleInputResult | Problem | None:
    """Type into the VM's serial console.

     Sends `data` to the guest's serial port as if typed. The VM must be running.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        body (ConsoleInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleInputResult | Problem
    """

    return sync_detailed(
        vm=vm,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[ConsoleInputResult | Problem]:
    """Type into the VM's serial console.

     Sends `data` to the guest's serial port as if typed. The VM must be running.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        body (ConsoleInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleInputResult | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: ConsoleInput,
    idempotency_key: str | Unset = UNSET,
) -> ConsoleInputResult | Problem | None:
    """Type into the VM's serial console.

     Sends `data` to the guest's serial port as if typed. The VM must be running.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        body (ConsoleInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleInputResult | Problem
    """

    return (
        await asyncio_detailed(
            vm=vm,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
