"""The TTstack adapter against the TTstack fake on a real socket: each mapping and each error."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fakes._support import serve_app
from fakes.ttstack import FakeAgent, FakeController, create_app

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import (
    Adopting,
    BackendOperationFailedError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    CapabilityNotSupportedError,
    NullContext,
    PowerState,
    VMSpec,
)
from vmkit_server.backends.guest import GuestAccess, ImageCatalog
from vmkit_server.backends.peers.ttstack import TTstackBackend, from_options

KEY = "tt-test-key"
STEP = 0.01
Make = Callable[..., Awaitable[TTstackBackend]]


@pytest.fixture
def fake() -> Iterator[tuple[str, FakeController]]:
    """A served controller with a Linux host (qemu, firecracker, docker) and a FreeBSD one."""
    agents = [
        FakeAgent("host-1", "10.0.0.2:9100", step_seconds=STEP),
        FakeAgent("bsd-1", "10.0.0.3:9100", engines=("bhyve", "jail"), step_seconds=STEP),
    ]
    app = create_app(api_key=KEY, step_seconds=STEP, lifetime_scale=0.002, agents=agents)
    with serve_app(app) as url:
        yield url, app.state.ttstack


@pytest.fixture
async def make(fake: tuple[str, FakeController], tmp_path: Path) -> AsyncIterator[Make]:
    """Builds opened adapters on the fake (engine and options given), closing them at the end."""
    made: list[TTstackBackend] = []

    async def build(engine: str = "docker", **options: str) -> TTstackBackend:
        opts = {"url": fake[0], "token": KEY, "engine": engine, **options}
        adapter = from_options(opts, state_dir=tmp_path / "ttstack")
        await adapter.open()
        made.append(adapter)
        return adapter

    yield build
    for adapter in made:
        await adapter.close()


def spec(vm_id: str = "vm_1", name: str = "ci-1", image: str | None = "alpine-cloud") -> VMSpec:
    """A 1-CPU, 512 MiB, 10 GiB VM."""
    return VMSpec(vm_id, name, 1, 512, 10, image, {})


def outside(url: str, name: str, *engines: str) -> None:
    """An environment made straight on TTstack, one VM per engine given."""
    body = {"id": name, "owner": "bob", "ssh_keys": [],
            "vms": [{"image": "alpine-cloud", "engine": e} for e in engines]}  # fmt: skip
    answer = httpx.post(f"{url}/api/envs", json=body, headers={"Authorization": f"Bearer {KEY}"})
    answer.raise_for_status()


def test_options_defaults_and_refusals(tmp_path: Path) -> None:
    """A url is needed; engine, lifetime, ports and flags are checked by name."""
    backend = load_backend("ttstack", data_dir=tmp_path, options={"url": "http://ctl:9200/"})
    assert isinstance(backend, TTstackBackend)
    assert ("http://ctl:9200", "qemu", 21600, "vmkit") == (
        backend.options.url, backend.engine, backend.settings.lifetime, backend.settings.owner
    )  # fmt: skip
    assert tmp_path / "ttstack" / "handles.json" == backend.handles.path
    keys = tmp_path / "keys"
    keys.write_text("# team\nssh-ed25519 AAAA a@x\n\nssh-rsa BBBB b@y\n")
    configured = from_options(
        {"url": "http://c", "ssh_keys_file": str(keys), "ports": "80, 443", "lifetime": "60"},
        state_dir=tmp_path,
    )
    assert (("ssh-ed25519 AAAA a@x", "ssh-rsa BBBB b@y"), (80, 443), 60) == (
        configured.settings.ssh_keys, configured.settings.ports, configured.settings.lifetime
    )  # fmt: skip
    for options, message in [
        ({}, "needs --backend-url"),
        ({"url": "http://c", "colour": "red"}, "unknown ttstack backend option"),
        ({"url": "http://c", "engine": "vmware"}, "engine must be one of"),
        ({"url": "http://c", "lifetime": "99999"}, "TTstack caps environments at 6 h"),
        ({"url": "http://c", "lifetime": "soon"}, "lifetime must be a whole number"),
        ({"url": "http://c", "ports": "80,70000"}, "ports must be ports 1..65535"),
        ({"url": "http://c", "deny_outgoing": "maybe"}, "deny_outgoing must be true or false"),
        ({"url": "http://c", "ssh_keys_file": str(tmp_path / "no")}, "cannot read"),
    ]:
        with pytest.raises(ValueError, match=message):
            from_options(options, state_dir=tmp_path)


def test_capabilities_follow_the_engine(tmp_path: Path) -> None:
    """qemu/firecracker pause; docker/jail start and stop; bhyve only stops; none has more."""
    expected = {
        "qemu": {"create", "delete", "pause", "resume"},
        "firecracker": {"create", "delete", "pause", "resume"},
        "docker": {"create", "delete", "start", "stop", "force_stop", "restart"},
        "jail": {"create", "delete", "start", "stop", "force_stop", "restart"},
        "bhyve": {"create", "delete", "stop", "force_stop"},
    }
    for engine, names in expected.items():
        backend = from_options({"url": "http://c", "engine": engine}, state_dir=tmp_path)
        assert names == {k for k, v in backend.capabilities.to_dict().items() if v}
        assert isinstance(backend, Adopting) and isinstance(backend, ImageCatalog)
        assert not isinstance(backend, GuestAccess)
        assert (engine != "docker") == backend.requires_known_image


@pytest.mark.anyio
async def test_docker_lifecycle(
    make: Make, fake: tuple[str, FakeController], tmp_path: Path
) -> None:
    """create leaves the VM stopped (`created`); start, restart, stop and delete map one to one."""
    keys = tmp_path / "keys.pub"
    keys.write_text("ssh-ed25519 AAAA ci@vmkit\n")
    backend = await make(
        "docker", ports="80", deny_outgoing="true", owner="ci", ssh_keys_file=str(keys)
    )
    ctx = NullContext()
    created = await backend.create(spec(), ctx)
    assert (PowerState.STOPPED, "created", ()) == (
        created.state, created.reason, created.ip_addresses
    )  # fmt: skip
    extra = created.extra
    assert ("ci-1", "stopped", "docker", "10.0.0.2", ["22", "80"], "ci") == (
        extra["ttstack_env"], extra["ttstack_state"], extra["engine"], extra["host_addr"],
        sorted(extra["port_map"]), extra["owner"],
    )  # fmt: skip
    assert extra["expires_at"].endswith("+00:00")
    agent_vm = fake[1].network["10.0.0.2:9100"].vms[extra["ttstack_vm"]]
    assert (1, 512, 10240, True, ["ssh-ed25519 AAAA ci@vmkit"]) == (
        agent_vm.cpu, agent_vm.mem, agent_vm.disk, agent_vm.deny_outgoing, agent_vm.ssh_keys
    )  # fmt: skip
    assert any("TTstack boots a VM when it creates it" in m for _, m in ctx.logs)

    started = await backend.start("vm_1", ctx)
    assert (PowerState.RUNNING, "booted", (agent_vm.ip,)) == (
        started.state, started.reason, started.ip_addresses
    )  # fmt: skip
    restarted = await backend.restart("vm_1", ctx)
    assert (PowerState.RUNNING, "booted") == (restarted.state, restarted.reason)
    stopped = await backend.stop("vm_1", ctx, timeout_seconds=5, force_after_timeout=False)
    assert (PowerState.STOPPED, "shutdown") == (stopped.state, stopped.reason)
    assert "shutdown" == (await backend.observe("vm_1")).reason  # kept while the state holds
    assert "shutdown" == (await backend.force_stop("vm_1", ctx)).reason  # stopped already
    await backend.start("vm_1", ctx)
    forced = await backend.force_stop("vm_1", ctx)
    assert (PowerState.STOPPED, "destroyed") == (forced.state, forced.reason)
    assert ["vm_1"] == await backend.list_vm_ids()
    await backend.delete("vm_1", ctx)
    assert [] == await backend.list_vm_ids()
    assert {} == fake[1].envs
    assert 1.0 == ctx.fractions[-1]


@pytest.mark.anyio
async def test_qemu_runs_from_creation_and_pauses(make: Make) -> None:
    """A qemu VM is running once made (it cannot be powered off); stop pauses, start resumes."""
    backend = await make("qemu")
    ctx = NullContext()
    created = await backend.create(spec(), ctx)
    assert (PowerState.RUNNING, "booted") == (created.state, created.reason)
    assert any(lv == "warning" and "cannot power a qemu VM off" in m for lv, m in ctx.logs)
    assert PowerState.RUNNING == (await backend.start("vm_1", ctx)).state  # create(start=True)
    paused = await backend.pause("vm_1", ctx)
    assert (PowerState.PAUSED, "user", "paused") == (
        paused.state, paused.reason, paused.extra["ttstack_state"]
    )  # fmt: skip
    resumed = await backend.resume("vm_1", ctx)
    assert (PowerState.RUNNING, "unpaused") == (resumed.state, resumed.reason)
    for call in (
        backend.stop("vm_1", ctx, timeout_seconds=1, force_after_timeout=True),
        backend.force_stop("vm_1", ctx),
        backend.restart("vm_1", ctx),
        backend.suspend("vm_1", ctx),
        backend.snapshot_create("vm_1", "s", ctx),
        backend.clone("vm_1", spec("vm_2", "copy"), ctx),
        backend.rename("vm_1", "other"),
        backend.update_resources("vm_1", cpus=2, memory_mib=None),
    ):
        with pytest.raises(CapabilityNotSupportedError) as refused:
            await call
        assert "ttstack" == refused.value.metadata["backend"]
    await backend.delete("vm_1", ctx)  # TTstack destroys it running
    assert [] == await backend.list_vm_ids()


@pytest.mark.anyio
async def test_bhyve_stops_for_good(make: Make) -> None:
    """A bhyve VM runs from creation; it stops (`destroyed`) and cannot be started again."""
    backend = await make("bhyve")
    ctx = NullContext()
    assert PowerState.RUNNING == (await backend.create(spec(), ctx)).state
    stopped = await backend.stop("vm_1", ctx, timeout_seconds=1, force_after_timeout=True)
    assert (PowerState.STOPPED, "destroyed") == (stopped.state, stopped.reason)
    with pytest.raises(CapabilityNotSupportedError):
        await backend.start("vm_1", ctx)


@pytest.mark.anyio
async def test_every_state_maps_and_no_other_is_guessed(
    make: Make, fake: tuple[str, FakeController]
) -> None:
    """failed is error; creating and anything undocumented are unknown, TTstack's word kept."""
    backend = await make("docker")
    await backend.create(spec(), NullContext())
    ctl = fake[1]
    (record,) = ctl.vms.values()
    seen = []
    for state in ("failed", "creating", "hibernating"):
        record["state"] = state
        obs = await backend.observe("vm_1")
        seen.append((obs.state, obs.reason, obs.extra["ttstack_state"], obs.ip_addresses))
    assert [
        (PowerState.ERROR, "failed", "failed", ()),
        (PowerState.UNKNOWN, "creating", "creating", ()),
        (PowerState.UNKNOWN, None, "hibernating", ()),
    ] == seen
    del ctl.vms[record["id"]]
    ctl.envs["ci-1"].update(vm_ids=[], expires_at=0)  # as while TTstack creates it
    placeholder = await backend.observe("vm_1")
    assert (PowerState.UNKNOWN, "creating") == (placeholder.state, placeholder.reason)


