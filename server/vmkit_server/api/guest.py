"""Handlers for the `guest` tag: exec, files, console, screenshot."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..routing import Call
from ._responses import accepted, json_response

__all__ = [
    "download_vm_file",
    "exec_vm",
    "get_vm_console",
    "get_vm_screenshot",
    "send_vm_console",
    "upload_vm_file",
]


async def exec_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:exec."""
    result = await core.guest.exec(
        call.path["vm"], call.body, if_match=call.headers.get("If-Match")
    )
    if isinstance(result, dict):
        return json_response(result)
    return accepted(result)


async def download_vm_file(call: Call, core: Core) -> Response:
    """GET /v1/vms/{vm}/files?path=."""
    data = await core.guest.read_file(call.path["vm"], call.query["path"])
    return Response(data, media_type="application/octet-stream")


async def upload_vm_file(call: Call, core: Core) -> Response:
    """PUT /v1/vms/{vm}/files?path=."""
    written = await core.guest.write_file(
        call.path["vm"], call.query["path"], call.body or b"", mode=call.query.get("mode")
    )
    return json_response(written)


async def get_vm_console(call: Call, core: Core) -> Response:
    """GET /v1/vms/{vm}/console."""
    q = call.query
    return json_response(
        await core.guest.console_read(call.path["vm"], q.get("offset"), q["max_bytes"])
    )


async def send_vm_console(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}/console."""
    return json_response(await core.guest.console_write(call.path["vm"], call.body["data"]))


async def get_vm_screenshot(call: Call, core: Core) -> Response:
    """GET /v1/vms/{vm}/screenshot."""
    return Response(await core.guest.screenshot(call.path["vm"]), media_type="image/png")
