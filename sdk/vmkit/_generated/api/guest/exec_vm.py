from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.exec_request import ExecRequest
from ...models.exec_result import ExecResult
from ...models.operation import Operation
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    vm: str,
    *,
    body: ExecRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/vms/{vm}:exec".format(
            vm=quote(str(vm), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExecResult | Operation | Problem:
    if response.status_code == 200:
        response_200 = ExecResult.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = Operation.from_dict(response.json())

        return response_202

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ExecResult | Operation | Problem]:
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
    body: ExecRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> Response[ExecResult | Operation | Problem]:
    """Run a command in a running VM's guest.

     Runs `command` through the guest agent (no SSH needed) and answers with its exit
    code and output. A non-zero exit code is a result, not an error. When the command
    outlives `timeout_seconds` the answer is 504 `EXEC_TIMEOUT` (the process is killed).
    With `wait: false` the command runs as an operation (kind `vm.exec`) whose `result`
    is the same `ExecResult`. The VM must be `running`.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecResult | Operation | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExecRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> ExecResult | Operation | Problem | None:
    """Run a command in a running VM's guest.

     Runs `command` through the guest agent (no SSH needed) and answers with its exit
    code and output. A non-zero exit code is a result, not an error. When the command
    outlives `timeout_seconds` the answer is 504 `EXEC_TIMEOUT` (the process is killed).
    With `wait: false` the command runs as an operation (kind `vm.exec`) whose `result`
    is the same `ExecResult`. The VM must be `running`.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecResult | Operation | Problem
    """

    return sync_detailed(
        vm=vm,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExecRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> Response[ExecResult | Operation | Problem]:
    """Run a command in a running VM's guest.

     Runs `command` through the guest agent (no SSH needed) and answers with its exit
    code and output. A non-zero exit code is a result, not an error. When the command
    outlives `timeout_seconds` the answer is 504 `EXEC_TIMEOUT` (the process is killed).
    With `wait: false` the command runs as an operation (kind `vm.exec`) whose `result`
    is the same `ExecResult`. The VM must be `running`.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecResult | Operation | Problem]
    """

    kwargs = _get_kwargs(
        vm=vm,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExecRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> ExecResult | Operation | Problem | None:
    """Run a command in a running VM's guest.

     Runs `command` through the guest agent (no SSH needed) and answers with its exit
    code and output. A non-zero exit code is a result, not an error. When the command
    outlives `timeout_seconds` the answer is 504 `EXEC_TIMEOUT` (the process is killed).
    With `wait: false` the command runs as an operation (kind `vm.exec`) whose `result`
    is the same `ExecResult`. The VM must be `running`.

    Args:
        vm (str):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        body (ExecRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecResult | Operation | Problem
    """

    return (
        await asyncio_detailed(
            vm=vm,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            if_match=if_match,
        )
    ).parsed