@pytest.mark.anyio
async def test_an_ok_that_did_nothing_fails_the_action(
    make: Make, fake: tuple[str, FakeController]
) -> None:
    """TTstack answers ok to a start its agent never got: the read-back catches it."""
    backend = await make("docker")
    ctx = NullContext()
    await backend.create(spec(), ctx)
    fake[1].network["10.0.0.2:9100"].reachable = False
    with pytest.raises(BackendOperationFailedError, match="answered ok to start") as failed:
        await backend.start("vm_1", ctx)
    assert "stopped" == failed.value.metadata["ttstack_state"]
    assert None is (await backend.observe("vm_1")).reason  # no reason is made up


@pytest.mark.anyio
async def test_refusals_carry_ttstacks_message(
    make: Make, fake: tuple[str, FakeController]
) -> None:
    """A taken name, an unknown image or no image fail with TTstack's words; nothing is mapped."""
    url = fake[0]
    outside(url, "taken", "docker")
    backend = await make("qemu")
    ctx = NullContext()
    cases = [
        (spec(name="taken"), "environment 'taken' already exists", 409),
        (spec(image="nope"), "no host has image 'nope' for engine=qemu", 422),
    ]
    for vm_spec, message, status in cases:
        with pytest.raises(BackendOperationFailedError, match=message) as refused:
            await backend.create(vm_spec, ctx)
        assert status == refused.value.metadata["ttstack_status"]
        assert None is backend.handles.get("vm_1")
    with pytest.raises(BackendOperationFailedError, match="needs an image"):
        await backend.create(spec(image=None), ctx)
    with pytest.raises(BackendVMNotFoundError):
        await backend.observe("vm_unknown")


