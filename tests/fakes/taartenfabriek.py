"""A faithful fake of de taartenfabriek's local API, from its document (`shared/seeds/001_...txt`).

From the document: the routes under `/api` and the WebSocket `/ws/tasks/{task_id}?token=`,
the header `X-Local-Token` on every `/api/*` route (the token is generated on first run into a
token file when one is given), errors as FastAPI's `{"detail": ...}` (a string; a list of
items for a body that does not validate, `422`), the VM, VM config, Task, VM image and
summary objects, `GET /api/vms` answering from a cached inventory that `POST /api/vms/refresh`
re-reads, and every action (start, stop, delete, pull, clone, create) answering a pending
Task at once that then runs, completes or fails over time (`step_seconds` a step).

From its known defects (`shared/seeds/README.md`): `GET /api/vms/available-images` answers
without the token, and `GET /api/vms/{vm_name}/config` is shadowed by `GET /api/vms/{vm_name}`
(whose name takes slashes), so it answers 404 "VM '<name>/config' not found".

Where the document is silent, the fake does what the app does: a refused token is `403`
"Invalid or missing X-Local-Token header"; an action on a VM Tart does not know is accepted and
its task fails with Tart's message; a start runs `tart run` detached and waits up to
`ip_wait_steps` for an address, completing with `ip_address: null` when none came, even when the
VM never ran (Tart's error then goes only to the run's log, `Work.run_logs`), which
is what happens to a third macOS guest (Apple's limit of two running at once); a create whose
`tart set` Tart refuses (a disk smaller than the image's) logs a warning and still completes;
the inventory is refreshed one step after a task completes. The app keeps its state in memory
as `app.state.taartenfabriek` (a `FakeTaartenfabriek`) for tests to inspect and steer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from ._support import ConformanceSetup, serve_app
from ._taartenfabriek_body import error, parse_json, validated
from ._taartenfabriek_tart import FakeTaarten, FakeTart, is_base_image
from ._taartenfabriek_work import Work

__all__ = [
    "LINUX_IMAGE",
    "MACOS_IMAGE",
    "FakeTaartenfabriek",
    "conformance_setup",
    "create_app",
]

MACOS_IMAGE = "ghcr.io/cirruslabs/macos-sonoma-base:latest"
LINUX_IMAGE = "ghcr.io/cirruslabs/ubuntu:latest"
_FORBIDDEN = "Invalid or missing X-Local-Token header"
_AVAILABLE = [
    {
        "name": "macos-sequoia-base",
        "url": "ghcr.io/cirruslabs/macos-sequoia-base:latest",
        "description": "macOS Sequoia with Homebrew",
        "tags": ["latest", "15.1"],
        "updated_at": "2024-11-20T09:00:00Z",
    },
    {
        "name": "macos-sonoma-base",
        "url": MACOS_IMAGE,
        "description": "macOS Sonoma with Homebrew",
        "tags": ["latest", "14.7"],
        "updated_at": "2024-11-18T09:00:00Z",
    },
]


class FakeTaartenfabriek:
    """The fake app: its token, GitHub token, and `FakeTaarten` (Tart, inventory, tasks).

    Args:
        token: The API token (`X-Local-Token`).
        step_seconds: How long one step of a task takes.
        sparse_inventory: VM objects with `os`, `cpu`, `memory` and `display` null.
        ip_wait_steps: Steps a start waits for an address before it completes without one.
        images: Base images pulled at start (OCI URLs).
    """

    def __init__(
        self,
        *,
        token: str,
        step_seconds: float,
        sparse_inventory: bool,
        ip_wait_steps: int,
        images: tuple[str, ...],
    ) -> None:
        self.token = token
        self.github_token: str | None = None
        self.tart = FakeTart()
        for url in images:
            self.tart.pull(url)
        self.app = FakeTaarten(
            self.tart, step_seconds=step_seconds, sparse_inventory=sparse_inventory
        )
        self.work = Work(self.app, ip_wait_steps=ip_wait_steps)

    def authorized(self, request: Request) -> bool:
        """Whether the request carries the token."""
        return request.headers.get("x-local-token") == self.token

    # -- routes ---------------------------------------------------------------------------------

    async def route(self, request: Request, handler: str) -> Response:
        """Every `/api` route: auth, then the handler `_h_<handler>`."""
        if handler != "available_images" and not self.authorized(request):
            return error(403, _FORBIDDEN)
        result = await getattr(self, f"_h_{handler}")(request, **request.path_params)
        return result if isinstance(result, Response) else JSONResponse(result)

    async def _h_health(self, request: Request) -> Any:
        return {"status": "ok", "version": "1.0.0"}

    async def _h_github_token(self, request: Request) -> Any:
        token = self.github_token
        return {
            "configured": bool(token),
            "masked_token": f"{token[:4]}...{token[-4:]}" if token and len(token) > 8 else None,
        }

    async def _h_set_github_token(self, request: Request) -> Any:
        body = await validated(request, "github-token")
        if isinstance(body, Response):
            return body
        token = (body.get("token") or "").strip()
        self.github_token = token or None
        said = "configured successfully" if token else "cleared"
        return {"status": "success", "message": f"GitHub token {said}"}

    async def _h_available_images(self, request: Request) -> Any:
        return list(_AVAILABLE) if self.github_token else []

    async def _h_tart_version(self, request: Request) -> Any:
        return {"version": "2.22.4"}

    async def _h_list(self, request: Request) -> Any:
        return self.app.cached()

    async def _h_refresh(self, request: Request) -> Any:
        return self.app.refresh()

    async def _h_categorized(self, request: Request) -> Any:
        vms = self.app.cached()
        return {
            "base_images": [vm for vm in vms if is_base_image(vm)],
            "working_vms": [vm for vm in vms if not is_base_image(vm)],
        }

    async def _h_get(self, request: Request, vm_name: str) -> Any:
        vm = self.app.inventory.get(vm_name)
        return vm if vm is not None else error(404, f"VM '{vm_name}' not found")

    async def _h_config(self, request: Request, vm_name: str) -> Any:
        # Unreachable, as in the app: the route above takes ".../config" as a name.
        vm = self.tart.vms.get(vm_name)
        if vm is None:
            return error(500, "Internal server error")
        return {
            "name": vm_name,
            "cpu": vm.cpu,
            "memory": f"{vm.memory_mib / 1024:g}G",
            "disk_size": f"{vm.disk_gb}G",
            "raw": {"CPU": vm.cpu, "Memory": vm.memory_mib, "Disk": vm.disk_gb, "OS": vm.os},
        }

    async def _h_start(self, request: Request, vm_name: str) -> Any:
        raw = await request.body()  # optional; the app ignores what it holds
        if raw.strip():
            _, refused = parse_json(raw)
            if refused is not None:
                return refused
        return self.app.new_task("start_vm", lambda task: self.work.start(task, vm_name))

    async def _h_stop(self, request: Request, vm_name: str) -> Any:
        return self.app.new_task("stop_vm", lambda task: self.work.stop(task, vm_name))

    async def _h_delete(self, request: Request, vm_name: str) -> Any:
        return self.app.new_task("delete_vm", lambda task: self.work.delete(task, vm_name))

    async def _h_pull(self, request: Request) -> Any:
        body = await validated(request, "pull")
        if isinstance(body, Response):
            return body
        return self.app.new_task("pull_vm", lambda task: self.work.pull(task, body["oci_url"]))

    async def _h_create(self, request: Request) -> Any:
        body = await validated(request, "create")
        if isinstance(body, Response):
            return body
        return self.app.new_task("create_vm", lambda task: self.work.create(task, body))

    async def _h_clone(self, request: Request, vm_name: str) -> Any:
        body = await validated(request, "clone")
        if isinstance(body, Response):
            return body
        new_name, start = body["new_name"], body.get("start_after_clone", False)
        work = self.work.clone
        return self.app.new_task("clone_vm", lambda task: work(task, vm_name, new_name, start))

    async def _h_active(self, request: Request) -> Any:
        return self.app.active()

    async def _h_task(self, request: Request, task_id: str) -> Any:
        task = self.app.tasks.get(task_id)
        return task if task is not None else error(404, f"Task '{task_id}' not found")

    async def websocket(self, websocket: WebSocket) -> None:
        """`/ws/tasks/{task_id}?token=`: the task now, then on every change until it ends."""
        task_id = websocket.path_params["task_id"]
        task = self.app.tasks.get(task_id)
        if websocket.query_params.get("token") != self.token or task is None:
            await websocket.close(code=1008)
            return
        await websocket.accept()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.app.subscribers[task_id].add(queue)
        try:
            update = dict(task)
            while True:
                await websocket.send_json(update)
                if update["status"] in ("completed", "failed"):
                    await websocket.close()
                    return
                update = await queue.get()
        except WebSocketDisconnect:
            return
        finally:
            self.app.subscribers[task_id].discard(queue)


def _read_or_make_token(token_file: Path) -> str:
    """The token in `token_file`, generated (mode 0600) on first run."""
    if token_file.exists():
        return token_file.read_text().strip()
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(token)
    return token


def create_app(
    *,
    token: str | None = None,
    token_file: Path | None = None,
    step_seconds: float = 0.05,
    sparse_inventory: bool = False,
    ip_wait_steps: int = 12,
    images: tuple[str, ...] = (MACOS_IMAGE, LINUX_IMAGE),
) -> Starlette:
    """The fake app.

    Args:
        token: The API token; by default read from `token_file`, or made up.
        token_file: Where the token is kept (generated there on first run).
        step_seconds: How long one step of a task takes.
        sparse_inventory: VM objects with `os`, `cpu`, `memory`, `display` null.
        ip_wait_steps: Steps a start waits for the VM's address.
        images: Base images already pulled (OCI URLs).

    Returns:
        The Starlette app; its state is `app.state.taartenfabriek`.
    """
    if token is None:
        token = _read_or_make_token(token_file) if token_file else secrets.token_urlsafe(32)
    elif token_file is not None and not token_file.exists():
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text(token)
    fake = FakeTaartenfabriek(
        token=token,
        step_seconds=step_seconds,
        sparse_inventory=sparse_inventory,
        ip_wait_steps=ip_wait_steps,
        images=images,
    )

    def api(path: str, name: str, method: str = "GET") -> Route:
        async def endpoint(request: Request) -> Response:
            return await fake.route(request, name)

        return Route(path, endpoint, methods=[method], name=name)

    # The app's order: `/api/vms/{vm_name:path}` comes before `.../config` and shadows it.
    routes = [
        api("/api/health", "health"),
        api("/api/settings/github-token", "github_token"),
        api("/api/settings/github-token", "set_github_token", "POST"),
        api("/api/vms/available-images", "available_images"),
        api("/api/tart/version", "tart_version"),
        api("/api/vms", "list"),
        api("/api/vms/refresh", "refresh", "POST"),
        api("/api/vms/categorized", "categorized"),
        api("/api/vms/{vm_name:path}", "get"),
        api("/api/vms/{vm_name:path}/config", "config"),
        api("/api/vms/{vm_name:path}/start", "start", "POST"),
        api("/api/vms/{vm_name:path}/delete", "delete", "POST"),
        api("/api/vms/{vm_name:path}/stop", "stop", "POST"),
        api("/api/vms/pull", "pull", "POST"),
        api("/api/vms/create", "create", "POST"),
        api("/api/vms/{vm_name:path}/clone", "clone", "POST"),
        api("/api/tasks/active", "active"),
        api("/api/tasks/{task_id}", "task"),
        WebSocketRoute("/ws/tasks/{task_id}", fake.websocket),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        fake.app.refresh()  # the app's initial VM list refresh
        yield
        await fake.app.close()

    app = Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error}
    )
    app.state.taartenfabriek = fake
    return app


def _wait_task(client: httpx.Client, task: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while task["status"] not in ("completed", "failed"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"task {task['id']} did not finish: {task}")
        time.sleep(0.01)  # test equipment polling the fake, as a client of the app would
        task = client.get(f"/api/tasks/{task['id']}").raise_for_status().json()
    return task


@contextlib.contextmanager
def conformance_setup(workdir: Path) -> Iterator[ConformanceSetup]:
    """Serve the fake (token in `workdir`) and say how vmkit drives it.

    Yields:
        The backend `taartenfabriek` on the fake's URL and token, Linux VMs of 2 CPUs, 4 GiB
        and 20 GiB from `LINUX_IMAGE`, and `make_outside_vm`, which creates a VM through the
        fake's `POST /api/vms/create` and waits for its task.
    """
    token_file = workdir / "taartenfabriek" / ".tartvm-manager" / "token"
    app = create_app(token_file=token_file)
    token = token_file.read_text().strip()
    with serve_app(app) as url:

        def make_outside_vm(name: str) -> str:
            body = {"name": name, "source_vm": LINUX_IMAGE, "cpu": 2, "memory": 4, "disk_size": 20}
            with httpx.Client(base_url=url, headers={"X-Local-Token": token}) as client:
                task = client.post("/api/vms/create", json=body).raise_for_status().json()
                done = _wait_task(client, task)
            if done["status"] != "completed":
                raise RuntimeError(f"the fake could not create {name}: {done['error']}")
            return name

        yield ConformanceSetup(
            backend_name="taartenfabriek",
            backend_options={"url": url, "token": token, "poll_interval": "0.05"},
            create={"image": LINUX_IMAGE, "cpus": 2, "memory_mib": 4096, "disk_gib": 20},
            make_outside_vm=make_outside_vm,
        )
