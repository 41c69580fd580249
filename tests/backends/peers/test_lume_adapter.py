"""The Lume adapter against the Lume fake on a real socket: each mapping and each error."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fakes._support import serve_app
from fakes.lume import FakeLume, FakeVM, create_app

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
from vmkit_server.backends.guest import DiskResizer, ImageCatalog, ImageNotFoundError
from vmkit_server.backends.peers.lume import LumeBackend, from_options

STEP = 0.01


@pytest.fixture
def lume() -> Iterator[tuple[str, FakeLume]]:
    """A served fake: its URL (with `/lume`) and its state."""
    app = create_app(step_seconds=STEP)
    with serve_app(app) as base:
        yield f"{base}/lume", app.state.lume


@pytest.fixture
async def backend(lume: tuple[str, FakeLume], tmp_path: Path) -> AsyncIterator[LumeBackend]:
    """The adapter on the fake, polling fast, giving a run half a second to come up."""
    options = {"url": lume[0], "poll_interval": "0.01", "start_timeout": "0.5"}
    adapter = from_options(options, state_dir=tmp_path / "lume")
    await adapter.open()
    try:
        yield adapter
    finally:
        await adapter.close()


def spec(vm_id: str = "vm_1", name: str = "ci-1", image: str | None = "linux") -> VMSpec:
    """A 2-CPU, 4 GiB, 64 GiB VM."""
    return VMSpec(vm_id, name, 2, 4096, 64, image, {})


def outside(fake: FakeLume, name: str, os: str = "macOS", state: str = "stopped") -> FakeVM:
    """A VM put straight into the fake, as if made with Lume's own CLI."""
    vm = FakeVM(name=name, os=os, cpu=4, memory="8GB", disk_size="100GB", state=state)
    fake.vms[name] = vm
    return vm


def test_options_default_url_and_refusals(tmp_path: Path) -> None:
    """No url means Lume's default; unknown keys and bad values are refused by name."""
    backend = load_backend("lume", data_dir=tmp_path, options={})
    assert isinstance(backend, LumeBackend)
    assert "http://localhost:7777/lume" == backend.options.url
    assert tmp_path / "lume" / "handles.json" == backend.handles.path
    for options, message in [
        ({"colour": "red"}, "unknown lume backend option"),
        ({"start_timeout": "soon"}, "start_timeout must be a number"),
        ({"create_timeout": "0"}, "create_timeout must be a finite number above 0"),
        ({"no_display": "maybe"}, "no_display must be true or false"),
        ({"display": "big"}, "display must look like 1024x768"),
    ]:
        with pytest.raises(ValueError, match=message):
            from_options(options, state_dir=tmp_path)


@pytest.mark.anyio
async def test_capabilities_are_what_lume_can_do(backend: LumeBackend) -> None:
    """Lifecycle, updates and disk growth; no pause, snapshots, clone, rename or guest access."""
    declared = {k for k, v in backend.capabilities.to_dict().items() if v}
    assert {
        "create", "delete", "start", "stop", "force_stop", "restart",
        "update_resources", "resize_disk",
    } == declared  # fmt: skip
    assert isinstance(backend, Adopting) and isinstance(backend, DiskResizer)
    assert isinstance(backend, ImageCatalog)
    ctx = NullContext()
    calls = [
        backend.pause("vm_1", ctx),
        backend.resume("vm_1", ctx),
        backend.suspend("vm_1", ctx),
        backend.snapshot_create("vm_1", "s", ctx),
        backend.snapshot_restore("vm_1", "s", ctx),
        backend.snapshot_delete("vm_1", "s", ctx),
        backend.clone("vm_1", spec("vm_2", "copy"), ctx),
        backend.rename("vm_1", "other"),
    ]
    for call in calls:
        with pytest.raises(CapabilityNotSupportedError) as caught:
            await call
        assert "lume" == caught.value.backend


@pytest.mark.anyio
async def test_create_sends_size_strings_and_maps_the_name(
    backend: LumeBackend, lume: tuple[str, FakeLume]
) -> None:
    """MiB/GiB become `4GB`/`64GB` (`512MB` when not whole); the VM is stopped, `created`."""
    _, fake = lume
    ctx = NullContext()
    obs = await backend.create(spec(), ctx)
    await backend.create(VMSpec("vm_2", "mac", 4, 512, 80, "macos:/ipsw/15.ipsw", {}), ctx)
    assert (PowerState.STOPPED, "created") == (obs.state, obs.reason)
    made = fake.vms["ci-1"]
    assert ("linux", "4GB", "64GB", None) == (made.os, made.memory, made.disk_size, made.ipsw)
    mac = fake.vms["mac"]
    assert ("macOS", "512MB", "80GB", "/ipsw/15.ipsw") == (
        mac.os,
        mac.memory,
        mac.disk_size,
        mac.ipsw,
    )
    assert "ci-1" == backend.handles.get("vm_1")
    assert 1.0 == ctx.fractions[-1]
    assert any("asking Lume to create VM ci-1" in message for _, message in ctx.logs)


