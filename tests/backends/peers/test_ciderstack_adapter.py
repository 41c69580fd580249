"""The CiderStack adapter against the CiderStack fake on a real socket: mappings and errors."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fakes._ciderstack_state import VM
from fakes._support import serve_app
from fakes.ciderstack import (
    DEFAULT_IMAGE,
    DEFAULT_IPSW,
    READ_ONLY_TOKEN,
    TOKEN,
    CiderStackFake,
    create_app,
)

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import (
    Adopting,
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    CapabilityNotSupportedError,
    NullContext,
    PowerState,
    VMSpec,
)
from vmkit_server.backends.guest import (
    ExecRequest,
    ExecTimeoutError,
    GuestAccess,
    GuestNotReadyError,
    ImageCatalog,
    ImageNotFoundError,
)
from vmkit_server.backends.peers._ciderstack_rpc import ReadOnlyTokenError
from vmkit_server.backends.peers.ciderstack import CiderStackBackend, from_options

STEP = 0.01
P = PowerState


@pytest.fixture
def node() -> Iterator[tuple[str, CiderStackFake]]:
    """A served fake node: its URL and its state."""
    app = create_app(step_seconds=STEP)
    with serve_app(app) as url:
        yield url, app.state.fake


def adapter(url: str, tmp_path: Path, **options: str) -> CiderStackBackend:
    """The adapter on `url`, polling fast, with SSH credentials for exec."""
    base = {
        "url": url,
        "token": TOKEN,
        "poll_interval": "0.01",
        "ssh_user": "admin",
        "ssh_password": "admin",
        "state_timeout": "5",
    }
    return from_options({**base, **options}, state_dir=tmp_path / "ciderstack")


@pytest.fixture
async def backend(
    node: tuple[str, CiderStackFake], tmp_path: Path
) -> AsyncIterator[CiderStackBackend]:
    """The adapter on the fake, opened."""
    ours = adapter(node[0], tmp_path)
    await ours.open()
    try:
        yield ours
    finally:
        await ours.close()


def spec(vm_id: str = "vm_1", name: str = "ci-1", image: str | None = DEFAULT_IMAGE) -> VMSpec:
    """A 4-CPU, 8 GiB, 64 GiB VM."""
    return VMSpec(vm_id, name, 4, 8192, 64, image, {})


def on_node(fake: CiderStackFake, name: str) -> dict[str, object]:
    """The VM called `name` as the node has it."""
    with fake.lock:
        (vm,) = [vm for vm in fake.node.vms.values() if vm.name == name]
        return vm.public()


def outside(fake: CiderStackFake, name: str) -> str:
    """A VM put straight on the node, as if made in the CiderStack app; its id."""
    vm = VM(f"OUTSIDE-{name.upper()}", name, cpu_count=4, memory_mb=8192, disk_gb=64)
    with fake.lock:
        fake.node.vms[vm.id] = vm
    return vm.id


def test_the_registry_builds_it_with_honest_capabilities(tmp_path: Path) -> None:
    """`--backend ciderstack` loads it; exec is declared only with SSH credentials."""
    built = load_backend("ciderstack", data_dir=tmp_path, options={"token": TOKEN})
    assert isinstance(built, CiderStackBackend)
    assert isinstance(built, Adopting) and isinstance(built, GuestAccess)
    assert isinstance(built, ImageCatalog)
    caps = built.capabilities
    assert (True, True, True, True, True) == (
        caps.create,
        caps.pause,
        caps.resume,
        caps.clone,
        caps.snapshots,
    )
    assert not (caps.exec or caps.suspend or caps.memory_snapshots or caps.resize_disk)
    assert not (caps.console or caps.files or caps.screenshot or caps.ready_signal)
    assert adapter("http://127.0.0.1:9", tmp_path).capabilities.exec


@pytest.mark.anyio
async def test_create_installs_under_the_vmkit_name_and_reports_the_task(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake], tmp_path: Path
) -> None:
    """CreateVMOnNode with the vmkit name and sizes; its task's texts and progress are relayed."""
    ctx = NullContext()
    obs = await backend.create(spec(), ctx)
    assert (P.STOPPED, "created") == (obs.state, obs.reason)
    vm = on_node(node[1], "ci-1")
    assert (4, 8192, 64) == (vm["cpuCount"], vm["memoryMB"], vm["diskSizeGB"])
    assert {"vm_1": vm["id"]} == json.loads((tmp_path / "ciderstack/handles.json").read_text())
    assert ("info", "installing macOS: Done") in ctx.logs
    assert ctx.fractions == sorted(ctx.fractions)
    assert 1.0 == ctx.fractions[-1]
    assert ("stopped", vm["id"]) == (obs.extra["ciderstack_state"], obs.extra["ciderstack_id"])


