"""Handlers for the `system` tag: probes and the API document."""

from __future__ import annotations

from starlette.responses import Response

from .. import __version__
from ..backends.base import BackendError
from ..core.facade import Core
from ..problems import ProblemError
from ..routing import Call
from ..spec import spec_json
from ._responses import json_response

__all__ = ["get_health", "get_openapi_document", "get_readiness"]


async def get_health(call: Call, core: Core) -> Response:
    """GET /healthz: the process serves HTTP."""
    return json_response({"status": "ok", "version": __version__})


async def get_readiness(call: Call, core: Core) -> Response:
    """GET /readyz: the store and the backend answer."""
    try:
        with core.svc.store.read() as tx:
            tx.count_vms()
        await core.svc.backend.host_info()
    except BackendError as exc:
        raise ProblemError(
            503, "BACKEND_UNAVAILABLE", f"the backend does not answer: {exc}"
        ) from exc
    return json_response({"status": "ok", "version": __version__})


async def get_openapi_document(call: Call, core: Core) -> Response:
    """GET /openapi.json."""
    return Response(spec_json(), media_type="application/json")