@pytest.mark.anyio
async def test_create_refusals(backend: LumeBackend, lume: tuple[str, FakeLume]) -> None:
    """An unknown image is 422; a name Lume has already is Lume's message, nothing mapped."""
    outside(lume[1], "ci-1")
    with pytest.raises(ImageNotFoundError):
        await backend.create(spec(image="windows"), NullContext())
    with pytest.raises(BackendOperationFailedError, match="already exists with name: ci-1"):
        await backend.create(spec(), NullContext())
    assert backend.handles.get("vm_1") is None


@pytest.mark.anyio
async def test_start_stop_restart_force_stop(backend: LumeBackend) -> None:
    """Each action is confirmed by reading the VM: reasons booted, shutdown, booted, destroyed."""
    ctx = NullContext()
    await backend.create(spec(), ctx)
    started = await backend.start("vm_1", ctx)
    assert (PowerState.RUNNING, "booted") == (started.state, started.reason)
    assert 1 == len(started.ip_addresses) and "vnc_port" in started.extra
    stopped = await backend.stop("vm_1", ctx, timeout_seconds=5, force_after_timeout=False)
    assert (PowerState.STOPPED, "shutdown", ()) == (
        stopped.state,
        stopped.reason,
        stopped.ip_addresses,  # Lume still shows the last address: not reported
    )
    await backend.start("vm_1", ctx)
    restarted = await backend.restart("vm_1", ctx)
    assert (PowerState.RUNNING, "booted") == (restarted.state, restarted.reason)
    forced = await backend.force_stop("vm_1", ctx)
    assert (PowerState.STOPPED, "destroyed") == (forced.state, forced.reason)
    again = await backend.force_stop("vm_1", ctx)  # already stopped: nothing to do
    assert PowerState.STOPPED == again.state
    with pytest.raises(BackendOperationFailedError, match="nothing to restart"):
        await backend.restart("vm_1", ctx)


@pytest.mark.anyio
async def test_a_start_that_fails_behind_pending_fails_the_operation(
    backend: LumeBackend, lume: tuple[str, FakeLume]
) -> None:
    """Lume answers pending and the VM stays stopped: the start fails saying so, reason failed."""
    _, fake = lume
    await backend.create(spec(), NullContext())
    fake.fail_next_run("ci-1", "disk image is locked")
    with pytest.raises(BackendOperationFailedError) as caught:
        await backend.start("vm_1", NullContext())
    assert "'pending'" in caught.value.detail and "server log" in caught.value.detail
    assert ("stopped", "pending") == (
        caught.value.metadata["lume_state"],
        caught.value.metadata["lume_answer"]["status"],
    )
    observed = await backend.observe("vm_1")
    assert (PowerState.STOPPED, "failed") == (observed.state, observed.reason)


@pytest.mark.anyio
async def test_a_third_macos_guest_is_refused_with_the_reason(
    backend: LumeBackend, lume: tuple[str, FakeLume]
) -> None:
    """Two macOS guests run: starting a third fails at once, naming them, without asking Lume."""
    _, fake = lume
    outside(fake, "mac-a", state="running")
    outside(fake, "mac-b", state="running")
    await backend.create(spec(image="macos"), NullContext())
    with pytest.raises(BackendOperationFailedError, match="at most 2 macOS guests") as caught:
        await backend.start("vm_1", NullContext())
    assert ["mac-a", "mac-b"] == caught.value.metadata["running_macos"]
    assert not any("start initiated" in line for line in fake.log)
    assert "failed" == (await backend.observe("vm_1")).reason


@pytest.mark.anyio
async def test_updates_and_disk_growth(backend: LumeBackend, lume: tuple[str, FakeLume]) -> None:
    """CPUs/memory and a bigger disk reach Lume as strings; growth needs a stopped VM."""
    _, fake = lume
    ctx = NullContext()
    await backend.create(spec(), ctx)
    await backend.update_resources("vm_1", cpus=4, memory_mib=6144)
    assert (4, "6GB") == (fake.vms["ci-1"].cpu, fake.vms["ci-1"].memory)
    grown = await backend.resize_disk("vm_1", 100, ctx)
    assert ("100GB", "100GB") == (fake.vms["ci-1"].disk_size, grown.extra["disk_size"])
    with pytest.raises(BackendOperationFailedError, match="Cannot resize disk"):
        await backend.resize_disk("vm_1", 10, ctx)  # Lume's own 400, with its message
    await backend.start("vm_1", ctx)
    with pytest.raises(BackendOperationFailedError, match="only while its VM is stopped"):
        await backend.resize_disk("vm_1", 200, ctx)