@pytest.mark.anyio
async def test_a_vanished_environment_is_not_found(
    make: Make, fake: tuple[str, FakeController]
) -> None:
    """Destroyed outside vmkit: observe is 404-class; delete drops the mapping."""
    backend = await make("docker")
    ctx = NullContext()
    await backend.create(spec(), ctx)
    httpx.delete(f"{fake[0]}/api/envs/ci-1", headers={"Authorization": f"Bearer {KEY}"})
    with pytest.raises(BackendVMNotFoundError, match="destroyed outside vmkit"):
        await backend.observe("vm_1")
    assert [] == await backend.list_vm_ids()
    with pytest.raises(BackendVMNotFoundError):
        await backend.delete("vm_1", ctx)
    assert None is backend.handles.get("vm_1")


@pytest.mark.anyio
async def test_the_lifetime_ends_the_vm(make: Make) -> None:
    """After `lifetime` (scaled by the fake) TTstack destroyed the env: the VM is not found."""
    backend = await make("docker", lifetime="1000")
    created = await backend.create(spec(), NullContext())
    assert created.extra["expires_at"] is not None
    deadline = time.monotonic() + 30
    with pytest.raises(BackendVMNotFoundError, match="lifetime ended"):
        while time.monotonic() < deadline:
            await backend.observe("vm_1")


