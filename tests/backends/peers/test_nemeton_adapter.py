"""The `nemeton` backend against the fake Nemeton on a real socket: every mapping and error."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fakes._nemeton_state import FakeNemeton, FakeVM
from fakes._support import serve_app
from fakes.nemeton import DEFAULT_TOKEN, FAKE_VERSION, create_app
from starlette.applications import Starlette

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import (
    Adopting,
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    BackendTimeoutError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    CapabilityNotSupportedError,
    NullContext,
    PowerState,
    VMSpec,
)
from vmkit_server.backends.guest import ExecRequest, GuestAccess, GuestNotReadyError
from vmkit_server.backends.peers.nemeton import NemetonBackend, from_options, vmkit_name

pytestmark = pytest.mark.anyio
AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
P = PowerState


@pytest.fixture
def app() -> Starlette:
    """A fresh fake Nemeton with short steps."""
    return create_app(step_seconds=0.01)


@pytest.fixture
def fake(app: Starlette) -> FakeNemeton:
    """The fake's state (to arm faults; VMs are made over HTTP, on the fake's own loop)."""
    state: FakeNemeton = app.state.nemeton
    return state


@pytest.fixture
def url(app: Starlette) -> Iterator[str]:
    """Where the fake answers."""
    with serve_app(app) as base:
        yield base


def options(url: str, **more: str) -> dict[str, str]:
    """The backend's options for the fake at `url`."""
    return {"url": url, "token": DEFAULT_TOKEN, "poll_interval": "0.01", **more}


@pytest.fixture
async def nemeton(url: str, tmp_path: Path) -> AsyncIterator[NemetonBackend]:
    """The backend on the fake, with a short action timeout."""
    backend = from_options(options(url, action_timeout="5"), state_dir=tmp_path / "nemeton")
    await backend.open()
    try:
        yield backend
    finally:
        await backend.close()


def make_vm(url: str, name: str = "ci-1") -> str:
    """A VM made in Nemeton's app (the fake's stand-in route); its Nemeton id."""
    response = httpx.post(f"{url}/_fake/vms", json={"name": name, "diskGB": 80}, headers=AUTH)
    response.raise_for_status()
    return str(response.json()["id"])


def call(url: str, method: str, path: str) -> httpx.Response:
    """A call straight to Nemeton, as its app or another client would make."""
    return httpx.request(method, f"{url}/api/v1{path}", headers=AUTH)


async def adopted(backend: NemetonBackend, url: str, name: str = "ci-1") -> tuple[str, str]:
    """A fresh Nemeton VM adopted as `vm_<name>`: (vmkit id, Nemeton id)."""
    handle = make_vm(url, name)
    vm_id = f"vm_{name}"
    await backend.adopt(handle, vm_id)
    return vm_id, handle


def vm_of(fake: FakeNemeton, handle: str) -> FakeVM:
    """The fake's record of a VM."""
    return fake.vms[handle]


# -- configuration ----------------------------------------------------------------------------


def test_options_need_a_token_and_default_to_the_documented_port(tmp_path: Path) -> None:
    """No token is refused; no url means 127.0.0.1:22100; bad numbers and keys name the key."""
    with pytest.raises(ValueError, match="token"):
        from_options({"url": "http://h:22100"}, state_dir=tmp_path)
    assert "http://127.0.0.1:22100" == from_options({"token": "t"}, state_dir=tmp_path).options.url
    with pytest.raises(ValueError, match="action_timeout"):
        from_options({"token": "t", "action_timeout": "soon"}, state_dir=tmp_path)
    with pytest.raises(ValueError, match="action_timeout"):
        from_options({"token": "t", "action_timeout": "0"}, state_dir=tmp_path)
    with pytest.raises(ValueError, match="colour"):
        from_options({"token": "t", "colour": "blue"}, state_dir=tmp_path)


