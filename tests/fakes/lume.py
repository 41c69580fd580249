"""A faithful fake of Lume's HTTP server API, from its document (`shared/seeds/003_...txt`).

From the document: the routes under `/lume` (`GET|POST /vms`, `GET|PUT|DELETE /vms/{name}`,
`POST /vms/{name}/run`, `POST /vms/{name}/stop`, `POST /images/pull`), no authentication, the
request fields and their types, sizes as strings with a unit (`"4GB"`), the `storage`
parameter, and the list and detail bodies (`state`, `ipAddress`, `vncPort`,
`sharedDirectories` with their `tag`; a stopped VM keeps showing the address and VNC port of
its last run, as the document's example does).

From the known defects of Lume (`shared/seeds/README.md`): every error is a 400, with the body
`{"message": "..."}` that Lume's server writes; and `run` answers `202 {"status": "pending"}`
before it even looks at the VM, then starts it in the background: a start that fails (unknown
VM, already running, Apple's limit of two running macOS guests, an injected failure) leaves
the VM `stopped` and says why only in the server log (`FakeLume.log`).

Where the document is silent, the fake does what Lume's server does: create, stop, update and
pull answer `200 {"message": ...}` once done (they take `step_seconds`, a macOS install three
steps), delete answers 200 with an empty body, a run takes one step to bring the VM up, and
sizes read `KB|MB|GB|TB` as powers of 1024. The fake's state lives in memory; the app keeps it
as `app.state.lume` for tests to inspect and to inject faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._support import ConformanceSetup, serve_app

__all__ = ["FakeLume", "FakeVM", "conformance_setup", "create_app"]

#: Apple's Virtualization framework runs at most this many macOS guests at once.
MACOS_LIMIT = 2
_VZ_LIMIT_ERROR = (
    "The number of virtual machines exceeds the limit. The maximum supported number of active "
    "virtual machines has been reached."
)
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]B)\s*$", re.IGNORECASE)
_UNITS = {"KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}
_DISPLAY = re.compile(r"^\d+x\d+$")
_TAG = "com.apple.virtio-fs.automount"


class LumeError(Exception):
    """A refusal, answered as Lume answers every error: 400 with a message."""


@dataclass
class FakeVM:
    """One VM of the fake, with the fields of the document's detail body."""

    name: str
    os: str
    cpu: int
    memory: str
    disk_size: str
    display: str = "1024x768"
    ipsw: str | None = None
    storage: str | None = None
    state: str = "stopped"
    ip_address: str | None = None
    vnc_port: int | None = None
    shared_directories: list[dict[str, Any]] = field(default_factory=list)
    recovery_mode: bool = False

    def summary(self) -> dict[str, Any]:
        """The VM as `GET /vms` lists it."""
        return {
            "name": self.name,
            "state": self.state,
            "os": self.os,
            "cpu": self.cpu,
            "memory": self.memory,
            "diskSize": self.disk_size,
        }

    def details(self) -> dict[str, Any]:
        """The VM as `GET /vms/{name}` shows it."""
        return {
            **self.summary(),
            "display": self.display,
            "ipAddress": self.ip_address,
            "vncPort": self.vnc_port,
            "sharedDirectories": [dict(d) for d in self.shared_directories],
        }


def parse_size(text: object) -> int:
    """Bytes of a Lume size string (`4GB`, `512MB`).

    Raises:
        LumeError: Not a size.
    """
    match = _SIZE.match(text) if isinstance(text, str) else None
    if match is None:
        raise LumeError(f"Malformed size input: {text}")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


