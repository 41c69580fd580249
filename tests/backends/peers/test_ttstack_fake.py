"""The TTstack fake against TTstack's API reference: auth, envelopes, statuses, time, engines."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fakes._support import serve_app
from fakes.ttstack import FakeAgent, FakeController, create_agent_app, create_app

from vmkit.peers.ttstack import AuthenticatedClient, Client
from vmkit.peers.ttstack.api.agent import get_agent_info
from vmkit.peers.ttstack.api.controller import create_env, get_env
from vmkit.peers.ttstack.models import (
    AgentInfoResponse,
    CreateEnvReq,
    Engine,
    EnvDetailResponse,
    VmSpec,
)

KEY = "tt-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
STEP = 0.01


def linux(host_id: str = "host-1", addr: str = "10.0.0.2:9100", **kw: Any) -> FakeAgent:
    """A Linux host's agent (qemu, firecracker, docker)."""
    return FakeAgent(host_id, addr, step_seconds=STEP, **kw)


def freebsd() -> FakeAgent:
    """A FreeBSD host's agent (bhyve, jail) on zvols."""
    return FakeAgent(
        "bsd-1", "10.0.0.3:9100", engines=("bhyve", "jail"), storage="zvol", step_seconds=STEP
    )


@pytest.fixture
def fake() -> Iterator[tuple[httpx.Client, FakeController]]:
    """A served controller with one Linux and one FreeBSD host; a client carrying the key."""
    app = create_app(step_seconds=STEP, lifetime_scale=0.001, agents=[linux(), freebsd()])
    with serve_app(app) as url, httpx.Client(base_url=url, headers=AUTH) as http:
        yield http, app.state.ttstack


def env_body(name: str = "my-env", **vm: Any) -> dict[str, Any]:
    """A one-VM environment body as the reference page's example has it."""
    spec = {"image": "alpine-cloud", "engine": "qemu", **vm}
    return {"id": name, "owner": "alice", "ssh_keys": ["ssh-ed25519 AAAA alice@laptop"],
            "vms": [spec]}  # fmt: skip


def vm_of(http: httpx.Client, env: str) -> dict[str, Any]:
    """The one VM of an environment, as the controller shows it."""
    vms: list[dict[str, Any]] = http.get(f"/api/envs/{env}").json()["data"]["vms"]
    assert 1 == len(vms)
    return vms[0]


def test_auth_is_bearer_on_api_only(fake: tuple[httpx.Client, FakeController]) -> None:
    """/api/* refuses a missing or wrong key with the envelope; the dashboard stays open."""
    http, _ = fake
    url = str(http.base_url).rstrip("/")
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": KEY}):
        answer = httpx.get(f"{url}/api/envs", headers=headers)
        assert (401, {"ok": False, "error": "invalid or missing API key"}) == (
            answer.status_code,
            answer.json(),
        )
    dashboard = httpx.get(f"{url}/")
    assert 200 == dashboard.status_code
    assert dashboard.headers["content-type"].startswith("text/html")


def test_no_api_key_means_no_auth() -> None:
    """A controller started without --api-key checks nothing."""
    with serve_app(create_app(api_key=None, step_seconds=STEP)) as url:
        assert {"ok": True, "data": []} == httpx.get(f"{url}/api/envs").json()


def test_create_env_boots_vms_with_defaults(fake: tuple[httpx.Client, FakeController]) -> None:
    """201 with the env and its running VM: sizes defaulted, port 22 added, 6 h lifetime."""
    http, _ = fake
    answer = http.post("/api/envs", json=env_body(ports=[80]))
    assert 201 == answer.status_code
    data = answer.json()["data"]
    env, (vm,) = data["env"], data["vms"]
    assert "warnings" not in data
    assert ("my-env", "alice", "active", [vm["id"]]) == (
        env["id"], env["owner"], env["state"], env["vm_ids"]
    )  # fmt: skip
    assert 21600 == env["expires_at"] - env["created_at"]
    assert ("running", 2, 1024, 40960, "qemu") == (
        vm["state"], vm["cpu"], vm["mem"], vm["disk"], vm["engine"]
    )  # fmt: skip
    assert ["22", "80"] == sorted(vm["port_map"])
    assert vm == http.get(f"/api/vms/{vm['id']}").json()["data"]