def test_the_registry_builds_it_under_the_data_dir(tmp_path: Path) -> None:
    """`--backend nemeton` builds this backend, keeping its map in <data dir>/nemeton."""
    backend = load_backend("nemeton", data_dir=tmp_path, options={"token": "t"})
    assert isinstance(backend, NemetonBackend)
    assert tmp_path / "nemeton" / "handles.json" == backend.handles.path


def test_capabilities_are_what_the_document_offers(tmp_path: Path) -> None:
    """Lifecycle without create/delete/restart/suspend, disk snapshots, console; no exec."""
    backend = from_options({"token": "t"}, state_dir=tmp_path)
    declared = {name for name, on in backend.capabilities.to_dict().items() if on}
    assert {
        "start", "stop", "force_stop", "pause", "resume", "snapshots", "console"
    } == declared  # fmt: skip
    assert isinstance(backend, Adopting)
    assert isinstance(backend, GuestAccess)


async def test_undeclared_capabilities_raise_501_naming_the_backend(
    nemeton: NemetonBackend, url: str
) -> None:
    """Each method Nemeton cannot serve raises CapabilityNotSupportedError for `nemeton`."""
    vm_id, _ = await adopted(nemeton, url)
    ctx = NullContext()
    spec = VMSpec("vm_new", "new", 1, 512, 8, None, {})
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "create": lambda: nemeton.create(spec, ctx),
        "delete": lambda: nemeton.delete(vm_id, ctx),
        "restart": lambda: nemeton.restart(vm_id, ctx),
        "suspend": lambda: nemeton.suspend(vm_id, ctx),
        "clone": lambda: nemeton.clone(vm_id, spec, ctx),
        "rename": lambda: nemeton.rename(vm_id, "x"),
        "update_resources": lambda: nemeton.update_resources(vm_id, cpus=2, memory_mib=None),
        "exec": lambda: nemeton.exec(vm_id, ExecRequest(["true"])),
        "files": lambda: nemeton.read_file(vm_id, "/etc/hostname", max_bytes=10),
        "screenshot": lambda: nemeton.screenshot(vm_id),
    }
    for capability, ask in calls.items():
        with pytest.raises(CapabilityNotSupportedError) as caught:
            await ask()
        assert (capability, "nemeton") == (caught.value.capability, caught.value.backend)
        assert not nemeton.capabilities.supports(capability)


# -- adoption ---------------------------------------------------------------------------------


async def test_discover_offers_unmapped_vms_with_valid_names(
    nemeton: NemetonBackend, url: str
) -> None:
    """Each unmapped Nemeton VM once, named for vmkit, sized as Nemeton says; mapped ones not."""
    first = make_vm(url, "My Mac VM (ARM)!")
    second = make_vm(url, "???")
    found = {vm.handle: vm for vm in await nemeton.discover()}
    assert {first, second} == set(found)
    assert "my-mac-vm-arm" == found[first].name
    assert f"nemeton-{second}" == found[second].name
    assert (2, 4096, 80, None) == (
        found[first].cpus,
        found[first].memory_mib,
        found[first].disk_gib,
        found[first].image,
    )
    assert (P.STOPPED, "stopped") == (
        found[first].observation.state,
        found[first].observation.extra["nemeton_state"],
    )
    await nemeton.adopt(first, "vm_a")
    assert [second] == [vm.handle for vm in await nemeton.discover()]
    assert ["vm_a"] == await nemeton.list_vm_ids()


async def test_the_map_outlives_the_backend(url: str, tmp_path: Path) -> None:
    """A new backend on the same state dir finds the adopted VM again."""
    state = tmp_path / "nemeton"
    first = from_options(options(url), state_dir=state)
    vm_id, handle = await adopted(first, url)
    await first.close()
    second = from_options(options(url), state_dir=state)
    try:
        assert handle == second.handles.get(vm_id)
        assert P.STOPPED == (await second.observe(vm_id)).state
        assert [] == await second.discover()
    finally:
        await second.close()


