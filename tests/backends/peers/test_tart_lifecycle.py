"""The Tart backend against the fake `tart`: making VMs, powering them, and what it observes."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from tart_helpers import MACOS, UBUNTU, FakeTart, backend_for, fake_tart

from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendTimeoutError,
    NullContext,
    Observation,
    PowerState,
    VMSpec,
)
from vmkit_server.backends.guest import ExecRequest, ImageNotFoundError
from vmkit_server.backends.peers.tart import TartBackend

P = PowerState
pytestmark = pytest.mark.anyio


@pytest.fixture
def tart(tmp_path: Path) -> Iterator[FakeTart]:
    """A fake `tart`; no VM is left running."""
    yield from fake_tart(tmp_path)


@pytest.fixture
def backend(tart: FakeTart, tmp_path: Path) -> TartBackend:
    """The Tart backend on the fake."""
    return backend_for(tart, tmp_path / "state")


def spec(
    vm_id: str, name: str, image: str | None = UBUNTU, *, cpus: int = 1, memory: int = 512,
    disk: int = 19,
) -> VMSpec:  # fmt: skip
    """A VM spec (19 GiB: the Ubuntu image's 20 GB disk grows to 21 GB)."""
    return VMSpec(vm_id, name, cpus, memory, disk, image, {})


def mac_spec(vm_id: str, name: str) -> VMSpec:
    """A macOS VM at the image's minimums and its 50 GB disk (46 GiB)."""
    return spec(vm_id, name, MACOS, cpus=4, memory=8192, disk=46)


async def test_create_pulls_clones_and_sizes(backend: TartBackend, tart: FakeTart) -> None:
    """An OCI image: `tart pull` (with progress), `tart clone`, `tart set` to the spec."""
    ctx = NullContext()
    obs = await backend.create(spec("vm_1", "one"), ctx)
    assert (P.STOPPED, "created") == (obs.state, obs.reason)
    info = tart.json("get", "one")
    assert (1, 512, 21) == (info["CPU"], info["Memory"], info["Disk"])
    commands = [m.split()[2] for _, m in ctx.logs if m.startswith("$ ")]
    assert ["pull", "clone", "set"] == commands
    assert ctx.fractions == sorted(ctx.fractions) and 1.0 == ctx.fractions[-1]
    assert "one" == backend.handles.get("vm_1")


async def test_create_without_image_is_an_empty_linux_vm(tart: FakeTart, tmp_path: Path) -> None:
    """No image: `tart create --linux`; it runs but never gets an address (no OS)."""
    backend = backend_for(tart, tmp_path / "state", ready_timeout="0.3")
    await backend.create(spec("vm_1", "empty", None, disk=10), NullContext())
    assert (11, "linux") == (tart.json("get", "empty")["Disk"], tart.json("get", "empty")["OS"])
    ctx = NullContext()
    obs = await backend.start("vm_1", ctx)
    assert (P.RUNNING, False, ()) == (obs.state, obs.ready, obs.ip_addresses)
    assert any(level == "warning" for level, _ in ctx.logs)


async def test_create_from_ipsw_installs_macos(backend: TartBackend, tart: FakeTart) -> None:
    """`ipsw:latest`: `tart create --from-ipsw latest`."""
    await backend.create(spec("vm_1", "fresh", "ipsw:latest", cpus=4, memory=8192), NullContext())
    assert "darwin" == tart.json("get", "fresh")["OS"]


async def test_create_refuses_a_name_tart_has(backend: TartBackend, tart: FakeTart) -> None:
    """Tart would silently replace a VM of the same name: vmkit refuses instead."""
    tart.ok("create", "--linux", "--disk-size", "10", "taken")
    with pytest.raises(BackendOperationFailedError, match="already has a VM named 'taken'"):
        await backend.create(spec("vm_1", "taken"), NullContext())
    assert 10 == tart.json("get", "taken")["Disk"]
    assert backend.handles.get("vm_1") is None


@pytest.mark.parametrize("image", ["ghcr.io/cirruslabs/nothing:latest", "no-such-template"])
async def test_create_from_an_unknown_image(
    backend: TartBackend, tart: FakeTart, image: str
) -> None:
    """An image Tart cannot pull or clone: `ImageNotFoundError`, nothing left behind."""
    with pytest.raises(ImageNotFoundError):
        await backend.create(spec("vm_1", "one", image), NullContext())
    assert [] == tart.json("list", "--source", "local")
    assert backend.handles.get("vm_1") is None


async def test_create_refuses_to_shrink_an_image(backend: TartBackend, tart: FakeTart) -> None:
    """The image's disk is larger than asked: refused (with the least size), the VM removed."""
    with pytest.raises(BackendOperationFailedError) as caught:
        await backend.create(spec("vm_1", "small", disk=10), NullContext())
    assert 18 == caught.value.metadata["min_disk_gib"]
    assert [] == tart.json("list", "--source", "local")


async def test_create_from_a_local_template(backend: TartBackend, tart: FakeTart) -> None:
    """A local VM's name as image: `tart clone` of it."""
    tart.ok("clone", UBUNTU, "template")
    await backend.create(spec("vm_1", "copy", "template"), NullContext())
    assert "linux" == tart.json("get", "copy")["OS"]


async def test_start_stop_and_force_stop(backend: TartBackend, tart: FakeTart) -> None:
    """Start runs it, ready at its address; stop asks the guest; force-stop is `tart stop`."""
    await backend.create(spec("vm_1", "one"), NullContext())
    obs = await backend.start("vm_1", NullContext())
    assert (P.RUNNING, "booted", True) == (obs.state, obs.reason, obs.ready)
    assert obs.ip_addresses[0] == tart.ok("ip", "one").strip()
    assert obs == await backend.observe("vm_1")
    ctx = NullContext()
    obs = await backend.stop("vm_1", ctx, timeout_seconds=5, force_after_timeout=False)
    assert (P.STOPPED, "shutdown") == (obs.state, obs.reason)
    assert "SIGUSR2" in " ".join(m for _, m in ctx.logs)
    await backend.start("vm_1", NullContext())
    obs = await backend.force_stop("vm_1", NullContext())
    assert (P.STOPPED, "destroyed") == (obs.state, obs.reason)
    assert "stopped" == tart.state("one")


async def test_a_guest_that_ignores_shutdown(
    backend: TartBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not forced: a timeout and the VM keeps running; forced: powered off."""
    monkeypatch.setenv("TART_FAKE_IGNORE_SHUTDOWN", "1")
    await backend.create(spec("vm_1", "one"), NullContext())
    await backend.start("vm_1", NullContext())
    with pytest.raises(BackendTimeoutError, match="still running"):
        await backend.stop("vm_1", NullContext(), timeout_seconds=0.3, force_after_timeout=False)
    assert P.RUNNING == (await backend.observe("vm_1")).state
    obs = await backend.stop("vm_1", NullContext(), timeout_seconds=0.3, force_after_timeout=True)
    assert (P.STOPPED, "destroyed") == (obs.state, obs.reason)


async def test_force_stop_preempts_a_waiting_stop(
    backend: TartBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop waiting on its guest gives way to a force-stop."""
    monkeypatch.setenv("TART_FAKE_IGNORE_SHUTDOWN", "1")
    await backend.create(spec("vm_1", "one"), NullContext())
    await backend.start("vm_1", NullContext())
    stop_ctx = NullContext()
    waiting = asyncio.create_task(
        backend.stop("vm_1", stop_ctx, timeout_seconds=30, force_after_timeout=False)
    )
    while not any("SIGUSR2" in m for _, m in stop_ctx.logs):  # it is waiting on the guest
        await asyncio.sleep(0.02)
    obs = await backend.force_stop("vm_1", NullContext())
    with pytest.raises(BackendOperationFailedError) as caught:
        await waiting
    assert "force_stop" == caught.value.metadata["preempted_by"]
    assert P.STOPPED == obs.state


async def test_restart_is_a_power_cycle(backend: TartBackend) -> None:
    """Restart: a new `tart run`, running and ready again."""
    await backend.create(spec("vm_1", "one"), NullContext())
    await backend.start("vm_1", NullContext())
    before = backend.runs.files("vm_1").pid()
    obs = await backend.restart("vm_1", NullContext())
    assert (P.RUNNING, "booted", True) == (obs.state, obs.reason, obs.ready)
    assert before != backend.runs.files("vm_1").pid()
    await backend.force_stop("vm_1", NullContext())


async def test_a_crash_is_an_error_with_its_evidence(backend: TartBackend) -> None:
    """`tart run` dying under a running VM: `error`/`crashed`, exit status in `extra`."""
    await backend.create(spec("vm_1", "one"), NullContext())
    await backend.start("vm_1", NullContext())
    pid = backend.runs.files("vm_1").pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    obs = await _settled(backend, "vm_1")
    assert (P.ERROR, "crashed") == (obs.state, obs.reason)
    assert ("stopped", 137) == (obs.extra["tart_state"], obs.extra["exit_code"])
    cleared = await backend.force_stop("vm_1", NullContext())
    assert (P.STOPPED, "destroyed") == (cleared.state, cleared.reason)
    again = await backend.start("vm_1", NullContext())
    assert P.RUNNING == again.state


async def test_a_guest_powering_off_is_a_shutdown(backend: TartBackend) -> None:
    """The guest halts itself: `stopped`/`shutdown`."""
    await backend.create(spec("vm_1", "one"), NullContext())
    await backend.start("vm_1", NullContext())
    await backend.exec("vm_1", ExecRequest(["poweroff"]))
    obs = await _settled(backend, "vm_1")
    assert (P.STOPPED, "shutdown") == (obs.state, obs.reason)


async def test_a_failed_start_says_why(backend: TartBackend, tart: FakeTart) -> None:
    """A third macOS VM: Tart's own message, exit status and output; the VM is `failed`."""
    for n in (1, 2, 3):
        await backend.create(mac_spec(f"vm_{n}", f"mac{n}"), NullContext())
    await backend.start("vm_1", NullContext())
    await backend.start("vm_2", NullContext())
    with pytest.raises(BackendOperationFailedError, match="exceeds the system limit") as caught:
        await backend.start("vm_3", NullContext())
    assert 1 == caught.value.metadata["exit_code"]
    obs = await backend.observe("vm_3")
    assert (P.ERROR, "failed") == (obs.state, obs.reason)
    assert "stopped" == tart.state("mac3")


async def test_suspend_and_resume_a_macos_vm(backend: TartBackend, tart: FakeTart) -> None:
    """macOS runs with --suspendable: suspend saves it (`saved`), resume restores it."""
    await backend.create(mac_spec("vm_1", "mac"), NullContext())
    await backend.start("vm_1", NullContext())
    obs = await backend.suspend("vm_1", NullContext())
    assert (P.SUSPENDED, "saved") == (obs.state, obs.reason)
    assert "suspended" == tart.state("mac")
    obs = await backend.resume("vm_1", NullContext())
    assert (P.RUNNING, "restored") == (obs.state, obs.reason)
    await backend.suspend("vm_1", NullContext())
    obs = await backend.force_stop("vm_1", NullContext())  # drops the saved RAM
    assert (P.STOPPED, "destroyed", "stopped") == (obs.state, obs.reason, tart.state("mac"))


async def test_suspend_refusals_keep_the_vm_running(backend: TartBackend, tart: FakeTart) -> None:
    """A Linux guest, or a macOS VM not run by vmkit: refused before Tart would end it."""
    await backend.create(spec("vm_1", "lin"), NullContext())
    await backend.start("vm_1", NullContext())
    with pytest.raises(BackendOperationFailedError, match="only macOS"):
        await backend.suspend("vm_1", NullContext())
    assert "running" == tart.state("lin")
    tart.ok("clone", MACOS, "outside")
    proc = tart.popen_run("outside", "--no-graphics", "--suspendable")
    try:
        tart.wait_state("outside", "running")
        await backend.adopt("outside", "vm_2")
        with pytest.raises(BackendOperationFailedError, match="not started by this server"):
            await backend.suspend("vm_2", NullContext())
        assert "running" == tart.state("outside")
    finally:
        tart.stop_everything()
        proc.communicate(timeout=10)


async def test_stop_of_a_vm_started_outside(backend: TartBackend, tart: FakeTart) -> None:
    """No `tart run` of ours to signal: refused unless forced, then `tart stop`."""
    tart.ok("clone", UBUNTU, "outside")
    proc = tart.popen_run("outside", "--no-graphics")
    try:
        tart.wait_state("outside", "running")
        await backend.adopt("outside", "vm_1")
        assert P.RUNNING == (await backend.observe("vm_1")).state
        with pytest.raises(BackendOperationFailedError, match="not started by this vmkit"):
            await backend.stop("vm_1", NullContext(), timeout_seconds=1, force_after_timeout=False)
        obs = await backend.stop("vm_1", NullContext(), timeout_seconds=1, force_after_timeout=True)
        assert (P.STOPPED, "destroyed") == (obs.state, obs.reason)
    finally:
        tart.stop_everything()
        proc.communicate(timeout=10)


async def test_clone_rename_resize_and_delete(backend: TartBackend, tart: FakeTart) -> None:
    """Clone copies a stopped VM; rename, `tart set` and delete follow the Tart VM."""
    await backend.create(spec("vm_1", "one"), NullContext())
    obs = await backend.clone("vm_1", spec("vm_2", "two"), NullContext())
    assert (P.STOPPED, "created") == (obs.state, obs.reason)
    await backend.rename("vm_2", "deux")
    assert ["deux", "one"] == [r["Name"] for r in tart.json("list", "--source", "local")]
    await backend.update_resources("vm_2", cpus=2, memory_mib=1024)
    await backend.resize_disk("vm_2", 25, NullContext())
    info = tart.json("get", "deux")
    assert (2, 1024, 27) == (info["CPU"], info["Memory"], info["Disk"])
    assert {"vm_1", "vm_2"} == set(await backend.list_vm_ids())
    await backend.delete("vm_2", NullContext())
    assert ["vm_1"] == await backend.list_vm_ids()
    assert ["one"] == [r["Name"] for r in tart.json("list", "--source", "local")]


async def test_running_vms_refuse_clone_rename_resize_delete(backend: TartBackend) -> None:
    """What Tart would do to a running VM's files is refused; the VM keeps running."""
    await backend.create(spec("vm_1", "one"), NullContext())
    await backend.start("vm_1", NullContext())
    with pytest.raises(BackendOperationFailedError, match="running"):
        await backend.clone("vm_1", spec("vm_2", "two"), NullContext())
    with pytest.raises(BackendOperationFailedError, match="running"):
        await backend.rename("vm_1", "uno")
    with pytest.raises(BackendOperationFailedError, match="stopped VM only"):
        await backend.resize_disk("vm_1", 30, NullContext())
    with pytest.raises(BackendOperationFailedError, match='VM "one" is running'):
        await backend.delete("vm_1", NullContext())
    assert P.RUNNING == (await backend.observe("vm_1")).state


async def test_clone_of_a_suspended_vm_is_stopped(backend: TartBackend, tart: FakeTart) -> None:
    """The copy drops the saved RAM Tart copied and gets its own MAC address."""
    await backend.create(mac_spec("vm_1", "mac"), NullContext())
    await backend.start("vm_1", NullContext())
    await backend.suspend("vm_1", NullContext())
    obs = await backend.clone("vm_1", mac_spec("vm_2", "mac-copy"), NullContext())
    assert P.STOPPED == obs.state
    config = (tart.home / "vms" / "mac" / "config.json").read_text()
    copy = (tart.home / "vms" / "mac-copy" / "config.json").read_text()
    assert config != copy


async def test_a_new_backend_finds_its_vms(tart: FakeTart, tmp_path: Path) -> None:
    """After a server restart: same ids, still running, still gracefully stoppable."""
    first = backend_for(tart, tmp_path / "state")
    await first.create(spec("vm_1", "one"), NullContext())
    await first.start("vm_1", NullContext())
    second = backend_for(tart, tmp_path / "state")
    obs = await second.observe("vm_1")
    assert (P.RUNNING, "booted") == (obs.state, obs.reason)
    obs = await second.stop("vm_1", NullContext(), timeout_seconds=5, force_after_timeout=False)
    assert (P.STOPPED, "shutdown") == (obs.state, obs.reason)


async def _settled(backend: TartBackend, vm_id: str) -> Observation:
    """The observation once the VM no longer runs (the run's exit status written)."""
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        obs = await backend.observe(vm_id)
        if obs.state is not P.RUNNING and backend.runs.files(vm_id).exit_code() is not None:
            return await backend.observe(vm_id)
        assert asyncio.get_running_loop().time() < deadline, "the VM kept running"
        await asyncio.sleep(0.05)