@pytest.mark.anyio
async def test_auth_and_reachability(make: Make, fake: tuple[str, FakeController]) -> None:
    """A wrong key is 503 naming the token option; a closed port is 503; a good one answers."""
    wrong = await make("docker", token="nope")
    with pytest.raises(BackendUnavailableError, match="backend-token-file") as refused:
        await wrong.host_info()
    assert 401 == refused.value.metadata["ttstack_status"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gone = await make("docker", url=f"http://127.0.0.1:{port}")
    with pytest.raises(BackendUnavailableError):
        await gone.list_vm_ids()
    info = await (await make("docker")).host_info()
    assert ("127.0.0.1", 64, 131072, "ttstack") == (
        info.hostname, info.cpus, info.memory_mib, info.hypervisor
    )  # fmt: skip


@pytest.mark.anyio
async def test_images_are_listed_once(make: Make) -> None:
    """Each image once, naming every host that has it."""
    images = await (await make("qemu")).list_images()
    assert ["alpine-cloud", "debian-12", "ubuntu-24.04"] == [i.name for i in images]
    assert "TTstack base image on bsd-1, host-1" == images[0].description


@pytest.mark.anyio
async def test_adoption(make: Make, fake: tuple[str, FakeController]) -> None:
    """Single-VM environments of the engine are found (names made valid) and adopted once."""
    url = fake[0]
    outside(url, "Web_Server.01", "docker")
    outside(url, "pair", "docker", "docker")  # two VMs: left alone
    outside(url, "other-engine", "qemu")  # not this backend's engine
    backend = await make("docker")
    await backend.create(spec(), NullContext())  # vmkit's own: never "discovered"
    found = await backend.discover()
    assert [("Web_Server.01", "web-server-01")] == [(d.handle, d.name) for d in found]
    (vm,) = found
    assert (2, 1024, 40, "alpine-cloud", PowerState.RUNNING) == (
        vm.cpus, vm.memory_mib, vm.disk_gib, vm.image, vm.observation.state
    )  # fmt: skip
    await backend.adopt(vm.handle, "vm_adopted")
    assert [] == await backend.discover()
    assert {"vm_1", "vm_adopted"} == set(await backend.list_vm_ids())
    stopped = await backend.stop(
        "vm_adopted", NullContext(), timeout_seconds=1, force_after_timeout=True
    )
    assert PowerState.STOPPED == stopped.state
    with pytest.raises(BackendOperationFailedError, match="already vmkit VM vm_adopted"):
        await backend.adopt(vm.handle, "vm_again")


@pytest.mark.anyio
async def test_the_mapping_outlives_the_adapter(make: Make, tmp_path: Path) -> None:
    """A new adapter on the same state directory finds the VM again."""
    first = await make("docker")
    await first.create(spec(), NullContext())
    second = await make("docker")
    assert "ci-1" == (await second.observe("vm_1")).extra["ttstack_env"]


def test_through_the_server_and_sdk(fake: tuple[str, FakeController], tmp_path: Path) -> None:
    """The vmkit server on TTstack: create, start, stop, delete; pause is a 501 naming it."""
    import vmkit
    from vmkit import errors
    from vmkit_server.testing import start_server

    options = {"url": fake[0], "token": KEY, "engine": "docker", "poll_interval": "0.05"}
    server = start_server(tmp_path / "server", backend_name="ttstack", backend_options=options)
    try:
        with vmkit.Client(server.url, server.token) as client:
            vm = client.vms.create("e2e", image="alpine-cloud", cpus=1, memory_mib=512, wait=True)
            assert ("stopped", "created") == (vm.state, vm.state_reason)
            assert "running" == client.vms.start("e2e", wait=True).state
            with pytest.raises(errors.CapabilityNotSupportedError, match="ttstack"):
                client.vms.pause("e2e")
            assert "stopped" == client.vms.stop("e2e", wait=True).state
            client.vms.delete("e2e", wait=True)
            assert [] == [v.name for v in client.vms.list()]
    finally:
        server.stop()
    assert {} == fake[1].envs