def test_names_are_sanitised_for_vmkit() -> None:
    """Lower case, runs of other characters as one dash, at most 63 characters."""
    assert "ubuntu-24-04" == vmkit_name("Ubuntu 24.04", "id-1")
    assert "a" * 63 == vmkit_name("A" * 80, "id-1")
    assert "nemeton-id-1" == vmkit_name("☃", "id-1")


# -- lifecycle and states ---------------------------------------------------------------------


async def test_start_runs_the_vm_and_reports_progress(nemeton: NemetonBackend, url: str) -> None:
    """Start maps to running (`booted`), logs the call, and ends at progress 1."""
    vm_id, handle = await adopted(nemeton, url)
    ctx = NullContext()
    obs = await nemeton.start(vm_id, ctx)
    assert (P.RUNNING, "booted") == (obs.state, obs.reason)
    assert {"nemeton_id": handle, "nemeton_name": "ci-1", "nemeton_state": "running"} == obs.extra
    assert ("info", f"POST /api/v1/vms/{handle}/start") == ctx.logs[0]
    assert 1.0 == ctx.fractions[-1]
    assert obs == await nemeton.observe(vm_id)


async def test_a_failed_start_raises_with_the_console_tail(
    nemeton: NemetonBackend, fake: FakeNemeton, url: str
) -> None:
    """A VM that goes to `error` fails the start; observe says error (`failed`)."""
    vm_id, handle = await adopted(nemeton, url)
    vm_of(fake, handle).fails_boot = True
    with pytest.raises(BackendOperationFailedError) as caught:
        await nemeton.start(vm_id, NullContext())
    assert "error" == caught.value.metadata["nemeton_state"]
    assert any("failed to start" in line for line in caught.value.metadata["console_tail"])
    obs = await nemeton.observe(vm_id)
    assert (P.ERROR, "failed") == (obs.state, obs.reason)


async def test_a_graceful_stop_waits_for_the_guest(nemeton: NemetonBackend, url: str) -> None:
    """Stop sends ACPI and polls until stopped (`shutdown`), logging what it saw."""
    vm_id, _ = await adopted(nemeton, url)
    await nemeton.start(vm_id, NullContext())
    ctx = NullContext()
    obs = await nemeton.stop(vm_id, ctx, timeout_seconds=5, force_after_timeout=False)
    assert (P.STOPPED, "shutdown") == (obs.state, obs.reason)
    seen = [message for _, message in ctx.logs if message.startswith("Nemeton reports")]
    assert ["Nemeton reports VM 'ci-1' running", "Nemeton reports VM 'ci-1' stopped"] == seen


async def test_a_guest_ignoring_acpi_times_out_or_is_forced(
    nemeton: NemetonBackend, fake: FakeNemeton, url: str
) -> None:
    """Without force the stop times out and the VM still runs; with it, it is `destroyed`."""
    vm_id, handle = await adopted(nemeton, url)
    await nemeton.start(vm_id, NullContext())
    vm_of(fake, handle).acpi_ignored = True
    with pytest.raises(BackendTimeoutError) as caught:
        await nemeton.stop(vm_id, NullContext(), timeout_seconds=0.05, force_after_timeout=False)
    assert 0.05 == caught.value.metadata["timeout_seconds"]
    assert P.RUNNING == (await nemeton.observe(vm_id)).state
    ctx = NullContext()
    obs = await nemeton.stop(vm_id, ctx, timeout_seconds=0.05, force_after_timeout=True)
    assert (P.STOPPED, "destroyed") == (obs.state, obs.reason)
    assert any(level == "warning" for level, _ in ctx.logs)


async def test_force_stop_pause_and_resume_map_with_reasons(
    nemeton: NemetonBackend, url: str
) -> None:
    """pause: paused (`user`); resume: running (`unpaused`); force-stop: `destroyed`."""
    vm_id, _ = await adopted(nemeton, url)
    await nemeton.start(vm_id, NullContext())
    got = [
        await nemeton.pause(vm_id, NullContext()),
        await nemeton.resume(vm_id, NullContext()),
        await nemeton.force_stop(vm_id, NullContext()),
    ]
    assert [(P.PAUSED, "user"), (P.RUNNING, "unpaused"), (P.STOPPED, "destroyed")] == [
        (obs.state, obs.reason) for obs in got
    ]