class FakeLume:
    """The fake Lume server's state and behaviour.

    Args:
        step_seconds: How long one step of background work takes.
        macos_limit: How many macOS guests may run at once.

    Attributes:
        vms: The VMs by name.
        log: Lume's server log, one line per event (where failed runs say why).
        pulled: The bodies of the pulls that succeeded.
    """

    def __init__(self, *, step_seconds: float = 0.05, macos_limit: int = MACOS_LIMIT) -> None:
        self.step_seconds = step_seconds
        self.macos_limit = macos_limit
        self.vms: dict[str, FakeVM] = {}
        self.log: list[str] = []
        self.pulled: list[dict[str, Any]] = []
        self._creating: set[str] = set()
        self._run_failures: dict[str, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._runs = 0

    # -- test hooks ---------------------------------------------------------------------------

    def fail_next_run(self, name: str, reason: str) -> None:
        """Make the next run of VM `name` fail in the background with `reason` (logged only)."""
        self._run_failures[name] = reason

    def power_off_from_guest(self, name: str) -> None:
        """The guest of a running VM shuts itself down: Lume then shows it `stopped`."""
        self.vms[name].state = "stopped"
        self.log.append(f"INFO: VM stopped by its guest name={name}")

    # -- routes -------------------------------------------------------------------------------

    async def list_vms(self, request: Request) -> Response:
        """`GET /vms`."""
        return JSONResponse([vm.summary() for vm in self.vms.values()])

    async def create_vm(self, request: Request) -> Response:
        """`POST /vms`: validate, then install (one step, three for macOS)."""
        body = await _object(request)
        name = _required(body, "name", str)
        os_name = _required(body, "os", str)
        cpu = _required(body, "cpu", int)
        memory = _required(body, "memory", str)
        disk = _required(body, "diskSize", str)
        display = _optional(body, "display", str)
        ipsw = _optional(body, "ipsw", str)
        storage = _optional(body, "storage", str)
        if not name or cpu < 1:
            raise LumeError("Invalid request body")
        canonical = {"macos": "macOS", "linux": "linux"}.get(os_name.lower())
        if canonical is None:
            raise LumeError(f"Unsupported operating system: {os_name}")
        if parse_size(memory) <= 0 or parse_size(disk) <= 0:
            raise LumeError("Invalid disk size")
        if display is not None and not _DISPLAY.match(display):
            raise LumeError(f"Invalid display resolution: {display}")
        if name in self.vms or name in self._creating:
            raise LumeError(f"Virtual machine already exists with name: {name}")
        self._creating.add(name)
        try:
            steps = 3 if canonical == "macOS" else 1
            self.log.append(f"INFO: Creating VM name={name} os={canonical} ipsw={ipsw}")
            await asyncio.sleep(self.step_seconds * steps)
            self.vms[name] = FakeVM(
                name=name,
                os=canonical,
                cpu=cpu,
                memory=memory,
                disk_size=disk,
                display=display or "1024x768",
                ipsw=ipsw,
                storage=storage,
            )
        finally:
            self._creating.discard(name)
        self.log.append(f"INFO: VM created name={name}")
        return JSONResponse({"message": "VM created successfully", "name": name})

    async def get_vm(self, request: Request) -> Response:
        """`GET /vms/{name}`."""
        vm = self._vm(request)
        return JSONResponse(vm.details())

    async def update_vm(self, request: Request) -> Response:
        """`PUT /vms/{name}`: every field optional; a disk only grows."""
        vm = self._vm(request)
        body = await _object(request)
        cpu = _optional(body, "cpu", int)
        memory = _optional(body, "memory", str)
        disk = _optional(body, "diskSize", str)
        display = _optional(body, "display", str)
        _optional(body, "storage", str)
        if cpu is not None and cpu < 1:
            raise LumeError("Invalid request body")
        if memory is not None and parse_size(memory) <= 0:
            raise LumeError(f"Malformed size input: {memory}")
        if disk is not None:
            current, requested = parse_size(vm.disk_size), parse_size(disk)
            if requested < current:
                raise LumeError(
                    f"Cannot resize disk to {requested} bytes, current size is {current} bytes"
                )
        if display is not None and not _DISPLAY.match(display):
            raise LumeError(f"Invalid display resolution: {display}")
        await asyncio.sleep(self.step_seconds)
        vm.cpu = vm.cpu if cpu is None else cpu
        vm.memory = vm.memory if memory is None else memory
        vm.disk_size = vm.disk_size if disk is None else disk
        vm.display = vm.display if display is None else display
        return JSONResponse({"message": "VM settings updated successfully"})

    async def delete_vm(self, request: Request) -> Response:
        """`DELETE /vms/{name}`: 200 with an empty body."""
        vm = self._vm(request)
        del self.vms[vm.name]
        self.log.append(f"INFO: VM deleted name={vm.name}")
        return Response(b"", status_code=200, media_type="application/json")

    async def run_vm(self, request: Request) -> Response:
        """`POST /vms/{name}/run`: parse the body, answer pending, start in the background."""
        name = request.path_params["name"]
        raw = await request.body()
        body: dict[str, Any] = {}
        if raw.strip():
            try:
                body = _as_object(json.loads(raw))
                _optional(body, "noDisplay", bool)
                _optional(body, "recoveryMode", bool)
                _optional(body, "storage", str)
                shared = _shared_directories(body.get("sharedDirectories"))
            except (ValueError, LumeError):
                raise LumeError("Invalid run request body") from None
        else:
            shared = []
        task = asyncio.get_running_loop().create_task(
            self._start(name, shared, bool(body.get("recoveryMode", False)))
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self.log.append(f"INFO: VM start initiated in background name={name}")
        return JSONResponse(
            {"message": "VM start initiated", "name": name, "status": "pending"}, status_code=202
        )

    async def stop_vm(self, request: Request) -> Response:
        """`POST /vms/{name}/stop`: answers once the VM is stopped."""
        vm = self._vm(request)
        if vm.state != "running":
            raise LumeError(f"Virtual machine not running: {vm.name}")
        await asyncio.sleep(self.step_seconds)
        vm.state = "stopped"
        self.log.append(f"INFO: VM stopped name={vm.name}")
        return JSONResponse({"message": "VM stopped successfully"})

    async def pull_image(self, request: Request) -> Response:
        """`POST /images/pull`: an image reference is `name:tag`."""
        body = await _object(request)
        image = _required(body, "image", str)
        _required(body, "registry", str)
        _required(body, "organization", str)
        _optional(body, "storage", str)
        if image.count(":") != 1 or not all(image.split(":")):
            raise LumeError("Invalid image format. Expected format: name:tag")
        await asyncio.sleep(self.step_seconds * 2)
        self.pulled.append(body)
        return JSONResponse(
            {"message": "Image pulled successfully", "image": image, "name": image.split(":")[0]}
        )

    # -- internals ----------------------------------------------------------------------------

    def _vm(self, request: Request) -> FakeVM:
        name = request.path_params["name"]
        storage = request.query_params.get("storage")
        vm = self.vms.get(name)
        if vm is None or (storage is not None and storage != (vm.storage or storage)):
            raise LumeError(f"Virtual machine not found: {name}")
        return vm

    async def _start(self, name: str, shared: list[dict[str, Any]], recovery: bool) -> None:
        await asyncio.sleep(self.step_seconds)
        vm = self.vms.get(name)
        running_macos = [v for v in self.vms.values() if v.os == "macOS" and v.state == "running"]
        reason: str | None
        if vm is None:
            reason = f"Virtual machine not found: {name}"
        elif name in self._run_failures:
            reason = self._run_failures.pop(name)
        elif vm.state == "running":
            reason = f"Virtual machine already running: {name}"
        elif vm.os == "macOS" and len(running_macos) >= self.macos_limit:
            reason = _VZ_LIMIT_ERROR
        else:
            reason = None
        if reason is not None or vm is None:
            self.log.append(f"ERROR: Failed to start VM name={name} error={reason}")
            return
        self._runs += 1
        vm.state = "running"
        vm.ip_address = f"192.168.64.{1 + self._runs % 250}"
        vm.vnc_port = 5900 + self._runs % 100
        vm.shared_directories = [{**d, "tag": _TAG} for d in shared]
        vm.recovery_mode = recovery
        self.log.append(f"INFO: VM started name={name}")

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """The app's lifespan: background starts still waiting are cancelled at shutdown."""
        try:
            yield
        finally:
            for task in list(self._tasks):
                task.cancel()


async def _object(request: Request) -> dict[str, Any]:
    try:
        return _as_object(json.loads(await request.body()))
    except ValueError:
        raise LumeError("Invalid request body") from None


def _as_object(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LumeError("Invalid request body")
    return value


def _required(body: dict[str, Any], key: str, kind: type) -> Any:
    value = body.get(key)
    if value is None or not _is(value, kind):
        raise LumeError("Invalid request body")
    return value


def _optional(body: dict[str, Any], key: str, kind: type) -> Any:
    value = body.get(key)
    if value is not None and not _is(value, kind):
        raise LumeError("Invalid request body")
    return value


def _is(value: object, kind: type) -> bool:
    if kind is int and isinstance(value, bool):
        return False
    return isinstance(value, kind)


def _shared_directories(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise LumeError("Invalid run request body")
    dirs = []
    for item in value:
        entry = _as_object(item)
        host_path = _required(entry, "hostPath", str)
        read_only = _optional(entry, "readOnly", bool)
        dirs.append({"hostPath": host_path, "readOnly": bool(read_only)})
    return dirs


def create_app(*, step_seconds: float = 0.05, macos_limit: int = MACOS_LIMIT) -> Starlette:
    """The fake Lume server as an ASGI app (its state at `app.state.lume`).

    Args:
        step_seconds: How long one step of work takes (a run takes one step to come up).
        macos_limit: How many macOS guests may run at once.

    Returns:
        The app, serving Lume's routes under `/lume`.
    """
    lume = FakeLume(step_seconds=step_seconds, macos_limit=macos_limit)

    def route(path: str, methods: dict[str, Any]) -> Route:
        async def endpoint(request: Request) -> Response:
            handler = methods.get(request.method)
            if handler is None:  # Starlette answers 405 before we get here
                return Response(status_code=405)
            try:
                response: Response = await handler(request)
            except LumeError as exc:
                return JSONResponse({"message": str(exc)}, status_code=400)
            return response

        return Route(f"/lume{path}", endpoint, methods=list(methods))

    app = Starlette(
        routes=[
            route("/vms", {"GET": lume.list_vms, "POST": lume.create_vm}),
            route(
                "/vms/{name}",
                {"GET": lume.get_vm, "PUT": lume.update_vm, "DELETE": lume.delete_vm},
            ),
            route("/vms/{name}/run", {"POST": lume.run_vm}),
            route("/vms/{name}/stop", {"POST": lume.stop_vm}),
            route("/images/pull", {"POST": lume.pull_image}),
        ],
        lifespan=lume.lifespan,
    )
    app.state.lume = lume
    return app


@contextlib.contextmanager
def conformance_setup(workdir: Path) -> Iterator[ConformanceSetup]:
    """Serve the fake and describe a vmkit server on the `lume` backend driving it.

    Args:
        workdir: A scratch directory (the fake keeps nothing on disk).

    Yields:
        The backend name and options, the create arguments (a Linux guest, so the macOS
        limit does not get in the suite's way), and `make_outside_vm`.
    """
    app = create_app(step_seconds=0.02)
    with serve_app(app) as base:
        url = f"{base}/lume"

        def make_outside_vm(name: str) -> str:
            body = {"name": name, "os": "linux", "cpu": 1, "memory": "1GB", "diskSize": "8GB"}
            httpx.post(f"{url}/vms", json=body, timeout=10).raise_for_status()
            return name

        yield ConformanceSetup(
            backend_name="lume",
            backend_options={"url": url, "poll_interval": "0.02", "start_timeout": "5"},
            create={"image": "linux", "cpus": 1, "memory_mib": 1024, "disk_gib": 8},
            make_outside_vm=make_outside_vm,
        )