def test_lifetime_is_capped_and_zero_means_default(
    fake: tuple[httpx.Client, FakeController],
) -> None:
    """A lifetime over 6 h is cut to 6 h; 0 gives the default; a short one is kept."""
    http, _ = fake
    spans = []
    for name, lifetime in (("long", 100_000), ("zero", 0), ("short", 60)):
        env = http.post("/api/envs", json={**env_body(name), "lifetime": lifetime}).json()
        spans.append(env["data"]["env"]["expires_at"] - env["data"]["env"]["created_at"])
    assert [21600, 21600, 60] == spans


def test_environments_expire_after_their_lifetime() -> None:
    """Past its (scaled) lifetime an environment and its VMs are gone, from the agent too."""
    agent = linux()
    app = create_app(step_seconds=STEP, lifetime_scale=0.002, agents=[agent])
    with serve_app(app) as url, httpx.Client(base_url=url, headers=AUTH) as http:
        http.post("/api/envs", json={**env_body("brief"), "lifetime": 50}).raise_for_status()
        vm_id = vm_of(http, "brief")["id"]
        assert vm_id in agent.vms
        deadline = time.monotonic() + 5
        while http.get("/api/envs/brief").status_code == 200:
            assert time.monotonic() < deadline, "the environment never expired"
        assert 404 == http.get(f"/api/vms/{vm_id}").status_code
        assert vm_id not in agent.vms
        assert ["expiring environment: brief"] == app.state.ttstack.log


def test_placeholder_is_visible_while_vms_are_created() -> None:
    """While agents work the env exists with no VMs and expires_at 0; a second create is 409."""
    app = create_app(step_seconds=0.3, agents=[FakeAgent("h", "10.0.0.9:9100", step_seconds=0.3)])
    with serve_app(app) as url, httpx.Client(base_url=url, headers=AUTH) as http:
        worker = threading.Thread(target=lambda: http.post("/api/envs", json=env_body("slow")))
        worker.start()
        deadline = time.monotonic() + 5
        while (seen := http.get("/api/envs/slow")).status_code == 404:
            assert time.monotonic() < deadline
        assert ([], 0, []) == (
            seen.json()["data"]["env"]["vm_ids"],
            seen.json()["data"]["env"]["expires_at"],
            seen.json()["data"]["vms"],
        )
        again = http.post("/api/envs", json=env_body("slow"))
        assert (409, "environment 'slow' already exists") == (
            again.status_code,
            again.json()["error"],
        )
        worker.join()
        assert "running" == vm_of(http, "slow")["state"]


def test_refusals_and_their_shapes(fake: tuple[httpx.Client, FakeController]) -> None:
    """TTstack's checks answer the JSON envelope; bodies axum rejects answer plain text."""
    http, _ = fake
    cases: list[tuple[Any, int, str]] = [
        (env_body("a/b"), 400, "env name contains invalid characters"),
        (env_body("x", cpu=0), 400, "cpu, mem, and disk must be > 0 if specified"),
        (env_body("x", image="nope"), 422, "no host has image 'nope' for engine=qemu"),
        (env_body("x", mem=10**9), 422, "no host has enough resources for engine=qemu"),
    ]
    for body, status, message in cases:
        answer = http.post("/api/envs", json=body)
        assert (status, False) == (answer.status_code, answer.json()["ok"])
        assert answer.json()["error"].startswith(message)
    texts = [
        (http.post("/api/envs", content=b"{", headers={"content-type": "application/json"}), 400),
        (http.post("/api/envs", content=b"{}"), 415),
        (http.post("/api/envs", json={"id": "x", "vms": []}), 422),
        (http.post("/api/envs", json=env_body("x", engine="vmware")), 422),
    ]
    for answer, status in texts:
        assert (status, "text/plain") == (
            answer.status_code,
            answer.headers["content-type"].split(";")[0],
        )
    assert "missing field `ssh_keys`" in texts[2][0].text
    for path in ("/api/envs/none", "/api/vms/none", "/api/hosts/none"):
        assert (404, False) == (http.get(path).status_code, http.get(path).json()["ok"])
    assert 404 == http.post("/api/envs/none/stop").status_code