async def test_force_stop_of_a_stopped_vm_changes_nothing(
    nemeton: NemetonBackend, url: str
) -> None:
    """A stopped VM stays stopped without asking Nemeton (which would answer 409)."""
    vm_id, _ = await adopted(nemeton, url)
    ctx = NullContext()
    assert P.STOPPED == (await nemeton.force_stop(vm_id, ctx)).state
    assert [("info", "the VM is already stopped")] == ctx.logs


async def test_a_change_made_in_nemeton_keeps_no_stale_reason(
    nemeton: NemetonBackend, url: str
) -> None:
    """The adapter's reason holds while the state does; a change made elsewhere has none."""
    vm_id, handle = await adopted(nemeton, url)
    await nemeton.start(vm_id, NullContext())
    assert "booted" == (await nemeton.observe(vm_id)).reason
    assert 200 == call(url, "POST", f"/vms/{handle}/force-stop").status_code
    obs = await nemeton.observe(vm_id)
    assert (P.STOPPED, None) == (obs.state, obs.reason)


async def test_a_state_the_document_does_not_name_is_unknown(
    nemeton: NemetonBackend, fake: FakeNemeton, url: str
) -> None:
    """observe never guesses: `unknown`, with Nemeton's state in extra."""
    vm_id, handle = await adopted(nemeton, url)
    vm_of(fake, handle).state = "migrating"
    obs = await nemeton.observe(vm_id)
    assert (P.UNKNOWN, None, "migrating") == (obs.state, obs.reason, obs.extra["nemeton_state"])


# -- errors ---------------------------------------------------------------------------------------


async def test_a_refusal_keeps_nemetons_message(nemeton: NemetonBackend, url: str) -> None:
    """409 becomes BackendOperationFailedError with the message and status as evidence."""
    vm_id, handle = await adopted(nemeton, url)
    with pytest.raises(BackendOperationFailedError) as caught:
        await nemeton.pause(vm_id, NullContext())
    assert "cannot pause VM ci-1: it is stopped" in caught.value.detail
    assert {"nemeton_status": 409, "nemeton_id": handle} == {
        k: caught.value.metadata[k] for k in ("nemeton_status", "nemeton_id")
    }


async def test_unknown_vms_are_not_found(
    nemeton: NemetonBackend, fake: FakeNemeton, url: str
) -> None:
    """An unmapped id, and a mapped VM Nemeton no longer has, raise BackendVMNotFoundError."""
    with pytest.raises(BackendVMNotFoundError):
        await nemeton.observe("vm_nobody")
    vm_id, handle = await adopted(nemeton, url)
    del fake.vms[handle]  # deleted in Nemeton's app
    with pytest.raises(BackendVMNotFoundError) as caught:
        await nemeton.observe(vm_id)
    assert 404 == caught.value.metadata["nemeton_status"]
    assert [] == await nemeton.list_vm_ids()


async def test_a_wrong_token_makes_the_backend_unavailable(url: str, tmp_path: Path) -> None:
    """401 is BackendUnavailableError (503): vmkit cannot use Nemeton with that token."""
    backend = from_options({"url": url, "token": "wrong"}, state_dir=tmp_path)
    try:
        with pytest.raises(BackendUnavailableError, match="refused the token"):
            await backend.host_info()
    finally:
        await backend.close()


