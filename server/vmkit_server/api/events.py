"""Handlers for the `events` tag (being built: answers 501 until then)."""

from __future__ import annotations

from starlette.responses import Response

from ..core.facade import Core
from ..problems import ProblemError
from ..routing import Call

__all__ = ["list_events"]


async def list_events(call: Call, core: Core) -> Response:
    """GET /v1/events."""
    raise ProblemError(501, "NOT_IMPLEMENTED", "the event stream is not served yet")
