"""Handlers for the `webhooks` tag (being built: answers 501 until then)."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..problems import ProblemError
from ..routing import Call

__all__ = [
    "create_webhook",
    "delete_webhook",
    "get_webhook",
    "list_webhook_deliveries",
    "list_webhooks",
    "test_webhook",
    "update_webhook",
]


def _not_yet() -> ProblemError:
    return ProblemError(501, "NOT_IMPLEMENTED", "webhooks are not served yet")


async def list_webhooks(call: Call, core: Core) -> Response:
    """GET /v1/webhooks."""
    raise _not_yet()


async def create_webhook(call: Call, core: Core) -> Response:
    """POST /v1/webhooks."""
    raise _not_yet()


async def get_webhook(call: Call, core: Core) -> Response:
    """GET /v1/webhooks/{webhook}."""
    raise _not_yet()


async def update_webhook(call: Call, core: Core) -> Response:
    """PATCH /v1/webhooks/{webhook}."""
    raise _not_yet()


async def delete_webhook(call: Call, core: Core) -> Response:
    """DELETE /v1/webhooks/{webhook}."""
    raise _not_yet()


async def test_webhook(call: Call, core: Core) -> Response:
    """POST /v1/webhooks/{webhook}:test."""
    raise _not_yet()


async def list_webhook_deliveries(call: Call, core: Core) -> Response:
    """GET /v1/webhooks/{webhook}/deliveries."""
    raise _not_yet()
