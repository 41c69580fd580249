from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.json_rpc_request import JsonRpcRequest
from ...models.json_rpc_response import JsonRpcResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: JsonRpcRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/mcp",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | JsonRpcResponse | None:
    if response.status_code == 200:
        response_200 = JsonRpcResponse.from_dict(response.json())

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
) -> Response[Error | JsonRpcResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: JsonRpcRequest,
) -> Response[Error | JsonRpcResponse]:
    """MCP (Model Context Protocol), JSON-RPC 2.0

     A JSON-RPC 2.0 interface with 24 tools (MCP methods such as `tools/list` and
    `tools/call`). The page names these tools:

    | tool | description |
    | --- | --- |
    | `list_vms` | List all VMs |
    | `start_vm` / `stop_vm` | Start / stop VM |
    | `send_console` | Send command to console |
    | `read_console` | Read console output |
    | `take_screenshot` | Screenshot as Base64 JPEG |
    | `create_snapshot` | Create snapshot |
    | `clone_vm` | Duplicate VM as CoW clone |
    | `resize_disk` | Enlarge disk image |
    | `get_host_info` | Host system information |

    The page does not give the tools' arguments or results.

    Args:
        body (JsonRpcRequest): A JSON-RPC 2.0 request (MCP methods such as `tools/list`,
            `tools/call`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | JsonRpcResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: JsonRpcRequest,
) -> Error | JsonRpcResponse | None:
    """MCP (Model Context Protocol), JSON-RPC 2.0

     A JSON-RPC 2.0 interface with 24 tools (MCP methods such as `tools/list` and
    `tools/call`). The page names these tools:

    | tool | description |
    | --- | --- |
    | `list_vms` | List all VMs |
    | `start_vm` / `stop_vm` | Start / stop VM |
    | `send_console` | Send command to console |
    | `read_console` | Read console output |
    | `take_screenshot` | Screenshot as Base64 JPEG |
    | `create_snapshot` | Create snapshot |
    | `clone_vm` | Duplicate VM as CoW clone |
    | `resize_disk` | Enlarge disk image |
    | `get_host_info` | Host system information |

    The page does not give the tools' arguments or results.

    Args:
        body (JsonRpcRequest): A JSON-RPC 2.0 request (MCP methods such as `tools/list`,
            `tools/call`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | JsonRpcResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: JsonRpcRequest,
) -> Response[Error | JsonRpcResponse]:
    """MCP (Model Context Protocol), JSON-RPC 2.0

     A JSON-RPC 2.0 interface with 24 tools (MCP methods such as `tools/list` and
    `tools/call`). The page names these tools:

    | tool | description |
    | --- | --- |
    | `list_vms` | List all VMs |
    | `start_vm` / `stop_vm` | Start / stop VM |
    | `send_console` | Send command to console |
    | `read_console` | Read console output |
    | `take_screenshot` | Screenshot as Base64 JPEG |
    | `create_snapshot` | Create snapshot |
    | `clone_vm` | Duplicate VM as CoW clone |
    | `resize_disk` | Enlarge disk image |
    | `get_host_info` | Host system information |

    The page does not give the tools' arguments or results.

    Args:
        body (JsonRpcRequest): A JSON-RPC 2.0 request (MCP methods such as `tools/list`,
            `tools/call`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | JsonRpcResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: JsonRpcRequest,
) -> Error | JsonRpcResponse | None:
    """MCP (Model Context Protocol), JSON-RPC 2.0

     A JSON-RPC 2.0 interface with 24 tools (MCP methods such as `tools/list` and
    `tools/call`). The page names these tools:

    | tool | description |
    | --- | --- |
    | `list_vms` | List all VMs |
    | `start_vm` / `stop_vm` | Start / stop VM |
    | `send_console` | Send command to console |
    | `read_console` | Read console output |
    | `take_screenshot` | Screenshot as Base64 JPEG |
    | `create_snapshot` | Create snapshot |
    | `clone_vm` | Duplicate VM as CoW clone |
    | `resize_disk` | Enlarge disk image |
    | `get_host_info` | Host system information |

    The page does not give the tools' arguments or results.

    Args:
        body (JsonRpcRequest): A JSON-RPC 2.0 request (MCP methods such as `tools/list`,
            `tools/call`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | JsonRpcResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