@pytest.mark.anyio
async def test_create_pulls_an_image_the_node_lacks_and_installs_an_ipsw_as_is(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """An uncached OCI image is pulled first; an IPSW goes as `ipswPath`; None is the default."""
    ctx = NullContext()
    await backend.create(spec("vm_1", "a", "ghcr.io/acme/macos:14"), ctx)
    assert "PullOCIImageOnNode" in node[1].calls
    assert any("pulling" in message for _, message in ctx.logs)
    await backend.create(spec("vm_2", "b", DEFAULT_IPSW), NullContext())
    await backend.create(spec("vm_3", "c", None), NullContext())
    assert {"a", "b", "c"} == {vm.name for vm in node[1].node.vms.values()}


@pytest.mark.anyio
async def test_a_failed_pull_or_unknown_ipsw_is_image_not_found_and_leaves_nothing(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """422 IMAGE_NOT_FOUND with CiderStack's reason; no VM and no handle are left."""
    with pytest.raises(ImageNotFoundError, match="invalid reference"):
        await backend.create(spec(image="not a reference"), NullContext())
    with pytest.raises(ImageNotFoundError, match="IPSW not found"):
        await backend.create(spec(image="/nowhere/x.ipsw"), NullContext())
    assert ([], {}) == (list(node[1].node.vms), dict(backend.handles.items()))


@pytest.mark.anyio
async def test_the_lifecycle_maps_to_its_methods_with_reasons(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """start, pause (SuspendVM), resume, restart, stop and force-stop, each with its reason."""
    await backend.create(spec(), NullContext())
    seen = []
    for action in ("start", "pause", "resume", "restart", "stop", "start", "force_stop"):
        if action == "stop":
            obs = await backend.stop(
                "vm_1", NullContext(), timeout_seconds=5, force_after_timeout=False
            )
        else:
            obs = await getattr(backend, action)("vm_1", NullContext())
        seen.append((obs.state, obs.reason))
    assert [
        (P.RUNNING, "booted"),
        (P.PAUSED, "user"),
        (P.RUNNING, "unpaused"),
        (P.RUNNING, "booted"),
        (P.STOPPED, "shutdown"),
        (P.RUNNING, "booted"),
        (P.STOPPED, "destroyed"),
    ] == seen
    calls = [c for c in node[1].calls if c in ("StartVM", "StopVM", "SuspendVM")]
    assert [
        "StartVM",
        "SuspendVM",
        "StartVM",
        "StopVM",
        "StartVM",
        "StopVM",
        "StartVM",
        "StopVM",
    ] == calls
    with pytest.raises(CapabilityNotSupportedError, match="ciderstack"):
        await backend.suspend("vm_1", NullContext())


@pytest.mark.anyio
async def test_a_running_vm_reports_its_address(backend: CiderStackBackend) -> None:
    """The address ListVMs gives a running VM; none once stopped; never `ready`."""
    await backend.create(spec(), NullContext())
    running = await backend.start("vm_1", NullContext())
    assert (1, False) == (len(running.ip_addresses), running.ready)
    assert () == (await backend.force_stop("vm_1", NullContext())).ip_addresses


@pytest.mark.anyio
async def test_a_third_macos_vm_is_refused_by_the_two_vm_limit(backend: CiderStackBackend) -> None:
    """BackendOperationFailedError naming the limit; the third VM stays stopped."""
    for n in (1, 2, 3):
        await backend.create(spec(f"vm_{n}", f"ci-{n}"), NullContext())
    await backend.start("vm_1", NullContext())
    await backend.start("vm_2", NullContext())
    with pytest.raises(BackendOperationFailedError, match="two macOS VMs") as caught:
        await backend.start("vm_3", NullContext())
    assert "macos_vms_running" == caught.value.metadata["limit"]
    assert P.STOPPED == (await backend.observe("vm_3")).state


@pytest.mark.anyio
async def test_a_read_only_token_is_found_at_open_and_refused_without_a_call(
    node: tuple[str, CiderStackFake], tmp_path: Path
) -> None:
    """Reads work; a mutation raises ReadOnlyTokenError naming fullAccess, with no round trip."""
    url, fake = node
    full = adapter(url, tmp_path / "full")
    await full.create(spec(), NullContext())
    read_only = adapter(url, tmp_path / "ro", token=READ_ONLY_TOKEN)
    read_only.handles.put("vm_1", full.handles.require("vm_1"))
    await read_only.open()
    assert P.STOPPED == (await read_only.observe("vm_1")).state
    with pytest.raises(ReadOnlyTokenError, match="fullAccess") as caught:
        await read_only.start("vm_1", NullContext())
    assert "StartVM" not in fake.calls
    assert "readOnly" == caught.value.metadata["token_permissions"]
    await full.close()
    await read_only.close()


@pytest.mark.anyio
async def test_a_read_only_refusal_is_learnt_from_the_403(
    node: tuple[str, CiderStackFake], tmp_path: Path
) -> None:
    """Without the token list, the first 403 says read-only and later mutations stop early."""
    read_only = adapter(node[0], tmp_path, token=READ_ONLY_TOKEN)
    read_only.handles.put("vm_1", "SOME-ID")
    with pytest.raises(ReadOnlyTokenError, match="read-only"):
        await read_only.start("vm_1", NullContext())
    assert read_only.rpc.read_only is True
    with pytest.raises(ReadOnlyTokenError):
        await read_only.pause("vm_1", NullContext())
    assert 1 == node[1].calls.count("StartVM") + node[1].calls.count("SuspendVM")
    await read_only.close()


@pytest.mark.anyio
async def test_an_unknown_token_makes_the_backend_unavailable(
    node: tuple[str, CiderStackFake], tmp_path: Path
) -> None:
    """403 for the token itself is 503 BACKEND_UNAVAILABLE, telling where the token comes from."""
    stranger = adapter(node[0], tmp_path, token="csk_nobody")
    with pytest.raises(BackendUnavailableError, match="backend-token-file"):
        await stranger.host_info()
    await stranger.close()


@pytest.mark.anyio
async def test_an_unreachable_node_is_503(tmp_path: Path) -> None:
    """A refused connection is BackendUnavailableError; open() does not fail on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = adapter(f"http://127.0.0.1:{port}", tmp_path)
    await gone.open()
    gone.handles.put("vm_1", "X")
    with pytest.raises(BackendUnavailableError) as caught:
        await gone.observe("vm_1")
    assert 503 == caught.value.status
    await gone.close()


@pytest.mark.anyio
async def test_vm_not_found_from_the_node_is_404(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """A VM removed on the node: observe and actions raise BackendVMNotFoundError."""
    await backend.create(spec(), NullContext())
    with node[1].lock:
        node[1].node.vms.clear()
    with pytest.raises(BackendVMNotFoundError):
        await backend.observe("vm_1")
    with pytest.raises(BackendVMNotFoundError, match="VM not found"):
        await backend.rename("vm_1", "x")
    with pytest.raises(BackendVMNotFoundError):
        await backend.delete("vm_1", NullContext())
    assert [] == backend.handles.items()
    with pytest.raises(BackendVMNotFoundError):
        await backend.start("vm_unknown", NullContext())


@pytest.mark.anyio
async def test_observe_maps_every_state_and_never_guesses(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """A crash is error/failed, a guest power-off stopped/shutdown, another state unknown."""
    await backend.create(spec(), NullContext())
    await backend.start("vm_1", NullContext())
    fake, handle = node[1], backend.handles.require("vm_1")
    fake.crash(handle)
    assert (P.ERROR, "failed") == ((o := await backend.observe("vm_1")).state, o.reason)
    fake.power_off_from_guest(handle)
    assert (P.STOPPED, "shutdown") == ((o := await backend.observe("vm_1")).state, o.reason)
    with fake.lock:
        fake.node.vms[handle].state = "migrating"
    unknown = await backend.observe("vm_1")
    assert (P.UNKNOWN, None, "migrating") == (
        unknown.state,
        unknown.reason,
        unknown.extra["ciderstack_state"],
    )


@pytest.mark.anyio
async def test_snapshots_are_named_by_vmkit_id_and_restore_stops_first(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """Disk snapshots; restoring a running VM stops it, then `from_snapshot`; unknown is 404."""
    await backend.create(spec(), NullContext())
    await backend.start("vm_1", NullContext())
    info = await backend.snapshot_create("vm_1", "snap_1", NullContext())
    assert (False, True) == (info.includes_memory, (info.size_bytes or 0) > 0)
    ctx = NullContext()
    obs = await backend.snapshot_restore("vm_1", "snap_1", ctx)
    assert (P.STOPPED, "from_snapshot") == (obs.state, obs.reason)
    assert any("stopping the VM first" in message for _, message in ctx.logs)
    with pytest.raises(BackendSnapshotNotFoundError):
        await backend.snapshot_restore("vm_1", "snap_2", NullContext())
    await backend.snapshot_delete("vm_1", "snap_1", NullContext())
    with pytest.raises(BackendSnapshotNotFoundError):
        await backend.snapshot_delete("vm_1", "snap_1", NullContext())


@pytest.mark.anyio
async def test_clone_rename_and_resources(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """CloneVM maps the clone; RenameVM and UpdateVMSettings change the node; refusals say why."""
    await backend.create(spec(), NullContext())
    clone = await backend.clone("vm_1", spec("vm_2", "ci-2"), NullContext())
    assert (P.STOPPED, "cloned") == (clone.state, clone.reason)
    assert backend.handles.require("vm_2") == on_node(node[1], "ci-2")["id"]
    await backend.rename("vm_2", "ci-2-renamed")
    await backend.update_resources("vm_1", cpus=6, memory_mib=12288)
    assert (6, 12288) == (
        on_node(node[1], "ci-1")["cpuCount"],
        on_node(node[1], "ci-1")["memoryMB"],
    )
    assert "ci-2-renamed" == on_node(node[1], "ci-2-renamed")["name"]
    await backend.start("vm_1", NullContext())
    with pytest.raises(BackendOperationFailedError, match="must be stopped") as caught:
        await backend.update_resources("vm_1", cpus=2, memory_mib=None)
    assert "UpdateVMSettings" == caught.value.metadata["method"]
    with pytest.raises(BackendOperationFailedError, match="must be stopped to clone"):
        await backend.clone("vm_1", spec("vm_3", "ci-3"), NullContext())
    assert backend.handles.get("vm_3") is None


@pytest.mark.anyio
async def test_delete_removes_the_vm_and_its_handle(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """DeleteVM, then the handle is forgotten; a running VM is refused by CiderStack."""
    await backend.create(spec(), NullContext())
    await backend.start("vm_1", NullContext())
    with pytest.raises(BackendOperationFailedError, match="must be stopped"):
        await backend.delete("vm_1", NullContext())
    await backend.force_stop("vm_1", NullContext())
    await backend.delete("vm_1", NullContext())
    assert ([], None) == (list(node[1].node.vms), backend.handles.get("vm_1"))


@pytest.mark.anyio
async def test_vms_made_outside_are_discovered_with_valid_names_and_adopted(
    backend: CiderStackBackend, node: tuple[str, CiderStackFake]
) -> None:
    """`CI Runner #2` is offered as `ci-runner-2` with its sizes; once adopted it is ours."""
    await backend.create(spec(), NullContext())
    handle = outside(node[1], "CI Runner #2")
    (found,) = await backend.discover()
    assert (handle, "ci-runner-2", 4, 8192, 64, P.STOPPED) == (
        found.handle,
        found.name,
        found.cpus,
        found.memory_mib,
        found.disk_gib,
        found.observation.state,
    )
    await backend.adopt(handle, "vm_9")
    assert [] == await backend.discover()
    assert P.STOPPED == (await backend.observe("vm_9")).state
    assert {"vm_1", "vm_9"} == set(await backend.list_vm_ids())


@pytest.mark.anyio
async def test_exec_runs_over_ssh_and_maps_its_failures(
    backend: CiderStackBackend, tmp_path: Path, node: tuple[str, CiderStackFake]
) -> None:
    """Output and exit code; a stopped guest is 409, a timeout 504, no credentials 501."""
    await backend.create(spec(), NullContext())
    with pytest.raises(GuestNotReadyError):
        await backend.exec("vm_1", ExecRequest(["true"]))
    await backend.start("vm_1", NullContext())
    result = await backend.exec("vm_1", ExecRequest(["echo", "hello world"]))
    assert (0, b"hello world\n") == (result.exit_code, result.stdout)
    assert 1 == (await backend.exec("vm_1", ExecRequest("false"))).exit_code
    with pytest.raises(ExecTimeoutError):
        await backend.exec("vm_1", ExecRequest(["sleep", "60"], timeout_seconds=2))
    with pytest.raises(CapabilityNotSupportedError, match="stdin"):
        await backend.exec("vm_1", ExecRequest(["cat"], stdin=b"x"))
    bare = from_options({"url": node[0], "token": TOKEN}, state_dir=tmp_path / "bare")
    with pytest.raises(CapabilityNotSupportedError, match="'exec'"):
        await bare.exec("vm_1", ExecRequest(["true"]))
    with pytest.raises(CapabilityNotSupportedError, match="console"):
        await backend.console_read("vm_1", None, 10)


@pytest.mark.anyio
async def test_host_and_images(backend: CiderStackBackend) -> None:
    """GetNodeInfo as the host; cached OCI images and IPSWs as the catalog, the first default."""
    host = await backend.host_info()
    assert ("fake-mini.local", 8, 24 * 1024, "ciderstack", "1.4.0") == (
        host.hostname,
        host.cpus,
        host.memory_mib,
        host.hypervisor,
        host.hypervisor_version,
    )
    images = await backend.list_images()
    assert [(DEFAULT_IMAGE, True), (DEFAULT_IPSW, False)] == [(i.name, i.default) for i in images]
    assert {"macos"} == {i.os for i in images}
