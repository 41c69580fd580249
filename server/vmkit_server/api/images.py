"""Handlers for the `images` tag."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..routing import Call
from ._responses import page_response

__all__ = ["list_images"]


async def list_images(call: Call, core: Core) -> Response:
    """GET /v1/images."""
    return page_response(await core.images.list(), None)