async def test_an_unreachable_nemeton_is_503(tmp_path: Path) -> None:
    """Nothing listening: BackendUnavailableError, status 503."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = from_options({"url": f"http://127.0.0.1:{port}", "token": "t"}, state_dir=tmp_path)
    try:
        with pytest.raises(BackendUnavailableError) as caught:
            await backend.list_vm_ids()
        assert 503 == caught.value.status
    finally:
        await backend.close()


async def test_host_info_reads_the_api_version(nemeton: NemetonBackend, url: str) -> None:
    """The version comes from Nemeton's openapi.json; CPUs and memory are unknown (0)."""
    info = await nemeton.host_info()
    assert ("127.0.0.1", "nemeton", FAKE_VERSION, 0, 0) == (
        info.hostname,
        info.hypervisor,
        info.hypervisor_version,
        info.cpus,
        info.memory_mib,
    )


# -- snapshots ------------------------------------------------------------------------------------


async def test_snapshots_are_named_after_vmkit_ids(nemeton: NemetonBackend, url: str) -> None:
    """create names the Nemeton snapshot by the vmkit id; restore and delete find it by name."""
    vm_id, handle = await adopted(nemeton, url)
    info = await nemeton.snapshot_create(vm_id, "snap_1", NullContext())
    assert (False, None) == (info.includes_memory, info.size_bytes)
    assert ["snap_1"] == [s["name"] for s in call(url, "GET", f"/vms/{handle}/snapshots").json()]
    await nemeton.start(vm_id, NullContext())
    ctx = NullContext()
    obs = await nemeton.snapshot_restore(vm_id, "snap_1", ctx)
    assert (P.STOPPED, "from_snapshot") == (obs.state, obs.reason)
    assert any("powering off first" in message for _, message in ctx.logs)
    await nemeton.snapshot_delete(vm_id, "snap_1", NullContext())
    assert [] == call(url, "GET", f"/vms/{handle}/snapshots").json()
    with pytest.raises(BackendSnapshotNotFoundError):
        await nemeton.snapshot_restore(vm_id, "snap_1", NullContext())
    with pytest.raises(BackendSnapshotNotFoundError):
        await nemeton.snapshot_delete(vm_id, "snap_1", NullContext())


# -- console --------------------------------------------------------------------------------------


async def test_the_console_reads_by_offset_and_takes_input(
    nemeton: NemetonBackend, url: str
) -> None:
    """Boot output from offset 0; input is echoed and read from where the reader stopped."""
    vm_id, _ = await adopted(nemeton, url)
    await nemeton.start(vm_id, NullContext())
    first = await nemeton.console_read(vm_id, None, 1 << 20)
    assert (0, 0, len(first.data)) == (first.offset, first.start_offset, first.next_offset)
    assert first.data.endswith(b"login: ")
    await nemeton.console_write(vm_id, b"echo hi\n")
    more = await nemeton.console_read(vm_id, first.next_offset, 1 << 20)
    assert (b"echo hi\nhi\r\n", first.next_offset) == (more.data, more.offset)
    part = await nemeton.console_read(vm_id, 0, 4)
    assert (first.data[:4], 4) == (part.data, part.next_offset)


async def test_console_offsets_go_on_after_nemeton_clears_its_buffer(
    nemeton: NemetonBackend, url: str
) -> None:
    """After a clear, new output continues from the old end instead of going back to 0."""
    vm_id, handle = await adopted(nemeton, url)
    await nemeton.start(vm_id, NullContext())
    before = await nemeton.console_read(vm_id, None, 1 << 20)
    assert 204 == call(url, "DELETE", f"/vms/{handle}/console").status_code
    await nemeton.console_write(vm_id, b"x")
    after = await nemeton.console_read(vm_id, before.next_offset, 1 << 20)
    assert (b"x", before.next_offset, before.next_offset) == (
        after.data,
        after.offset,
        after.start_offset,
    )


async def test_console_input_to_a_stopped_vm_is_not_ready(
    nemeton: NemetonBackend, url: str
) -> None:
    """Nemeton's 409 for input to a stopped VM becomes GuestNotReadyError (409)."""
    vm_id, _ = await adopted(nemeton, url)
    with pytest.raises(GuestNotReadyError):
        await nemeton.console_write(vm_id, b"\n")
