"""Shaping answers: JSON bodies, ETags, 202 + Location for operations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import Response

from ..core.render import render_json
from ..core.views import etag_for, operation_view
from ..store import OperationRow

__all__ = ["RawJSONResponse", "accepted", "json_response", "page_response", "resource_response"]


class RawJSONResponse(Response):
    """Already-encoded JSON with an ETag: skips Starlette's general header building.

    Args:
        body: The encoded JSON.
        etag: The resource's strong ETag.
    """

    media_type = "application/json"

    def __init__(self, body: bytes, etag: str) -> None:
        self.status_code = 200
        self.body = body
        self.background = None
        self.raw_headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
            (b"etag", etag.encode("latin-1")),
        ]


def json_response(
    body: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A compact `application/json` response."""
    return Response(
        render_json(body),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


def resource_response(view: dict[str, Any], *, status: int = 200) -> Response:
    """A resource with its `ETag` header (the view's `etag`)."""
    return json_response(view, status=status, headers={"ETag": view["etag"]})


def accepted(op: OperationRow) -> Response:
    """202 Accepted with `Location` of the operation and the Operation as body."""
    return json_response(
        operation_view(op),
        status=202,
        headers={"Location": f"/v1/operations/{op.id}", "ETag": etag_for(op.id, op.generation)},
    )


def page_response(items: Sequence[dict[str, Any]], next_token: str | None) -> Response:
    """A `{items, next_page_token}` page."""
    return json_response({"items": list(items), "next_page_token": next_token})
