from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.run_response import RunResponse
from ...models.run_vm_request import RunVMRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: RunVMRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/vms/{name}/run".format(
            name=quote(str(name), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | RunResponse | None:
    if response.status_code == 202:
        response_202 = RunResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | RunResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RunVMRequest | Unset = UNSET,
) -> Response[Error | RunResponse]:
    """Run a virtual machine instance.

     Starts the VM in the background and answers `pending` at once, even when the start
    then fails; the reason of a failure is only in Lume's server log. Read the VM until
    its `state` is `running` to know it started. The body is optional.

    Args:
        name (str):
        body (RunVMRequest | Unset): What `POST /vms/{name}/run` takes (all optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RunResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RunVMRequest | Unset = UNSET,
) -> Error | RunResponse | None:
    """Run a virtual machine instance.

     Starts the VM in the background and answers `pending` at once, even when the start
    then fails; the reason of a failure is only in Lume's server log. Read the VM until
    its `state` is `running` to know it started. The body is optional.

    Args:
        name (str):
        body (RunVMRequest | Unset): What `POST /vms/{name}/run` takes (all optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RunResponse
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RunVMRequest | Unset = UNSET,
) -> Response[Error | RunResponse]:
    """Run a virtual machine instance.

     Starts the VM in the background and answers `pending` at once, even when the start
    then fails; the reason of a failure is only in Lume's server log. Read the VM until
    its `state` is `running` to know it started. The body is optional.

    Args:
        name (str):
        body (RunVMRequest | Unset): What `POST /vms/{name}/run` takes (all optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RunResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RunVMRequest | Unset = UNSET,
) -> Error | RunResponse | None:
    """Run a virtual machine instance.

     Starts the VM in the background and answers `pending` at once, even when the start
    then fails; the reason of a failure is only in Lume's server log. Read the VM until
    its `state` is `running` to know it started. The body is optional.

    Args:
        name (str):
        body (RunVMRequest | Unset): What `POST /vms/{name}/run` takes (all optional).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RunResponse
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
