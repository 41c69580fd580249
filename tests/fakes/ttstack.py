"""A fake TTstack controller (`tt-ctl`) with its host agents, honest to TTstack's API reference.

`create_app()` serves the controller's API: hosts, environments of VMs with a lifetime, single
VMs, images, fleet status, and the open dashboard at `/`. Where the reference page is silent
(response bodies, status codes, states), it behaves as TTstack's controller does
(`crates/ctl/src/handler.rs`): the `{"ok", "data", "error"}` envelope, plain-text refusals of
bodies that do not deserialize, 201 with `warnings` when some VMs fail, environment start/stop
and delete that answer ok whatever the agents said, and lifetimes capped at 6 h.

The controller drives `FakeAgent`s in-process (see `_ttstack_agent`) where the real one calls
them over HTTP; `create_agent_app` serves an agent on its own. Time is scaled for tests: each
engine action takes `step_seconds`, and an environment is destroyed `lifetime * lifetime_scale`
real seconds after its creation (its `expires_at` says `created_at + lifetime`, as TTstack's
does). Expired environments are swept before each request is answered.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ._support import ConformanceSetup, serve_app
from ._ttstack_agent import AgentError, FakeAgent, create_agent_app
from ._ttstack_http import BodyError, authorized, fail, ok, read_body, validate_name

__all__ = ["FakeAgent", "FakeController", "conformance_setup", "create_agent_app", "create_app"]

MAX_LIFETIME = 6 * 3600
MAX_HOSTS = 50
DEFAULTS = {"cpu": 2, "mem": 1024, "disk": 40960}
_VM_SPEC = {
    "image": ("str", True), "engine": ("engine", False), "cpu": ("uint", False),
    "mem": ("uint", False), "disk": ("uint", False), "ports": ("ports", False),
    "deny_outgoing": ("bool", False),
}  # fmt: skip
# As the reference page has it: owner optional, ssh_keys required.
_CREATE_ENV = {
    "id": ("str", True), "owner": ("str", False), "ssh_keys": ("strs", True),
    "vms": (_VM_SPEC, True), "lifetime": ("uint", False),
}  # fmt: skip


class FakeController:
    """The controller's state: registered hosts, environments, its records of their VMs.

    Args:
        agents: Every agent on the network; registered ones are hosts from the start.
        registered: Register every agent at once (else `POST /api/hosts` does it).
        lifetime_scale: Real seconds one second of `lifetime` lasts.

    Attributes:
        log: What the controller would print (agent failures it swallows).
    """

    def __init__(
        self, agents: Sequence[FakeAgent], *, registered: bool, lifetime_scale: float
    ) -> None:
        self.network = {agent.addr: agent for agent in agents}
        self.lifetime_scale = lifetime_scale
        self.hosts: dict[str, dict[str, Any]] = {}
        self.envs: dict[str, dict[str, Any]] = {}
        self.vms: dict[str, dict[str, Any]] = {}
        self.deadlines: dict[str, float] = {}
        self.log: list[str] = []
        for agent in agents if registered else ():
            self.hosts[agent.host_id] = self._host_record(agent)

    # -- helpers -----------------------------------------------------------------------------

    def _host_record(self, agent: FakeAgent) -> dict[str, Any]:
        info = agent.info()
        return {
            "id": info["host_id"], "addr": agent.addr, "resource": info["resource"],
            "state": "online", "engines": info["engines"], "storage": info["storage"],
            "registered_at": int(time.time()),
        }  # fmt: skip

    def agent(self, host_id: str) -> FakeAgent | None:
        """The reachable agent of a registered host, or None."""
        host = self.hosts.get(host_id)
        agent = self.network.get(host["addr"]) if host else None
        return agent if agent is not None and agent.reachable else None

    def refresh_hosts(self) -> None:
        """Re-read every host's resources from its agent; unreachable ones go offline."""
        for host in self.hosts.values():
            agent = self.network.get(host["addr"])
            if agent is None or not agent.reachable:
                host["state"] = "offline"
            else:
                host["resource"], host["state"] = agent.resource(), "online"

    def sweep(self) -> None:
        """Destroy every environment whose lifetime has passed, with its VMs."""
        now = time.monotonic()
        for env_id in [e for e, deadline in self.deadlines.items() if deadline <= now]:
            self.log.append(f"expiring environment: {env_id}")
            for vm in [v for v in self.vms.values() if v["env_id"] == env_id]:
                agent = self.agent(vm["host_id"])
                if agent is not None:
                    agent.remove_vm(vm["id"])
                del self.vms[vm["id"]]
            self.envs.pop(env_id, None)
            del self.deadlines[env_id]

    def _place(self, spec: dict[str, Any], shadow: dict[str, dict[str, int]]) -> str:
        online = [h for h in self.hosts.values() if h["state"] == "online"]
        with_engine = [h for h in online if spec["engine"] in h["engines"]]
        size = (spec["cpu"], spec["mem"], spec["disk"])

        def fits(host: dict[str, Any]) -> bool:
            r = shadow[host["id"]]
            return all(
                r[f"{k}_total"] - r[f"{k}_used"] >= n
                for k, n in zip(("cpu", "mem", "disk"), size, strict=True)
            )

        with_room = [h for h in with_engine if fits(h)]
        # Images are asked of the online agents that answer; if none answers, not checked.
        images = {h["id"]: agent.images for h in online if (agent := self.agent(h["id"]))}
        check = bool(images) and spec["engine"] != "docker"
        candidates = [h for h in with_room if not check or spec["image"] in images.get(h["id"], ())]
        if not online:
            raise ValueError("no online hosts available")
        if not with_engine:
            raise ValueError(f"no online host supports engine={spec['engine']}")
        if not with_room:
            raise ValueError(
                f"no host has enough resources for engine={spec['engine']}, cpu={size[0]}, "
                f"mem={size[1]}MB, disk={size[2]}MB"
            )
        if not candidates:
            raise ValueError(f"no host has image '{spec['image']}' for engine={spec['engine']}")
        free = {h["id"]: shadow[h["id"]]["mem_total"] - shadow[h["id"]]["mem_used"] for h in online}
        best = min(candidates, key=lambda h: free[h["id"]])  # best fit: least free memory
        for k, n in zip(("cpu", "mem", "disk"), size, strict=True):
            shadow[best["id"]][f"{k}_used"] += n
        return str(best["id"])

    # -- environments ------------------------------------------------------------------------

    async def create_env(self, req: dict[str, Any]) -> Response:
        """`POST /api/envs`, as the controller's `create_env` does it."""
        problem = validate_name(req["id"], "env name")
        specs = [
            {**s, "engine": s["engine"] or "qemu", "ports": s["ports"] or [],
             "deny_outgoing": bool(s["deny_outgoing"]),
             **{k: s[k] if s[k] is not None else d for k, d in DEFAULTS.items()}}
            for s in req["vms"]
        ]  # fmt: skip
        for spec, raw in zip(specs, req["vms"], strict=True):
            problem = problem or validate_name(spec["image"], "image")
            if not problem and 0 in (raw["cpu"], raw["mem"], raw["disk"]):
                problem = "cpu, mem, and disk must be > 0 if specified"
        if problem:
            return fail(problem, 400)
        env_id = req["id"]
        if env_id in self.envs:
            return fail(f"environment '{env_id}' already exists", 409)
        owner = req["owner"] or ""
        env = {"id": env_id, "owner": owner, "vm_ids": [], "created_at": int(time.time()),
               "expires_at": 0, "state": "active"}  # fmt: skip
        self.envs[env_id] = env  # the placeholder that reserves the name
        shadow = {h["id"]: dict(h["resource"]) for h in self.hosts.values()}
        try:
            placements = [(spec, self._place(spec, shadow)) for spec in specs]
        except ValueError as exc:
            del self.envs[env_id]
            return fail(str(exc), 422)
        lifetime = req["lifetime"] if req["lifetime"] else MAX_LIFETIME
        lifetime = min(lifetime, MAX_LIFETIME)
        created_at = int(time.time())
        made: list[dict[str, Any]] = []
        warnings: list[str] = []
        for spec, host_id in placements:
            addr = self.hosts[host_id]["addr"]
            agent = self.agent(host_id)
            if agent is None:
                warnings.append(f"failed to reach {addr}: connection refused")
                continue
            try:
                new = await agent.create_vm(
                    {**spec, "vm_id": uuid.uuid4().hex[:12], "env_id": env_id,
                     "ssh_keys": list(dict.fromkeys(req["ssh_keys"]))}
                )  # fmt: skip
            except AgentError:
                warnings.append(f"agent {addr} returned 500 Internal Server Error")
                continue
            made.append(new.to_json())
        if not made and specs:
            del self.envs[env_id]
            return fail("all VM creation attempts failed; check agent connectivity", 502)
        env.update(vm_ids=[v["id"] for v in made], created_at=created_at,
                   expires_at=created_at + lifetime)  # fmt: skip
        self.deadlines[env_id] = time.monotonic() + lifetime * self.lifetime_scale
        for vm in made:
            self.vms[vm["id"]] = vm
        self.refresh_hosts()
        detail: dict[str, Any] = {"env": env, "vms": made}
        if warnings:
            detail["warnings"] = warnings
        return ok(detail, 201)

    def detail(self, env_id: str) -> dict[str, Any]:
        """TTstack's `EnvDetail` of an environment that exists."""
        vms = [v for v in self.vms.values() if v["env_id"] == env_id]
        return {"env": self.envs[env_id], "vms": vms}

    async def each_vm(self, env_id: str, action: str) -> None:
        """Ask every VM's agent to stop, start or destroy it; failures are only logged."""
        for vm in [v for v in self.vms.values() if v["env_id"] == env_id]:
            agent = self.agent(vm["host_id"])
            if agent is None:
                self.log.append(f"failed to contact agent to {action} VM {vm['id']}")
                continue
            try:
                await getattr(agent, f"{action}_vm")(vm["id"])
            except AgentError as exc:
                self.log.append(f"agent returned 500 when {action}ing VM {vm['id']}: {exc}")
                continue
            fresh = agent.vms.get(vm["id"])
            if fresh is not None:  # refresh_vm: only after a success
                self.vms[vm["id"]] = fresh.to_json()


