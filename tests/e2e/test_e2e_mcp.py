"""``vmkit mcp``: a desktop agent's view, the official stdio client spawning the command.

The command fetches the server's API document, offers its operations as tools and calls the
server through the SDK; a live server on a loopback socket answers.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import mcp.types as types
import pytest
from mcp import StdioServerParameters, stdio_client
from mcp.client.session import ClientSession

from vmkit_server.testing import RunningServer

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def vmkit_mcp(server: RunningServer, *args: str) -> AsyncIterator[ClientSession]:
    """`vmkit mcp` as a subprocess, configured by the environment as an agent would."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "vmkit.cli", "mcp", *args],
        env={"VMKIT_URL": server.url, "VMKIT_TOKEN": server.token},
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def test_stdio_lists_tools_and_calls_list_vms(server: RunningServer) -> None:
    """The tools are the server's operations; listVms returns what the API returns."""
    created = httpx.post(
        f"{server.url}/v1/vms",
        json={"name": "stdio-vm", "labels": {"via": "mcp"}},
        headers={"Authorization": f"Bearer {server.token}"},
    )
    assert 202 == created.status_code
    async with vmkit_mcp(server) as session:
        listed = await session.list_tools()
        result = await session.call_tool("listVms", {"label": ["via=mcp"]})
        missing = await session.call_tool("getVm", {"vm": "no-such-vm"})
    names = [tool.name for tool in listed.tools]
    assert {"listVms", "createVm", "startVm", "getVmScreenshot", "createToken"} <= set(names)
    assert "getHealth" not in names
    assert isinstance(result, types.CallToolResult) and not result.is_error
    assert ["stdio-vm"] == [vm["name"] for vm in result.structured_content["items"]]
    assert isinstance(missing, types.CallToolResult) and missing.is_error
    assert "VM_NOT_FOUND" == missing.structured_content["code"]


async def test_stdio_scopes_option_offers_only_those_tools(server: RunningServer) -> None:
    """`--scopes read` leaves out every tool that changes something."""
    async with vmkit_mcp(server, "--scopes", "read") as session:
        listed = await session.list_tools()
    assert listed.tools
    assert all(tool.annotations and tool.annotations.read_only_hint for tool in listed.tools)
    assert "startVm" not in [tool.name for tool in listed.tools]
