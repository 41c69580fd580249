"""Handlers for the `vms` tag: thin translation between HTTP and the core."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..core.views import vm_view
from ..routing import Call
from ._responses import RawJSONResponse, accepted, page_response, resource_response

__all__ = [
    "clone_vm",
    "create_vm",
    "delete_vm",
    "force_stop_vm",
    "get_vm",
    "list_vms",
    "pause_vm",
    "rename_vm",
    "resize_vm_disk",
    "restart_vm",
    "resume_vm",
    "start_vm",
    "stop_vm",
    "suspend_vm",
    "update_vm",
]


async def list_vms(call: Call, core: Core) -> Response:
    """GET /v1/vms."""
    q = call.query
    rows, token = core.vms.list(
        page_size=q["page_size"],
        page_token=q.get("page_token"),
        states=q.get("state") or (),
        labels=q.get("label") or (),
    )
    return page_response([vm_view(r) for r in rows], token)


async def create_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms."""
    return accepted(await core.provisioning.create(call.body))


async def get_vm(call: Call, core: Core) -> Response:
    """GET /v1/vms/{vm}."""
    return RawJSONResponse(*core.vms.get_json(call.path["vm"]))


async def update_vm(call: Call, core: Core) -> Response:
    """PATCH /v1/vms/{vm}."""
    row = await core.vms.update(call.path["vm"], call.body, if_match=call.headers.get("If-Match"))
    return resource_response(vm_view(row))


async def delete_vm(call: Call, core: Core) -> Response:
    """DELETE /v1/vms/{vm}."""
    op = await core.provisioning.delete(
        call.path["vm"], force=bool(call.query.get("force")), if_match=call.headers.get("If-Match")
    )
    return accepted(op)


async def _act(call: Call, core: Core, key: str) -> Response:
    op = await core.lifecycle.act(
        call.path["vm"], key, if_match=call.headers.get("If-Match"), params=call.body or {}
    )
    return accepted(op)


async def resize_vm_disk(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:resize-disk."""
    op = await core.disks.resize(
        call.path["vm"], call.body["disk_gib"], if_match=call.headers.get("If-Match")
    )
    return accepted(op)


async def start_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:start."""
    return await _act(call, core, "start")


async def stop_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:stop."""
    return await _act(call, core, "stop")


async def force_stop_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:force-stop."""
    return await _act(call, core, "force_stop")


async def restart_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:restart."""
    return await _act(call, core, "restart")


async def pause_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:pause."""
    return await _act(call, core, "pause")


async def resume_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:resume."""
    return await _act(call, core, "resume")


async def suspend_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:suspend."""
    return await _act(call, core, "suspend")


async def clone_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:clone."""
    op = await core.provisioning.clone(
        call.path["vm"], call.body, if_match=call.headers.get("If-Match")
    )
    return accepted(op)


async def rename_vm(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}:rename."""
    row = await core.vms.rename(
        call.path["vm"], call.body["name"], if_match=call.headers.get("If-Match")
    )
    return resource_response(vm_view(row))
