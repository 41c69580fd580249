"""Handlers for the `tokens` tag: create (the secret shown once), list, get, revoke."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..core.render import render_json
from ..routing import Call
from ._idempotent import SecretResponse
from ._responses import page_response, resource_response

__all__ = ["create_token", "get_token", "list_tokens", "revoke_token"]


async def list_tokens(call: Call, core: Core) -> Response:
    """GET /v1/tokens."""
    tokens = core.auth.tokens
    rows, token = tokens.list(
        page_size=call.query["page_size"], page_token=call.query.get("page_token")
    )
    return page_response([tokens.view(r) for r in rows], token)


async def create_token(call: Call, core: Core) -> Response:
    """POST /v1/tokens: 201 with the secret; a replay of it gets `secret: null`."""
    tokens = core.auth.tokens
    row, secret = tokens.create(call.body)
    view = tokens.view(row)
    return SecretResponse(
        render_json({**view, "secret": secret}),
        replay_body=render_json({**view, "secret": None}),
        status_code=201,
        headers={"Location": f"/v1/tokens/{row.id}", "ETag": view["etag"]},
    )


async def get_token(call: Call, core: Core) -> Response:
    """GET /v1/tokens/{token}."""
    tokens = core.auth.tokens
    return resource_response(tokens.view(tokens.get(call.path["token"])))


async def revoke_token(call: Call, core: Core) -> Response:
    """DELETE /v1/tokens/{token}."""
    tokens = core.auth.tokens
    row = tokens.revoke(call.path["token"], if_match=call.headers.get("If-Match"))
    return resource_response(tokens.view(row))
