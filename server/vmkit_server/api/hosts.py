"""Handlers for the `hosts` tag."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..routing import Call
from ._responses import page_response, resource_response

__all__ = ["get_host", "list_hosts"]


async def list_hosts(call: Call, core: Core) -> Response:
    """GET /v1/hosts."""
    return page_response(await core.hosts.list(), None)


async def get_host(call: Call, core: Core) -> Response:
    """GET /v1/hosts/{host}."""
    return resource_response(await core.hosts.get(call.path["host"]))
