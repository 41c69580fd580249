"""The baseline: a bare Starlette app whose one route answers what our server answered.

`server_throughput.py` fetches ``GET /v1/vms/{vm}`` from vmkit-server once and hands this
module the exact body bytes and the response headers (``content-type``, ``etag``,
``x-request-id``) through two files named by environment variables. No auth, no validation,
no database: this is the ceiling our server is measured against.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["app", "get_vm"]

_BODY = Path(os.environ["VMKIT_BENCH_BODY"]).read_bytes()
_HEADERS: dict[str, str] = json.loads(Path(os.environ["VMKIT_BENCH_HEADERS"]).read_text())
_MEDIA_TYPE = _HEADERS.pop("content-type", "application/json")


async def get_vm(request: Request) -> Response:
    """GET /v1/vms/{vm}: the recorded JSON, byte for byte."""
    return Response(_BODY, headers=_HEADERS, media_type=_MEDIA_TYPE)


app = Starlette(routes=[Route("/v1/vms/{vm}", get_vm, methods=["GET"])])