@pytest.mark.anyio
async def test_lumes_400_for_an_unknown_vm_is_vm_not_found(
    backend: LumeBackend, lume: tuple[str, FakeLume]
) -> None:
    """A VM deleted behind vmkit's back: every call is BackendVMNotFoundError, not a 500."""
    _, fake = lume
    ctx = NullContext()
    await backend.create(spec(), ctx)
    del fake.vms["ci-1"]
    for call in [
        backend.observe("vm_1"),
        backend.start("vm_1", ctx),
        backend.stop("vm_1", ctx, timeout_seconds=1, force_after_timeout=True),
        backend.update_resources("vm_1", cpus=1, memory_mib=None),
    ]:
        with pytest.raises(BackendVMNotFoundError, match="Lume has no VM 'ci-1'"):
            await call
    with pytest.raises(BackendVMNotFoundError):
        await backend.delete("vm_1", ctx)
    assert backend.handles.get("vm_1") is None
    with pytest.raises(BackendVMNotFoundError):
        await backend.observe("vm_never")


@pytest.mark.anyio
async def test_observe_maps_documented_states_only(
    backend: LumeBackend, lume: tuple[str, FakeLume]
) -> None:
    """An undocumented state is unknown (Lume's word in extra); a guest shutdown has no reason."""
    _, fake = lume
    ctx = NullContext()
    await backend.create(spec(), ctx)
    await backend.start("vm_1", ctx)
    fake.power_off_from_guest("ci-1")
    observed = await backend.observe("vm_1")
    assert (PowerState.STOPPED, None) == (observed.state, observed.reason)
    fake.vms["ci-1"].state = "provisioning"
    observed = await backend.observe("vm_1")
    assert (PowerState.UNKNOWN, "provisioning") == (observed.state, observed.extra["lume_state"])


@pytest.mark.anyio
async def test_delete_forgets_the_vm(backend: LumeBackend, lume: tuple[str, FakeLume]) -> None:
    """Delete removes it from Lume and from the map; list_vm_ids follows Lume's list."""
    _, fake = lume
    ctx = NullContext()
    await backend.create(spec(), ctx)
    await backend.create(spec("vm_2", "ci-2"), ctx)
    await backend.delete("vm_1", ctx)
    assert ["ci-2"] == list(fake.vms)
    assert ["vm_2"] == await backend.list_vm_ids()
    del fake.vms["ci-2"]
    assert [] == await backend.list_vm_ids()


@pytest.mark.anyio
async def test_discover_and_adopt(backend: LumeBackend, lume: tuple[str, FakeLume]) -> None:
    """Lume's own VMs are found with a sanitised name and parsed sizes, then mapped on adopt."""
    _, fake = lume
    await backend.create(spec(), NullContext())
    outside(fake, "Lume_VM 2", state="running").ip_address = "192.168.64.9"
    [found] = await backend.discover()
    assert ("Lume_VM 2", "lume-vm-2", 4, 8192, 100, "macos") == (
        found.handle,
        found.name,
        found.cpus,
        found.memory_mib,
        found.disk_gib,
        found.image,
    )
    assert PowerState.RUNNING == found.observation.state
    await backend.adopt("Lume_VM 2", "vm_9")
    assert [] == await backend.discover()
    assert {"vm_1", "vm_9"} == set(await backend.list_vm_ids())
    with pytest.raises(BackendOperationFailedError, match="already vmkit VM vm_9"):
        await backend.adopt("Lume_VM 2", "vm_10")
    stopped = await backend.force_stop("vm_9", NullContext())
    assert PowerState.STOPPED == stopped.state


@pytest.mark.anyio
async def test_the_map_outlives_the_adapter(lume: tuple[str, FakeLume], tmp_path: Path) -> None:
    """A new adapter on the same state directory finds the VMs again."""
    options = {"url": lume[0], "poll_interval": "0.01"}
    first = from_options(options, state_dir=tmp_path)
    await first.create(spec(), NullContext())
    await first.close()
    second = from_options(options, state_dir=tmp_path)
    try:
        assert PowerState.STOPPED == (await second.observe("vm_1")).state
    finally:
        await second.close()


@pytest.mark.anyio
async def test_unreachable_or_not_lume_is_unavailable(
    tmp_path: Path, lume: tuple[str, FakeLume]
) -> None:
    """A closed port and a URL without `/lume` (404) are both 503-class errors."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = from_options({"url": f"http://127.0.0.1:{port}/lume"}, state_dir=tmp_path)
    wrong = from_options({"url": lume[0].removesuffix("/lume")}, state_dir=tmp_path)
    for adapter in (closed, wrong):
        try:
            with pytest.raises(BackendUnavailableError) as caught:
                await adapter.host_info()
            assert 503 == caught.value.status
        finally:
            await adapter.close()
    assert "ends in /lume" in str(caught.value)


@pytest.mark.anyio
async def test_host_info_and_images(backend: LumeBackend) -> None:
    """The host is Lume's, with nothing guessed; the images are macos (default) and linux."""
    info = await backend.host_info()
    assert ("lume", "127.0.0.1", 0, None) == (
        info.hypervisor,
        info.hostname,
        info.cpus,
        info.accelerator,
    )
    images = await backend.list_images()
    assert [("macos", True), ("linux", False)] == [(i.name, i.default) for i in images]


def test_the_fake_answers_without_auth(lume: tuple[str, FakeLume]) -> None:
    """Lume has no auth: the adapter sends none and the fake asks for none."""
    assert 200 == httpx.get(f"{lume[0]}/vms", timeout=5).status_code
