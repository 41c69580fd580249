"""The TTstack fake's host agent (`tt-agent`): one host's VMs, and its HTTP API.

An agent runs the VMs of one host. The controller of `ttstack.py` calls `FakeAgent`'s methods
in-process where the real one calls `http://<addr>/api/...`; `create_agent_app` serves the
same agent over HTTP for tests of the agent API itself. Behaviour follows TTstack's REST API
reference and, where it is silent, TTstack's agent (`crates/agent/src/runtime.rs`): a create
boots the VM (`creating` for one step, then `running`); a stop pauses `qemu`/`firecracker`
VMs and stops the others; `bhyve` VMs cannot be started again; port 22 is always exposed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ._ttstack_http import BodyError, Fields, authorized, fail, ok, read_body, validate_name

__all__ = ["AgentError", "FakeAgent", "FakeVM", "create_agent_app"]

PAUSING = frozenset({"qemu", "firecracker"})  # their "stop" freezes the process
MAX_VMS = 1000
Handler = Callable[[Request], Awaitable[Response]]


class AgentError(Exception):
    """A refusal or engine failure of the agent (its 500 answers)."""


def _vm_ip(index: int) -> str:
    internal = index + 1
    return f"10.10.{(internal // 254) & 0xFF}.{internal % 254 + 1}"


@dataclass
class FakeVM:
    """One VM as an agent keeps it (TTstack's `Vm`, plus what it was made with).

    Attributes:
        ssh_keys: The keys cloud-init was given (not in TTstack's answers).
        deny_outgoing: Whether its outbound traffic is blocked (not in TTstack's answers).
    """

    id: str
    env_id: str
    host_id: str
    image: str
    engine: str
    cpu: int
    mem: int
    disk: int
    ip: str
    port_map: dict[int, int]
    state: str
    created_at: int
    ssh_keys: list[str] = field(default_factory=list)
    deny_outgoing: bool = False

    def to_json(self) -> dict[str, Any]:
        """TTstack's JSON of a VM (port_map keys become strings, as in serde_json)."""
        return {
            "id": self.id, "env_id": self.env_id, "host_id": self.host_id, "image": self.image,
            "engine": self.engine, "cpu": self.cpu, "mem": self.mem, "disk": self.disk,
            "ip": self.ip, "port_map": {str(k): v for k, v in sorted(self.port_map.items())},
            "state": self.state, "created_at": self.created_at,
        }  # fmt: skip


@dataclass
class FakeAgent:
    """One host's agent, its resources and VMs (state in memory).

    Attributes:
        host_id: The id it reports (the controller registers the host under it).
        addr: Where the controller reaches it (`host:port`).
        engines: The engines it has.
        storage: `file` or `zvol`.
        images: The base images in its image directory.
        reachable: False makes every controller call to it fail as a refused connection.
        step_seconds: How long one engine action (launch, stop, start, destroy) takes.
    """

    host_id: str
    addr: str
    engines: tuple[str, ...] = ("qemu", "firecracker", "docker")
    storage: str = "file"
    images: tuple[str, ...] = ("alpine-cloud", "debian-12", "ubuntu-24.04")
    cpu_total: int = 32
    mem_total: int = 65536
    disk_total: int = 2_048_000
    reachable: bool = True
    step_seconds: float = 0.05
    vms: dict[str, FakeVM] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=lambda: {"cpu": 0, "mem": 0, "disk": 0})
    _next_ip: int = 0

    def resource(self) -> dict[str, int]:
        """TTstack's `Resource` of this host."""
        return {
            "cpu_total": self.cpu_total, "cpu_used": self.used["cpu"],
            "mem_total": self.mem_total, "mem_used": self.used["mem"],
            "disk_total": self.disk_total, "disk_used": self.used["disk"],
            "vm_count": len(self.vms),
        }  # fmt: skip

    def info(self) -> dict[str, Any]:
        """TTstack's `AgentInfo`."""
        return {
            "host_id": self.host_id, "resource": self.resource(), "engines": list(self.engines),
            "storage": self.storage, "images": list(self.images),
        }  # fmt: skip

    def can_fit(self, cpu: int, mem: int, disk: int) -> bool:
        """Whether the free resources cover the request."""
        r = self.resource()
        return (
            r["cpu_total"] - r["cpu_used"] >= cpu
            and r["mem_total"] - r["mem_used"] >= mem
            and r["disk_total"] - r["disk_used"] >= disk
        )

    async def create_vm(self, req: Mapping[str, Any]) -> FakeVM:
        """Create and boot a VM (`creating` during the launch step, then `running`).

        Raises:
            AgentError: Refused (names, sizes, resources) or the engine failed; nothing kept.
        """
        for key, label in (("vm_id", "vm_id"), ("image", "image")):
            problem = validate_name(req[key], label)
            if problem:
                raise AgentError(problem)
        for key in ("cpu", "mem", "disk"):
            if req[key] == 0:
                raise AgentError(f"{key} must be > 0")
        if not self.can_fit(req["cpu"], req["mem"], req["disk"]):
            raise AgentError(f"insufficient resources on host {self.host_id}")
        if len(self.vms) >= MAX_VMS:
            raise AgentError("VM limit reached")
        if req["engine"] != "docker" and req["image"] not in self.images:
            raise AgentError(f"image clone: no base image {req['image']!r} on {self.host_id}")
        if req["engine"] not in self.engines:
            raise AgentError(f"engine create: {req['engine']} is not available on this host")
        ip_index, self._next_ip = self._next_ip, self._next_ip + 1
        ports = list(req["ports"])
        if 22 not in ports:
            ports.insert(0, 22)
        base = 20000 + ip_index * 100
        vm = FakeVM(
            id=req["vm_id"], env_id=req["env_id"], host_id=self.host_id, image=req["image"],
            engine=req["engine"], cpu=req["cpu"], mem=req["mem"], disk=req["disk"],
            ip=_vm_ip(ip_index), state="creating", created_at=int(time.time()),
            ssh_keys=list(req.get("ssh_keys") or []), deny_outgoing=req["deny_outgoing"],
            port_map={p: base + i for i, p in enumerate(ports) if base + i <= 65535},
        )  # fmt: skip
        self.vms[vm.id] = vm
        await asyncio.sleep(self.step_seconds)
        for key in ("cpu", "mem", "disk"):
            self.used[key] += req[key]
        vm.state = "running"
        return vm

    async def stop_vm(self, vm_id: str) -> None:
        """Pause (`qemu`, `firecracker`) or stop it; a paused or stopped VM stays as is.

        Raises:
            AgentError: Unknown VM, or not running.
        """
        vm = self._vm(vm_id)
        if vm.state in {"paused", "stopped"}:
            return
        if vm.state != "running":
            raise AgentError(f"cannot stop VM in state {vm.state}")
        await asyncio.sleep(self.step_seconds)
        if vm.engine in PAUSING:
            vm.state = "paused"
        else:
            vm.state = "stopped"
            self.used["cpu"] -= vm.cpu
            self.used["mem"] -= vm.mem

    async def start_vm(self, vm_id: str) -> None:
        """Resume or start it; a running VM stays as is.

        Raises:
            AgentError: Unknown VM, a state it cannot start from, no room, or `bhyve`.
        """
        vm = self._vm(vm_id)
        if vm.state == "running":
            return
        if vm.state not in {"paused", "stopped"}:
            raise AgentError(f"cannot start VM in state {vm.state}")
        if vm.state == "stopped" and not self.can_fit(vm.cpu, vm.mem, 0):
            raise AgentError("insufficient resources to restart VM")
        if vm.engine == "bhyve":
            raise AgentError("start VM: bhyve does not support in-place restart; re-create the VM")
        await asyncio.sleep(self.step_seconds)
        if vm.state == "stopped":
            self.used["cpu"] += vm.cpu
            self.used["mem"] += vm.mem
        vm.state = "running"

    async def destroy_vm(self, vm_id: str) -> None:
        """Destroy it and free its resources; an unknown id is fine."""
        if vm_id not in self.vms:
            return
        await asyncio.sleep(self.step_seconds)
        self.remove_vm(vm_id)

    def remove_vm(self, vm_id: str) -> None:
        """Forget a VM at once, freeing what it held (the expiry sweep's destroy)."""
        vm = self.vms.pop(vm_id, None)
        if vm is None:
            return
        if vm.state in {"running", "paused", "creating"}:
            self.used["cpu"] -= vm.cpu
            self.used["mem"] -= vm.mem
        self.used["disk"] -= vm.disk

    def _vm(self, vm_id: str) -> FakeVM:
        vm = self.vms.get(vm_id)
        if vm is None:
            raise AgentError(f"VM not found: {vm_id}")
        return vm


_CREATE_VM: Fields = {
    "vm_id": ("str", True), "env_id": ("str", True), "image": ("str", True),
    "engine": ("engine", True), "cpu": ("uint", True), "mem": ("uint", True),
    "disk": ("uint", True), "ports": ("ports", True), "deny_outgoing": ("bool", True),
    "ssh_keys": ("strs", False),
}  # fmt: skip


def create_agent_app(agent: FakeAgent, *, api_key: str | None = None) -> Starlette:
    """The agent's HTTP API (`/api/info`, `/api/images`, `/api/vms...`) over `agent`.

    Args:
        agent: The agent's state (shared with a controller, if any).
        api_key: The `--api-key`; None leaves the API open, as TTstack does.
    """

    def guarded(handler: Handler) -> Handler:
        async def run(request: Request) -> Response:
            if not authorized(request, api_key):
                return fail("invalid or missing API key", 401)
            try:
                return await handler(request)
            except BodyError as exc:
                return PlainTextResponse(exc.text, status_code=exc.status)
            except AgentError as exc:
                return fail(str(exc), 500)

        return run

    async def info(_: Request) -> Response:
        return ok(agent.info())

    async def images(_: Request) -> Response:
        return ok(list(agent.images))

    async def vms(request: Request) -> Response:
        if request.method == "GET":
            return ok([vm.to_json() for vm in agent.vms.values()])
        req = await read_body(request, _CREATE_VM)
        vm = await agent.create_vm({**req, "ssh_keys": req["ssh_keys"] or []})
        return ok({"vm": vm.to_json()}, 201)

    async def one(request: Request) -> Response:
        vm_id = request.path_params["id"]
        if request.method == "DELETE":
            await agent.destroy_vm(vm_id)
            return ok()
        vm = agent.vms.get(vm_id)
        return ok(vm.to_json()) if vm else fail(f"VM not found: {vm_id}", 404)

    async def stop(request: Request) -> Response:
        await agent.stop_vm(request.path_params["id"])
        return ok()

    async def start(request: Request) -> Response:
        await agent.start_vm(request.path_params["id"])
        return ok()

    return Starlette(
        routes=[
            Route("/api/info", guarded(info), methods=["GET"]),
            Route("/api/images", guarded(images), methods=["GET"]),
            Route("/api/vms", guarded(vms), methods=["GET", "POST"]),
            Route("/api/vms/{id}", guarded(one), methods=["GET", "DELETE"]),
            Route("/api/vms/{id}/stop", guarded(stop), methods=["POST"]),
            Route("/api/vms/{id}/start", guarded(start), methods=["POST"]),
        ]
    )
