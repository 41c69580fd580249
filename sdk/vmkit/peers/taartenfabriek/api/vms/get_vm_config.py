from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_error import HTTPError
from ...models.vm_config import VMConfig
from ...types import UNSET, Response, Unset


def _get_kwargs(
    vm_name: str,
    *,
    force_refresh: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["force_refresh"] = force_refresh

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/vms/{vm_name}/config".format(
            vm_name=quote(str(vm_name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | VMConfig | None:
    if response.status_code == 200:
        response_200 = VMConfig.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = HTTPError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = HTTPError.from_dict(response.json())

        return response_404

    if response.status_code == 500:
        response_500 = HTTPError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[HTTPError | VMConfig]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
    force_refresh: bool | Unset = False,
) -> Response[HTTPError | VMConfig]:
    """A VM's configuration from `tart get <name> --format json` (cached server-side).

     Known defect: `GET /api/vms/{vm_name}` is matched first and takes the whole rest of the
    path as the name, so this route is never reached; it answers `404`
    "VM '<name>/config' not found". Described as documented, for a fixed version.

    Args:
        vm_name (str):
        force_refresh (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | VMConfig]
    """

    kwargs = _get_kwargs(
        vm_name=vm_name,
        force_refresh=force_refresh,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
    force_refresh: bool | Unset = False,
) -> HTTPError | VMConfig | None:
    """A VM's configuration from `tart get <name> --format json` (cached server-side).

     Known defect: `GET /api/vms/{vm_name}` is matched first and takes the whole rest of the
    path as the name, so this route is never reached; it answers `404`
    "VM '<name>/config' not found". Described as documented, for a fixed version.

    Args:
        vm_name (str):
        force_refresh (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | VMConfig
    """

    return sync_detailed(
        vm_name=vm_name,
        client=client,
        force_refresh=force_refresh,
    ).parsed


async def asyncio_detailed(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
    force_refresh: bool | Unset = False,
) -> Response[HTTPError | VMConfig]:
    """A VM's configuration from `tart get <name> --format json` (cached server-side).

     Known defect: `GET /api/vms/{vm_name}` is matched first and takes the whole rest of the
    path as the name, so this route is never reached; it answers `404`
    "VM '<name>/config' not found". Described as documented, for a fixed version.

    Args:
        vm_name (str):
        force_refresh (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | VMConfig]
    """

    kwargs = _get_kwargs(
        vm_name=vm_name,
        force_refresh=force_refresh,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vm_name: str,
    *,
    client: AuthenticatedClient | Client,
    force_refresh: bool | Unset = False,
) -> HTTPError | VMConfig | None:
    """A VM's configuration from `tart get <name> --format json` (cached server-side).

     Known defect: `GET /api/vms/{vm_name}` is matched first and takes the whole rest of the
    path as the name, so this route is never reached; it answers `404`
    "VM '<name>/config' not found". Described as documented, for a fixed version.

    Args:
        vm_name (str):
        force_refresh (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | VMConfig
    """

    return (
        await asyncio_detailed(
            vm_name=vm_name,
            client=client,
            force_refresh=force_refresh,
        )
    ).parsed
