"""A fake Nemeton: its documented REST API under `/api/v1`, events, MCP, Redoc and openapi.json.

Honest to Nemeton's manual page ("API & Automation"): every call needs
`Authorization: Bearer <token>` (401 otherwise, WebSockets closed with 1008), the 15 routes
it lists, live events as SSE or WebSocket on `/api/v1/events`, a JSON-RPC 2.0 MCP endpoint
at `/mcp`, and the docs routes. Where the page is silent the fake follows the shapes chosen
in `spec/peers/nemeton.yaml`. Webhooks are not served: the page does not say how one is
registered.

Nemeton's API documents no way to create a VM (they are made in its app), so the fake has
one route outside the API for tests, `POST /_fake/vms` (`{"name", "cpuCount", "memoryMB",
"diskGB"}`), standing in for the app. `app.state.nemeton` is the `FakeNemeton`, to arm
faults (`acpi_ignored`, `fails_boot`) from a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from ._nemeton_mcp import mcp_endpoint
from ._nemeton_state import FakeNemeton, FakeVM, Refused, Unknown
from ._support import ConformanceSetup, serve_app

__all__ = ["DEFAULT_TOKEN", "FAKE_VERSION", "conformance_setup", "create_app"]

DEFAULT_TOKEN = "nemeton-test-token"
FAKE_VERSION = "1.0.0-fake"

Handler = Callable[[Request, FakeNemeton], Awaitable[Response]]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _handler(fn: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A route calling `fn` with the fake; `Unknown` answers 404, `Refused` 409."""

    async def endpoint(request: Request) -> Response:
        try:
            return await fn(request, request.app.state.nemeton)
        except Unknown as exc:
            return _error(404, str(exc))
        except Refused as exc:
            return _error(409, str(exc))

    return endpoint


async def _body(request: Request, key: str, *, required: bool = True) -> str | None:
    """`key` of the JSON object body, a string; 400 otherwise."""
    raw = await request.body()
    if not raw and not required:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        raise HTTPException(400, "the body is not JSON") from None
    value = data.get(key) if isinstance(data, dict) else None
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise HTTPException(400, f"the body needs a string {key!r}")
    return value


def _vm(request: Request, fake: FakeNemeton) -> FakeVM:
    return fake.vm(request.path_params["id"])


# -- VM lifecycle -------------------------------------------------------------------------------


async def list_vms(request: Request, fake: FakeNemeton) -> Response:
    return JSONResponse([vm.to_json() for vm in fake.vms.values()])


async def get_vm(request: Request, fake: FakeNemeton) -> Response:
    return JSONResponse(_vm(request, fake).to_json())


def _lifecycle(action: str, status: int = 200) -> Handler:
    async def act(request: Request, fake: FakeNemeton) -> Response:
        vm = _vm(request, fake)
        await getattr(fake, action)(vm)
        return JSONResponse(vm.to_json(), status_code=status)

    return act


# -- snapshots ----------------------------------------------------------------------------------


async def list_snapshots(request: Request, fake: FakeNemeton) -> Response:
    return JSONResponse([snap.to_json() for snap in _vm(request, fake).snapshots])


async def create_snapshot(request: Request, fake: FakeNemeton) -> Response:
    vm = _vm(request, fake)
    name = await _body(request, "name", required=False)
    return JSONResponse(fake.create_snapshot(vm, name).to_json(), status_code=201)


async def restore_snapshot(request: Request, fake: FakeNemeton) -> Response:
    vm = _vm(request, fake)
    fake.restore_snapshot(vm, request.path_params["sid"])
    return JSONResponse(vm.to_json())


async def delete_snapshot(request: Request, fake: FakeNemeton) -> Response:
    fake.delete_snapshot(_vm(request, fake), request.path_params["sid"])
    return Response(status_code=204)


# -- console ------------------------------------------------------------------------------------


async def read_console(request: Request, fake: FakeNemeton) -> Response:
    return JSONResponse({"output": _vm(request, fake).console})


async def send_console(request: Request, fake: FakeNemeton) -> Response:
    vm = _vm(request, fake)
    fake.send(vm, str(await _body(request, "text")))
    return Response(status_code=204)


async def clear_console(request: Request, fake: FakeNemeton) -> Response:
    _vm(request, fake).console = ""
    return Response(status_code=204)


async def execute(request: Request, fake: FakeNemeton) -> Response:
    vm = _vm(request, fake)
    return JSONResponse({"output": fake.execute(vm, str(await _body(request, "command")))})


# -- events, docs, the app's stand-in -----------------------------------------------------------


async def events_sse(request: Request, fake: FakeNemeton) -> Response:
    queue = fake.subscribe()

    async def stream() -> AsyncIterator[str]:
        try:
            yield ": subscribed\n\n"  # tells a client it will see what happens from now on
            while True:
                event = await queue.get()
                yield f"event: {event['event']}\ndata: {json.dumps(event)}\n\n"
        finally:
            fake.unsubscribe(queue)

    return StreamingResponse(stream(), media_type="text/event-stream")


async def events_ws(websocket: WebSocket) -> None:
    fake: FakeNemeton = websocket.app.state.nemeton
    queue = fake.subscribe()
    await websocket.accept()

    async def pump() -> None:
        while True:
            await websocket.send_json(await queue.get())

    sending = asyncio.get_running_loop().create_task(pump())
    try:
        # what a client sends is ignored; reading is how its going away is noticed
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    finally:
        sending.cancel()
        fake.unsubscribe(queue)


