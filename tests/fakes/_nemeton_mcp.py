"""The fake Nemeton's MCP endpoint: JSON-RPC 2.0 at `/mcp`, with the tools its page names.

The page names 9 of its 24 tools and none of their arguments or results. The fake lists
those 9 (arguments chosen: `id` for the VM) and runs the ones it can do with what it
keeps; `take_screenshot`, `clone_vm`, `resize_disk` and `get_host_info` answer a tool
error saying the fake does not implement them.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ._nemeton_state import FakeNemeton, Refused, Unknown

__all__ = ["TOOLS", "mcp_endpoint"]

_NO_VM = ("list_vms", "get_host_info")
_NO_ARG = {"type": "object", "properties": {}}
_VM_ARG = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}

#: The tools Nemeton's page names, with its descriptions.
TOOLS = {
    "list_vms": "List all VMs",
    "start_vm": "Start VM",
    "stop_vm": "Stop VM",
    "send_console": "Send command to console",
    "read_console": "Read console output",
    "take_screenshot": "Screenshot as Base64 JPEG",
    "create_snapshot": "Create snapshot",
    "clone_vm": "Duplicate VM as CoW clone",
    "resize_disk": "Enlarge disk image",
    "get_host_info": "Host system information",
}


def _reply(rpc_id: Any, *, result: Any = None, error: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": rpc_id}
    if error is not None:
        body["error"] = error
    else:
        body["result"] = result
    return JSONResponse(body)


def _text(value: Any, *, is_error: bool = False) -> dict[str, Any]:
    text = value if isinstance(value, str) else json.dumps(value)
    return {"content": [{"type": "text", "text": text}], "isError": is_error}


async def _call_tool(fake: FakeNemeton, name: str, args: dict[str, Any]) -> dict[str, Any]:
    if name == "list_vms":
        return _text([vm.to_json() for vm in fake.vms.values()])
    if name not in TOOLS:
        raise KeyError(name)
    if name in ("take_screenshot", "clone_vm", "resize_disk", "get_host_info"):
        return _text(f"the fake Nemeton does not implement {name}", is_error=True)
    vm = fake.vm(str(args.get("id", "")))
    if name == "start_vm":
        await fake.start(vm)
        return _text(vm.to_json())
    if name == "stop_vm":
        await fake.stop(vm)
        return _text(vm.to_json())
    if name == "send_console":
        fake.send(vm, str(args.get("text", "")))
        return _text("sent")
    if name == "read_console":
        return _text(vm.console)
    return _text(fake.create_snapshot(vm, args.get("name")).to_json())


async def mcp_endpoint(request: Request) -> Response:
    """`POST /mcp`: `initialize`, `tools/list`, `tools/call`; other methods -32601."""
    fake: FakeNemeton = request.app.state.nemeton
    try:
        call = json.loads(await request.body())
        method, rpc_id = call["method"], call.get("id")
    except (ValueError, KeyError, TypeError):
        return _reply(None, error={"code": -32700, "message": "parse error"})
    params = call.get("params") or {}
    if method == "initialize":
        info = {"name": "nemeton-fake", "version": "1.0.0"}
        return _reply(rpc_id, result={"serverInfo": info, "capabilities": {"tools": {}}})
    if method == "tools/list":
        tools = [
            {"name": name, "description": text, "inputSchema": _VM_ARG}
            if name not in _NO_VM
            else {"name": name, "description": text, "inputSchema": _NO_ARG}
            for name, text in TOOLS.items()
        ]
        return _reply(rpc_id, result={"tools": tools})
    if method != "tools/call":
        return _reply(rpc_id, error={"code": -32601, "message": f"no method {method!r}"})
    try:
        result = await _call_tool(fake, str(params.get("name")), params.get("arguments") or {})
    except KeyError:
        return _reply(rpc_id, error={"code": -32602, "message": "unknown tool"})
    except (Unknown, Refused) as exc:
        result = _text(str(exc), is_error=True)
    return _reply(rpc_id, result=result)
