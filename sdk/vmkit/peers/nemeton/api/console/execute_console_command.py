from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.console_command import ConsoleCommand
from ...models.console_output import ConsoleOutput
from ...models.error import Error
from ...types import UNSET, Response


def _get_kwargs(
    id: str,
    *,
    body: ConsoleCommand,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/vms/{id}/console/execute".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsoleOutput | Error | None:
    if response.status_code == 200:
        response_200 = ConsoleOutput.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

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
) -> Response[ConsoleOutput | Error]:
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
    body: ConsoleCommand,
) -> Response[ConsoleOutput | Error]:
    """Execute command

     Types `command` and a newline into the serial console and answers with what the console printed in
    response. Chosen shape: a JSON body, 200 with the text in `output`; allowed while `running`, 409
    otherwise. The page documents no exit status, no separate standard error and no timeout, so none is
    described here.

    Args:
        id (str):
        body (ConsoleCommand): Chosen shape: the command line to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleOutput | Error]
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
    body: ConsoleCommand,
) -> ConsoleOutput | Error | None:
    """Execute command

     Types `command` and a newline into the serial console and answers with what the console printed in
    response. Chosen shape: a JSON body, 200 with the text in `output`; allowed while `running`, 409
    otherwise. The page documents no exit status, no separate standard error and no timeout, so none is
    described here.

    Args:
        id (str):
        body (ConsoleCommand): Chosen shape: the command line to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleOutput | Error
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
    body: ConsoleCommand,
) -> Response[ConsoleOutput | Error]:
    """Execute command

     Types `command` and a newline into the serial console and answers with what the console printed in
    response. Chosen shape: a JSON body, 200 with the text in `output`; allowed while `running`, 409
    otherwise. The page documents no exit status, no separate standard error and no timeout, so none is
    described here.

    Args:
        id (str):
        body (ConsoleCommand): Chosen shape: the command line to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsoleOutput | Error]
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
    body: ConsoleCommand,
) -> ConsoleOutput | Error | None:
    """Execute command

     Types `command` and a newline into the serial console and answers with what the console printed in
    response. Chosen shape: a JSON body, 200 with the text in `output`; allowed while `running`, 409
    otherwise. The page documents no exit status, no separate standard error and no timeout, so none is
    described here.

    Args:
        id (str):
        body (ConsoleCommand): Chosen shape: the command line to run.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsoleOutput | Error
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