def test_owner_is_optional_as_the_page_says(fake: tuple[httpx.Client, FakeController]) -> None:
    """The page marks owner optional: an env without one gets an empty owner."""
    http, _ = fake
    body = env_body("ownerless")
    del body["owner"]
    assert "" == http.post("/api/envs", json=body).json()["data"]["env"]["owner"]


def test_stop_depends_on_the_engine(fake: tuple[httpx.Client, FakeController]) -> None:
    """qemu/firecracker pause; docker/jail stop and start again; bhyve cannot start again."""
    http, ctl = fake
    for engine, stopped, started in [
        ("qemu", "paused", "running"),
        ("firecracker", "paused", "running"),
        ("docker", "stopped", "running"),
        ("jail", "stopped", "running"),
        ("bhyve", "stopped", "stopped"),
    ]:
        http.post("/api/envs", json=env_body(engine, engine=engine)).raise_for_status()
        assert {"ok": True} == http.post(f"/api/envs/{engine}/stop").json()
        assert (stopped, "stopped") == (
            vm_of(http, engine)["state"],
            http.get(f"/api/envs/{engine}").json()["data"]["env"]["state"],
        )
        # ok whatever the agent said: the bhyve refusal is only in the controller's log
        assert {"ok": True} == http.post(f"/api/envs/{engine}/start").json()
        assert started == vm_of(http, engine)["state"]
    assert any("bhyve does not support in-place restart" in line for line in ctl.log)


def test_unreachable_agents_are_swallowed() -> None:
    """Env stop and delete answer ok when the agent is down; a create then fails with 502."""
    agent = linux()
    app = create_app(step_seconds=STEP, agents=[agent])
    with serve_app(app) as url, httpx.Client(base_url=url, headers=AUTH) as http:
        http.post("/api/envs", json=env_body("lost")).raise_for_status()
        agent.reachable = False
        assert {"ok": True} == http.post("/api/envs/lost/stop").json()
        assert "running" == vm_of(http, "lost")["state"]
        assert {"ok": True} == http.delete("/api/envs/lost").json()
        assert 404 == http.get("/api/envs/lost").status_code
        assert ["lost"] == [vm.env_id for vm in agent.vms.values()]  # orphaned on its host
        # the host is still online as last seen: no agent answered, so images are not checked
        answer = http.post("/api/envs", json=env_body("never"))
        assert (502, "all VM creation attempts failed; check agent connectivity") == (
            answer.status_code,
            answer.json()["error"],
        )
        assert 404 == http.get("/api/envs/never").status_code


def test_hosts_register_and_remove() -> None:
    """A host registers by its agent's address; unknown ones are 502; busy ones cannot go."""
    agent = linux("host-2", "10.0.0.5:9100")
    app = create_app(step_seconds=STEP, agents=[agent], registered=False)
    with serve_app(app) as url, httpx.Client(base_url=url, headers=AUTH) as http:
        assert {"ok": True, "data": []} == http.get("/api/hosts").json()
        missing = http.post("/api/hosts", json={"addr": "10.9.9.9:9100"})
        assert (502, False) == (missing.status_code, missing.json()["ok"])
        made = http.post("/api/hosts", json={"addr": "10.0.0.5:9100"})
        assert 201 == made.status_code
        host = made.json()["data"]
        assert ("host-2", "online", "file", ["qemu", "firecracker", "docker"]) == (
            host["id"], host["state"], host["storage"], host["engines"]
        )  # fmt: skip
        http.post("/api/envs", json=env_body("busy")).raise_for_status()
        busy = http.delete("/api/hosts/host-2")
        assert (409, "host host-2 still has 1 VMs; destroy them first") == (
            busy.status_code,
            busy.json()["error"],
        )
        http.delete("/api/envs/busy").raise_for_status()
        assert {"ok": True} == http.delete("/api/hosts/host-2").json()


