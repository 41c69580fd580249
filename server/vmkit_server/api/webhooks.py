"""Handlers for the `webhooks` tag: CRUD (the secret shown once), `:test`, deliveries."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..routing import Call
from ._responses import json_response, page_response, resource_response

__all__ = [
    "create_webhook",
    "delete_webhook",
    "get_webhook",
    "list_webhook_deliveries",
    "list_webhooks",
    "test_webhook",
    "update_webhook",
]


async def list_webhooks(call: Call, core: Core) -> Response:
    """GET /v1/webhooks."""
    webhooks = core.webhooks
    rows, token = webhooks.list(
        page_size=call.query["page_size"], page_token=call.query.get("page_token")
    )
    return page_response([webhooks.view(r) for r in rows], token)


async def create_webhook(call: Call, core: Core) -> Response:
    """POST /v1/webhooks: 201 with the secret.

    The server keeps the secret (it signs with it), so a replay of this request under the
    same Idempotency-Key shows it again: the caller whose answer was lost still gets it.
    """
    row, secret = await core.webhooks.create(call.body)
    view = core.webhooks.view(row)
    return json_response(
        {**view, "secret": secret},
        status=201,
        headers={"Location": f"/v1/webhooks/{row.id}", "ETag": view["etag"]},
    )


async def get_webhook(call: Call, core: Core) -> Response:
    """GET /v1/webhooks/{webhook}."""
    webhooks = core.webhooks
    return resource_response(webhooks.view(webhooks.get(call.path["webhook"])))


async def update_webhook(call: Call, core: Core) -> Response:
    """PATCH /v1/webhooks/{webhook}."""
    webhooks = core.webhooks
    row = await webhooks.update(
        call.path["webhook"], call.body, if_match=call.headers.get("If-Match")
    )
    return resource_response(webhooks.view(row))


async def delete_webhook(call: Call, core: Core) -> Response:
    """DELETE /v1/webhooks/{webhook}: 204."""
    core.webhooks.delete(call.path["webhook"], if_match=call.headers.get("If-Match"))
    return Response(status_code=204)


async def test_webhook(call: Call, core: Core) -> Response:
    """POST /v1/webhooks/{webhook}:test: 202 with the queued ping delivery."""
    webhooks = core.webhooks
    delivery = webhooks.test(call.path["webhook"], if_match=call.headers.get("If-Match"))
    return json_response(webhooks.delivery_view(delivery), status=202)


async def list_webhook_deliveries(call: Call, core: Core) -> Response:
    """GET /v1/webhooks/{webhook}/deliveries."""
    webhooks = core.webhooks
    rows, token = webhooks.deliveries(
        call.path["webhook"],
        page_size=call.query["page_size"],
        page_token=call.query.get("page_token"),
    )
    return page_response([webhooks.delivery_view(r) for r in rows], token)
