"""``/mcp``: the official MCP client lists the API's operations as tools and drives VMs.

A real server on a loopback socket, the ``mcp`` package's streamable-HTTP client: tools are
filtered by the token's scopes, calls are real API requests (the API's errors included).
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import httpx2
import jsonschema
import mcp.types as types
import pytest
from mcp import Client
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from vmkit_server.spec import load_spec
from vmkit_server.testing import RunningServer, start_server

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("mcp") / "data")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def read_token(server: RunningServer) -> str:
    """A token with only the `read` scope, made through the tokens API."""
    response = httpx.post(
        f"{server.url}/v1/tokens",
        json={"name": "mcp-reader", "scopes": ["read"]},
        headers={"Authorization": f"Bearer {server.token}"},
    )
    assert 201 == response.status_code, response.text
    secret: str = response.json()["secret"]
    return secret


@asynccontextmanager
async def connect(server: RunningServer, token: str) -> AsyncIterator[ClientSession]:
    """An initialized MCP session with `/mcp`, as `token`."""
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        streamable_http_client(f"{server.url}/mcp", http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def operations_needing(*scopes: str) -> list[str]:
    """The operationIds (in spec order) that need a token and one of these scopes."""
    return [
        op["operationId"]
        for item in load_spec()["paths"].values()
        for method, op in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
        and op.get("security", [1])  # [] is public: not a tool
        and op.get("x-vmkit-scope", "admin") in scopes
    ]


async def call(session: ClientSession, name: str, **arguments: Any) -> types.CallToolResult:
    result = await session.call_tool(name, arguments)
    assert isinstance(result, types.CallToolResult)
    return result


async def finished(session: ClientSession, operation: types.CallToolResult) -> str:
    """Wait for the operation a tool started; its final state."""
    assert not operation.is_error, operation.structured_content
    waited = await call(
        session, "waitOperation", operation=operation.structured_content["id"], timeout_seconds=20
    )
    state: str = waited.structured_content["state"]
    return state


async def test_admin_lists_one_tool_per_operation_with_standalone_schemas(
    server: RunningServer,
) -> None:
    """Every operation but the public ones is a tool, named by operationId, its schema whole."""
    async with connect(server, server.token) as session:
        listed = await session.list_tools()
    expected = operations_needing("read", "write", "connect", "admin")
    assert expected == [tool.name for tool in listed.tools]
    for tool in listed.tools:
        jsonschema.Draft202012Validator.check_schema(tool.input_schema)
        assert "object" == tool.input_schema["type"]
        assert "$ref" not in json.dumps(tool.input_schema)
        assert tool.description
    tools = {tool.name: tool for tool in listed.tools}
    assert ["vm"] == tools["startVm"].input_schema["required"]
    assert "body" in tools["createVm"].input_schema["properties"]
    assert tools["getVm"].annotations is not None and tools["getVm"].annotations.read_only_hint


async def test_tools_create_start_and_stop_a_vm(server: RunningServer) -> None:
    """createVm, startVm and stopVm act on the VM; getVm sees each state it reached."""
    async with connect(server, server.token) as session:
        seen = []
        created = await call(session, "createVm", body={"name": "mcp-life"})
        assert "succeeded" == await finished(session, created)
        seen.append((await call(session, "getVm", vm="mcp-life")).structured_content["state"])
        assert "succeeded" == await finished(session, await call(session, "startVm", vm="mcp-life"))
        seen.append((await call(session, "getVm", vm="mcp-life")).structured_content["state"])
        stopped = await call(session, "stopVm", vm="mcp-life", body={"timeout_seconds": 10})
        assert "succeeded" == await finished(session, stopped)
        seen.append((await call(session, "getVm", vm="mcp-life")).structured_content["state"])
    assert ["stopped", "running", "stopped"] == seen


async def test_read_token_sees_only_read_tools_and_cannot_start(
    server: RunningServer, read_token: str
) -> None:
    """No mutating tool is listed to a read-only token; calling one anyway is refused."""
    async with connect(server, server.token) as admin:
        await finished(admin, await call(admin, "createVm", body={"name": "mcp-read"}))
    async with connect(server, read_token) as session:
        listed = await session.list_tools()
        refused = await call(session, "startVm", vm="mcp-read")
        allowed = await call(session, "getVm", vm="mcp-read")
    assert operations_needing("read") == [tool.name for tool in listed.tools]
    assert all(tool.annotations and tool.annotations.read_only_hint for tool in listed.tools)
    assert refused.is_error
    assert "PERMISSION_DENIED" == refused.structured_content["code"]
    assert "write" == refused.structured_content["metadata"]["required_scope"]
    assert "stopped" == allowed.structured_content["state"]


async def test_without_a_valid_token_mcp_is_401(server: RunningServer) -> None:
    """No token, or a wrong one: 401 problem+json before any MCP processing."""
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    accept = {"Accept": "application/json, text/event-stream"}
    async with httpx.AsyncClient(base_url=server.url) as http:
        anonymous = await http.post("/mcp", json=initialize, headers=accept)
        wrong = await http.post(
            "/mcp", json=initialize, headers={**accept, "Authorization": "Bearer vmk_nope"}
        )
    for response in (anonymous, wrong):
        assert 401 == response.status_code
        assert "application/problem+json" == response.headers["content-type"]
        assert "UNAUTHENTICATED" == response.json()["code"]
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_only_post_is_served(server: RunningServer) -> None:
    """Stateless MCP: no GET stream and no session to DELETE, so 405 with Allow: POST."""
    headers = {"Authorization": f"Bearer {server.token}", "Accept": "text/event-stream"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as http:
        for method in ("GET", "DELETE"):
            response = await http.request(method, "/mcp")
            assert 405 == response.status_code
            assert "POST" == response.headers["allow"]


async def test_screenshot_is_image_content(server: RunningServer) -> None:
    """getVmScreenshot answers with an MCP image: a PNG, base64-encoded."""
    async with connect(server, server.token) as session:
        created = await call(session, "createVm", body={"name": "mcp-shot", "start": True})
        assert "succeeded" == await finished(session, created)
        result = await call(session, "getVmScreenshot", vm="mcp-shot")
    assert not result.is_error
    [image] = result.content
    assert isinstance(image, types.ImageContent)
    assert "image/png" == image.mime_type
    assert base64.b64decode(image.data).startswith(b"\x89PNG\r\n\x1a\n")


async def test_file_round_trip_through_base64(server: RunningServer) -> None:
    """uploadVmFile takes content_base64; downloadVmFile gives the text back."""
    async with connect(server, server.token) as session:
        created = await call(session, "createVm", body={"name": "mcp-files", "start": True})
        assert "succeeded" == await finished(session, created)
        content = base64.b64encode(b"hello from an agent\n").decode()
        written = await call(
            session, "uploadVmFile", vm="mcp-files", path="/tmp/note.txt", content_base64=content
        )
        read = await call(session, "downloadVmFile", vm="mcp-files", path="/tmp/note.txt")
    assert not written.is_error, written.structured_content
    assert 20 == written.structured_content["size_bytes"]
    assert "hello from an agent\n" == read.structured_content["text"]


async def test_bad_arguments_are_tool_errors_with_the_problem_code(server: RunningServer) -> None:
    """The API's 422/404 problems come back as tool errors, code and pointer included."""
    async with connect(server, server.token) as session:
        invalid = await call(session, "startVm", vm="Not A Name")
        unknown = await call(session, "startVm", vm="web-1", force=True)
        missing = await call(session, "getVm", vm="no-such-vm")
        bad_body = await call(session, "createVm", body={"name": "x", "cpus": "many"})
    assert invalid.is_error and unknown.is_error and missing.is_error and bad_body.is_error
    assert "VALIDATION_FAILED" == invalid.structured_content["code"]
    assert ["/vm"] == [e["pointer"] for e in invalid.structured_content["errors"]]
    assert "VALIDATION_FAILED" == unknown.structured_content["code"]
    assert ["/force"] == [e["pointer"] for e in unknown.structured_content["errors"]]
    assert "VM_NOT_FOUND" == missing.structured_content["code"]
    assert "VALIDATION_FAILED" == bad_body.structured_content["code"]
    [text] = missing.content
    assert isinstance(text, types.TextContent)
    assert missing.structured_content == json.loads(text.text)


async def test_modern_protocol_client_works_too(server: RunningServer) -> None:
    """mcp.Client negotiates the newest protocol (no handshake); the endpoint serves it."""
    headers = {"Authorization": f"Bearer {server.token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(f"{server.url}/mcp", http_client=http)) as client,
    ):
        listed = await client.list_tools()
        result = await client.call_tool("listHosts", {})
    assert "listVms" in [tool.name for tool in listed.tools]
    assert not result.is_error
    assert result.structured_content["items"]