def test_images_and_status(fake: tuple[httpx.Client, FakeController]) -> None:
    """Images are listed per host; the status sums the fleet."""
    http, _ = fake
    images = http.get("/api/images").json()["data"]
    assert {"name": "alpine-cloud", "host_id": "host-1"} in images
    assert {"name": "alpine-cloud", "host_id": "bsd-1"} in images
    http.post("/api/envs", json=env_body("counted")).raise_for_status()
    status = http.get("/api/status").json()["data"]
    assert (2, 2, 1, 1, 64, 2) == (
        status["hosts"], status["hosts_online"], status["total_envs"], status["total_vms"],
        status["cpu_total"], status["cpu_used"],
    )  # fmt: skip


def test_agent_api_on_its_own() -> None:
    """The agent: info, create, details, 500 for an unknown VM's stop, 200 deleting one."""
    agent = freebsd()
    with serve_app(create_agent_app(agent, api_key=KEY)) as url:
        with httpx.Client(base_url=url, headers=AUTH) as http:
            assert 401 == httpx.get(f"{url}/api/info").status_code
            info = http.get("/api/info").json()["data"]
            assert ("bsd-1", "zvol", ["bhyve", "jail"]) == (
                info["host_id"], info["storage"], info["engines"]
            )  # fmt: skip
            body = {
                "vm_id": "abc", "env_id": "e", "image": "alpine-cloud", "engine": "jail",
                "cpu": 1, "mem": 512, "disk": 1024, "ports": [], "deny_outgoing": True,
            }  # fmt: skip
            made = http.post("/api/vms", json=body)
            assert (201, "running") == (made.status_code, made.json()["data"]["vm"]["state"])
            assert ["abc"] == [vm["id"] for vm in http.get("/api/vms").json()["data"]]
            unknown = http.post("/api/vms/nope/stop")
            assert (500, "VM not found: nope") == (unknown.status_code, unknown.json()["error"])
            assert {"ok": True} == http.delete("/api/vms/nope").json()
            refused = http.post("/api/vms", json={**body, "vm_id": "x", "cpu": 0})
            assert (500, "cpu must be > 0") == (refused.status_code, refused.json()["error"])
        with AuthenticatedClient(base_url=f"{url}/api", token=KEY) as client:
            answer = get_agent_info.sync(client=client)
        assert isinstance(answer, AgentInfoResponse) and answer.data
        assert "bsd-1" == answer.data.host_id


def test_the_generated_client_stands_alone(fake: tuple[httpx.Client, FakeController]) -> None:
    """`vmkit.peers.ttstack` drives the controller by itself; a keyless client gets 401."""
    http, _ = fake
    url = str(http.base_url).rstrip("/")
    body = CreateEnvReq(
        id="typed", ssh_keys=[], vms=[VmSpec(image="debian-12", engine=Engine.DOCKER, cpu=1)]
    )
    with AuthenticatedClient(base_url=url, token=KEY) as client:
        made = create_env.sync(client=client, body=body)
        assert isinstance(made, EnvDetailResponse) and made.data
        assert [Engine.DOCKER] == [vm.engine for vm in made.data.vms]
        read = get_env.sync("typed", client=client)
        assert isinstance(read, EnvDetailResponse) and read.data
        assert 20000 <= read.data.vms[0].port_map["22"]
    with Client(base_url=url) as anonymous:
        refused = get_env.sync_detailed("typed", client=anonymous)
        assert 401 == refused.status_code