async def openapi(request: Request, fake: FakeNemeton) -> Response:
    paths: dict[str, dict[str, Any]] = {}
    for route in request.app.routes:
        if isinstance(route, Route) and route.path.startswith(("/api/", "/mcp")):
            methods = sorted((route.methods or set()) - {"HEAD"})
            paths.setdefault(route.path, {}).update({m.lower(): {} for m in methods})
    info = {"title": "Nemeton API (fake)", "version": FAKE_VERSION}
    return JSONResponse({"openapi": "3.1.0", "info": info, "paths": paths})


async def docs(request: Request, fake: FakeNemeton) -> Response:
    return HTMLResponse(
        "<!DOCTYPE html><html><head><title>Nemeton API</title></head><body>"
        '<redoc spec-url="/api/v1/openapi.json"></redoc>'
        '<script src="https://cdn.redoc.ly/redoc/latest/bundles/redoc.standalone.js"></script>'
        "</body></html>"
    )


async def fake_create_vm(request: Request, fake: FakeNemeton) -> Response:
    """Not Nemeton's API: what its app does when a user makes a VM."""
    data = json.loads(await request.body() or b"{}")
    vm = fake.add_vm(
        str(data["name"]),
        cpu_count=int(data.get("cpuCount", 2)),
        memory_mb=int(data.get("memoryMB", 4096)),
        disk_gb=int(data.get("diskGB", 64)),
    )
    return JSONResponse(vm.to_json(), status_code=201)


class BearerAuth:
    """Refuses every request without `Authorization: Bearer <token>`: 401, or close 1008."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            given = dict(scope["headers"]).get(b"authorization")
            if given != self.expected:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                response = _error(401, "missing or invalid bearer token")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(exc.status_code, exc.detail)


def create_app(*, token: str = DEFAULT_TOKEN, step_seconds: float = 0.05) -> Starlette:
    """The fake Nemeton.

    Args:
        token: The bearer token it accepts.
        step_seconds: One step of simulated time (a start takes one, an ACPI stop two).

    Returns:
        The app; `app.state.nemeton` is its `FakeNemeton`.
    """
    vm = "/api/v1/vms/{id}"
    routes: list[BaseRoute] = [
        Route("/api/v1/vms", _handler(list_vms)),
        Route(vm, _handler(get_vm)),
        Route(f"{vm}/start", _handler(_lifecycle("start")), methods=["POST"]),
        Route(f"{vm}/stop", _handler(_lifecycle("stop", 202)), methods=["POST"]),
        Route(f"{vm}/force-stop", _handler(_lifecycle("force_stop")), methods=["POST"]),
        Route(f"{vm}/pause", _handler(_lifecycle("pause")), methods=["POST"]),
        Route(f"{vm}/resume", _handler(_lifecycle("resume")), methods=["POST"]),
        Route(f"{vm}/snapshots", _handler(list_snapshots), methods=["GET"]),
        Route(f"{vm}/snapshots", _handler(create_snapshot), methods=["POST"]),
        Route(f"{vm}/snapshots/{{sid}}/restore", _handler(restore_snapshot), methods=["POST"]),
        Route(f"{vm}/snapshots/{{sid}}", _handler(delete_snapshot), methods=["DELETE"]),
        Route(f"{vm}/console", _handler(read_console), methods=["GET"]),
        Route(f"{vm}/console", _handler(send_console), methods=["POST"]),
        Route(f"{vm}/console", _handler(clear_console), methods=["DELETE"]),
        Route(f"{vm}/console/execute", _handler(execute), methods=["POST"]),
        Route("/api/v1/events", _handler(events_sse)),
        WebSocketRoute("/api/v1/events", events_ws),
        Route("/api/v1/docs", _handler(docs)),
        Route("/api/v1/openapi.json", _handler(openapi)),
        Route("/mcp", mcp_endpoint, methods=["POST"]),
        Route("/_fake/vms", _handler(fake_create_vm), methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.nemeton = FakeNemeton(step_seconds=step_seconds)
    app.add_middleware(BearerAuth, token=token)
    return app


@contextlib.contextmanager
def conformance_setup(workdir: Path) -> Iterator[ConformanceSetup]:
    """Serve a fake Nemeton; yield how the conformance suite runs vmkit on it.

    Nemeton documents no VM creation, so `create` is empty (vmkit answers 501) and VMs
    come from `make_outside_vm`, which vmkit adopts; it returns the VM's Nemeton id, the
    handle vmkit records as `adopted_from` (Nemeton names VMs by id, not by name).
    """
    with serve_app(create_app(token=DEFAULT_TOKEN, step_seconds=0.05)) as url:

        def make_outside_vm(name: str) -> str:
            response = httpx.post(
                f"{url}/_fake/vms",
                json={"name": name},
                headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"},
            )
            response.raise_for_status()
            # vmkit's handle for a Nemeton VM is its id (what `adopted_from` shows)
            return str(response.json()["id"])

        yield ConformanceSetup(
            backend_name="nemeton",
            backend_options={"url": url, "token": DEFAULT_TOKEN, "poll_interval": "0.05"},
            create={},
            make_outside_vm=make_outside_vm,
        )