def create_app(
    *,
    api_key: str | None = "tt-test-key",
    step_seconds: float = 0.05,
    lifetime_scale: float = 0.001,
    agents: Sequence[FakeAgent] | None = None,
    registered: bool = True,
) -> Starlette:
    """The fake controller; its `FakeController` is `app.state.ttstack`.

    Args:
        api_key: The controller's `--api-key` (None: no auth, as TTstack allows).
        step_seconds: How long each engine action of the default agent takes.
        lifetime_scale: Real seconds one second of an environment's lifetime lasts.
        agents: The hosts' agents (default: one Linux host with qemu, firecracker, docker).
        registered: Whether the agents are registered hosts from the start.
    """
    if agents is None:
        agents = [FakeAgent("host-1", "10.0.0.2:9100", step_seconds=step_seconds)]
    ctl = FakeController(agents, registered=registered, lifetime_scale=lifetime_scale)

    def api(handler: Any) -> Any:
        async def run(request: Request) -> Response:
            if not authorized(request, api_key):
                return fail("invalid or missing API key", 401)
            ctl.sweep()
            try:
                response: Response = await handler(request, request.path_params.get("id"))
            except BodyError as exc:
                return PlainTextResponse(exc.text, status_code=exc.status)
            return response

        return run

    async def dashboard(_: Request) -> Response:
        return HTMLResponse("<!DOCTYPE html><html><body><h1>TTstack</h1></body></html>")

    async def hosts(request: Request, _: None) -> Response:
        if request.method == "GET":
            return ok(list(ctl.hosts.values()))
        req = await read_body(request, {"addr": ("str", True)})
        agent = ctl.network.get(req["addr"])
        if agent is None or not agent.reachable:
            return fail(f"cannot reach agent at {req['addr']}: connection refused", 502)
        if len(ctl.hosts) >= MAX_HOSTS:
            return fail(f"fleet limit reached ({MAX_HOSTS} hosts)", 409)
        host = ctl.hosts[agent.host_id] = ctl._host_record(agent)
        return ok(host, 201)

    async def host(request: Request, host_id: str) -> Response:
        if request.method == "GET":
            found = ctl.hosts.get(host_id)
            return ok(found) if found else fail(f"host not found: {host_id}", 404)
        count = sum(1 for v in ctl.vms.values() if v["host_id"] == host_id)
        if count:
            return fail(f"host {host_id} still has {count} VMs; destroy them first", 409)
        ctl.hosts.pop(host_id, None)
        return ok()

    async def envs(request: Request, _: None) -> Response:
        if request.method == "GET":
            return ok(list(ctl.envs.values()))
        return await ctl.create_env(await read_body(request, _CREATE_ENV))

    async def env(request: Request, env_id: str) -> Response:
        if env_id not in ctl.envs:
            return fail(f"environment not found: {env_id}", 404)
        if request.method == "GET":
            return ok(ctl.detail(env_id))
        await ctl.each_vm(env_id, "destroy")
        for vm_id in [v["id"] for v in ctl.vms.values() if v["env_id"] == env_id]:
            del ctl.vms[vm_id]
        ctl.envs.pop(env_id, None)
        ctl.deadlines.pop(env_id, None)
        return ok()

    def env_power(action: str, env_state: str) -> Any:
        async def run(_: Request, env_id: str) -> Response:
            if env_id not in ctl.envs:
                return fail(f"environment not found: {env_id}", 404)
            await ctl.each_vm(env_id, action)
            if env_id in ctl.envs:
                ctl.envs[env_id]["state"] = env_state
            return ok()

        return run

    async def vm(_: Request, vm_id: str) -> Response:
        found = ctl.vms.get(vm_id)
        return ok(found) if found else fail(f"VM not found: {vm_id}", 404)

    async def images(_: Request, __: None) -> Response:
        return ok([
            {"name": name, "host_id": h["id"]}
            for h in ctl.hosts.values() if h["state"] == "online" and ctl.agent(h["id"])
            for name in ctl.network[h["addr"]].images
        ])  # fmt: skip

    async def status(_: Request, __: None) -> Response:
        ctl.refresh_hosts()
        hs = list(ctl.hosts.values())
        total = {f"{k}_{w}": sum(h["resource"][f"{k}_{w}"] for h in hs)
                 for k in ("cpu", "mem", "disk") for w in ("total", "used")}  # fmt: skip
        return ok({"hosts": len(hs), "hosts_online": sum(h["state"] == "online" for h in hs),
                   "total_vms": len(ctl.vms), "total_envs": len(ctl.envs), **total})  # fmt: skip

    app = Starlette(
        routes=[
            Route("/", dashboard, methods=["GET"]),
            Route("/api/hosts", api(hosts), methods=["GET", "POST"]),
            Route("/api/hosts/{id}", api(host), methods=["GET", "DELETE"]),
            Route("/api/envs", api(envs), methods=["GET", "POST"]),
            Route("/api/envs/{id}", api(env), methods=["GET", "DELETE"]),
            Route("/api/envs/{id}/stop", api(env_power("stop", "stopped")), methods=["POST"]),
            Route("/api/envs/{id}/start", api(env_power("start", "active")), methods=["POST"]),
            Route("/api/vms/{id}", api(vm), methods=["GET"]),
            Route("/api/images", api(images), methods=["GET"]),
            Route("/api/status", api(status), methods=["GET"]),
        ]
    )
    app.state.ttstack = ctl
    return app


@contextlib.contextmanager
def conformance_setup(workdir: Path) -> Iterator[ConformanceSetup]:
    """Serve a fake TTstack and yield how the conformance suite drives vmkit on it.

    The backend uses the `docker` engine, whose VMs really stop and start again (`qemu`
    ones only pause), so the suite sees the fullest lifecycle TTstack offers.
    """
    key = "tt-conformance-key"
    app = create_app(api_key=key, step_seconds=0.01, lifetime_scale=0.01)
    with serve_app(app) as url:

        def make_outside_vm(name: str) -> str:
            body = {"id": name, "owner": "someone", "ssh_keys": [],
                    "vms": [{"image": "alpine-cloud", "engine": "docker"}]}  # fmt: skip
            headers = {"Authorization": f"Bearer {key}"}
            httpx.post(f"{url}/api/envs", json=body, headers=headers).raise_for_status()
            return name

        yield ConformanceSetup(
            backend_name="ttstack",
            backend_options={"url": url, "token": key, "poll_interval": "0.05", "engine": "docker"},
            create={"image": "alpine-cloud", "cpus": 1, "memory_mib": 512, "disk_gib": 10},
            make_outside_vm=make_outside_vm,
        )
