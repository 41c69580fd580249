"""Handlers for the `operations` tag."""

from __future__ import annotations

from starlette.responses import Response

from ..core.clock import isoformat
from ..core.facade import Core
from ..core.views import operation_view
from ..routing import Call
from ._responses import json_response, page_response, resource_response

__all__ = [
    "cancel_operation",
    "get_operation",
    "list_operation_logs",
    "list_operations",
    "wait_operation",
]


async def list_operations(call: Call, core: Core) -> Response:
    """GET /v1/operations."""
    q = call.query
    rows, token = core.operations.list(
        page_size=q["page_size"],
        page_token=q.get("page_token"),
        states=q.get("state") or (),
        vm=q.get("vm"),
        kind=q.get("kind"),
    )
    return page_response([operation_view(r) for r in rows], token)


async def get_operation(call: Call, core: Core) -> Response:
    """GET /v1/operations/{operation}."""
    return resource_response(operation_view(core.operations.get(call.path["operation"])))


async def wait_operation(call: Call, core: Core) -> Response:
    """GET /v1/operations/{operation}:wait."""
    row = await core.operations.wait(call.path["operation"], float(call.query["timeout_seconds"]))
    return resource_response(operation_view(row))


async def cancel_operation(call: Call, core: Core) -> Response:
    """POST /v1/operations/{operation}:cancel."""
    return resource_response(operation_view(await core.operations.cancel(call.path["operation"])))


async def list_operation_logs(call: Call, core: Core) -> Response:
    """GET /v1/operations/{operation}/logs."""
    rows, token = core.operations.logs(
        call.path["operation"],
        page_size=call.query["page_size"],
        page_token=call.query.get("page_token"),
    )
    items = [
        {"seq": r.seq, "time": isoformat(r.time), "level": r.level, "message": r.message}
        for r in rows
    ]
    return json_response({"items": items, "next_page_token": token})
