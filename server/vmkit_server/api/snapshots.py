"""Handlers for the `snapshots` tag."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..core.views import snapshot_view
from ..routing import Call
from ._responses import accepted, page_response, resource_response

__all__ = [
    "create_snapshot",
    "delete_snapshot",
    "get_snapshot",
    "list_snapshots",
    "restore_snapshot",
]


async def list_snapshots(call: Call, core: Core) -> Response:
    """GET /v1/vms/{vm}/snapshots."""
    rows, token = core.snapshots.list(
        call.path["vm"], page_size=call.query["page_size"], page_token=call.query.get("page_token")
    )
    return page_response([snapshot_view(r) for r in rows], token)


async def create_snapshot(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}/snapshots."""
    return accepted(await core.snapshots.create(call.path["vm"], call.body))


async def get_snapshot(call: Call, core: Core) -> Response:
    """GET /v1/vms/{vm}/snapshots/{snapshot}."""
    return resource_response(
        snapshot_view(core.snapshots.get(call.path["vm"], call.path["snapshot"]))
    )


async def delete_snapshot(call: Call, core: Core) -> Response:
    """DELETE /v1/vms/{vm}/snapshots/{snapshot}."""
    op = await core.snapshots.delete(
        call.path["vm"], call.path["snapshot"], if_match=call.headers.get("If-Match")
    )
    return accepted(op)


async def restore_snapshot(call: Call, core: Core) -> Response:
    """POST /v1/vms/{vm}/snapshots/{snapshot}:restore."""
    op = await core.snapshots.restore(
        call.path["vm"], call.path["snapshot"], if_match=call.headers.get("If-Match")
    )
    return accepted(op)
