"""The taartenfabriek adapter against the fake on a real socket: each mapping and each error."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fakes._support import serve_app
from fakes.taartenfabriek import LINUX_IMAGE, MACOS_IMAGE, FakeTaartenfabriek, create_app

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import (
    Adopting,
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    CapabilityNotSupportedError,
    NullContext,
    PowerState,
    VMSpec,
)
from vmkit_server.backends.guest import GuestAccess, ImageCatalog
from vmkit_server.backends.peers._taartenfabriek_api import TaskFailedError
from vmkit_server.backends.peers.taartenfabriek import TaartenfabriekBackend, from_options

STEP = 0.01
TOKEN = "adapter-token"
Served = tuple[str, FakeTaartenfabriek]


@pytest.fixture
def served() -> Iterator[Served]:
    """A served fake: its URL and its state."""
    app = create_app(token=TOKEN, step_seconds=STEP, ip_wait_steps=8)
    with serve_app(app) as url:
        yield url, app.state.taartenfabriek


@pytest.fixture
async def backend(served: Served, tmp_path: Path) -> AsyncIterator[TaartenfabriekBackend]:
    """The adapter on the fake, polling fast."""
    options = {"url": served[0], "token": TOKEN, "poll_interval": "0.01"}
    adapter = from_options(options, state_dir=tmp_path / "taartenfabriek")
    await adapter.open()
    try:
        yield adapter
    finally:
        await adapter.close()


def spec(vm_id: str = "vm_1", name: str = "ci-1", image: str | None = LINUX_IMAGE) -> VMSpec:
    """A 2-CPU, 4 GiB, 20 GiB VM."""
    return VMSpec(vm_id, name, 2, 4096, 20, image, {})


def make_outside(url: str, name: str, image: str = LINUX_IMAGE, disk: int = 20) -> None:
    """Create a VM straight through the app's API, as its own UI would, and wait for it."""
    body = {"name": name, "source_vm": image, "cpu": 3, "memory": 6, "disk_size": disk}
    with httpx.Client(base_url=url, headers={"X-Local-Token": TOKEN}, timeout=10) as http:
        task = http.post("/api/vms/create", json=body).json()
        for _ in range(2000):
            if task["status"] in ("completed", "failed"):
                break
            task = http.get(f"/api/tasks/{task['id']}").json()
    assert "completed" == task["status"]


def test_options_need_a_token_and_read_task_timeout(tmp_path: Path) -> None:
    """The token is required; `task_timeout` parses; unknown keys and bad numbers are refused."""
    with pytest.raises(ValueError, match="needs a token"):
        from_options({}, state_dir=tmp_path)
    backend = from_options({"token": "t", "task_timeout": "60"}, state_dir=tmp_path)
    assert ("http://127.0.0.1:8000", 60.0) == (backend.options.url, backend.task_timeout)
    for bad in ({"task_timeout": "soon"}, {"task_timeout": "0"}, {"colour": "red"}):
        with pytest.raises(ValueError):
            from_options({"token": "t", **bad}, state_dir=tmp_path)
    built = load_backend("taartenfabriek", data_dir=tmp_path, options={"token": "t"})
    assert isinstance(built, TaartenfabriekBackend)
    assert tmp_path / "taartenfabriek" / "handles.json" == built.handles.path


@pytest.mark.anyio
async def test_capabilities_and_protocols(backend: TaartenfabriekBackend) -> None:
    """It declares what the app can do, adopts, lists images, and has no guest access."""
    declared = {name for name, on in backend.capabilities.to_dict().items() if on}
    expected = {"create", "delete", "start", "stop", "force_stop", "restart", "clone"}
    assert expected == declared
    assert isinstance(backend, Adopting) and isinstance(backend, ImageCatalog)
    assert not isinstance(backend, GuestAccess)
    ctx = NullContext()
    for call in (
        backend.pause("vm_1", ctx),
        backend.resume("vm_1", ctx),
        backend.suspend("vm_1", ctx),
        backend.snapshot_create("vm_1", "s", ctx),
        backend.snapshot_restore("vm_1", "s", ctx),
        backend.snapshot_delete("vm_1", "s", ctx),
        backend.rename("vm_1", "x"),
        backend.update_resources("vm_1", cpus=2, memory_mib=None),
    ):
        with pytest.raises(CapabilityNotSupportedError) as caught:
            await call
        assert "taartenfabriek" == caught.value.backend


@pytest.mark.anyio
async def test_create_follows_the_task_into_the_operation(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """A create becomes a stopped VM (`created`) named as in vmkit; logs and progress flow."""
    ctx = NullContext()
    obs = await backend.create(spec(), ctx)
    assert (PowerState.STOPPED, "created") == (obs.state, obs.reason)
    assert ("ci-1", "stopped") == (
        obs.extra["taartenfabriek_name"],
        obs.extra["taartenfabriek_status"],
    )
    vm = served[1].tart.vms["ci-1"]
    assert (2, 4096, 20) == (vm.cpu, vm.memory_mib, vm.disk_gb)
    messages = [message for _, message in ctx.logs]
    assert f"[taartenfabriek] Cloning from {LINUX_IMAGE} to ci-1..." in messages
    assert "[taartenfabriek] Setting memory to 4GB..." in messages
    assert ctx.fractions == sorted(ctx.fractions) and 1.0 == ctx.fractions[-1]
    assert "ci-1" == backend.handles.get("vm_1")


@pytest.mark.anyio
async def test_create_refusals_before_anything_is_made(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """Memory not in whole GiB, a disk smaller than the image's, a taken name: refused."""
    ctx = NullContext()
    with pytest.raises(BackendOperationFailedError, match="whole GiB"):
        await backend.create(VMSpec("vm_1", "a", 2, 1536, 20, LINUX_IMAGE, {}), ctx)
    with pytest.raises(BackendOperationFailedError, match="cannot shrink"):
        await backend.create(VMSpec("vm_1", "a", 2, 4096, 10, LINUX_IMAGE, {}), ctx)
    make_outside(served[0], "taken")
    with pytest.raises(BackendOperationFailedError, match="already has a VM named 'taken'"):
        await backend.create(spec(name="taken"), ctx)
    assert [] == backend.handles.items()
    assert {"taken"} == {n for n, vm in served[1].tart.vms.items() if vm.source == "local"}


@pytest.mark.anyio
async def test_create_without_image_uses_the_first_base_image(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """No image: the default of the catalog, which lists the pulled base images."""
    images = await backend.list_images()
    assert [(MACOS_IMAGE, "macos", True), (LINUX_IMAGE, "linux", False)] == [
        (i.name, i.os, i.default) for i in images
    ]
    await backend.create(VMSpec("vm_1", "mac", 4, 8192, 50, None, {}), NullContext())
    assert "darwin" == served[1].tart.vms["mac"].os


@pytest.mark.anyio
async def test_settings_tart_refused_undo_the_create(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """An image pulled on the way has a bigger disk: the app only warns; vmkit fails and cleans."""
    remote = "ghcr.io/cirruslabs/macos-sequoia-base:latest"  # not pulled yet: 50 GB disk
    ctx = NullContext()
    with pytest.raises(BackendOperationFailedError, match="refused its settings") as caught:
        await backend.create(spec(image=remote), ctx)
    assert ["Warning: Could not set disk size"] == caught.value.metadata["warnings"]
    assert "ci-1" not in served[1].tart.vms
    assert None is backend.handles.get("vm_1")
    assert ("warning", "[taartenfabriek] Warning: Could not set disk size") in ctx.logs


@pytest.mark.anyio
async def test_a_failed_task_fails_the_operation_with_its_error_and_logs(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """Tart refusing (delete of a running VM) is the task's error, stderr and logs."""
    await backend.create(spec(), NullContext())
    await backend.start("vm_1", NullContext())
    with pytest.raises(TaskFailedError) as caught:
        await backend.delete("vm_1", NullContext())
    assert 'VM "ci-1" is running' == caught.value.metadata["error"]
    assert ['[stderr] VM "ci-1" is running'] == caught.value.metadata["logs"]
    assert "BACKEND_OPERATION_FAILED" == caught.value.code
    assert "ci-1" == backend.handles.get("vm_1")


@pytest.mark.anyio
async def test_start_stop_restart_force_stop(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """Each maps to the app's start/stop tasks, ending as Tart lists the VM."""
    await backend.create(spec(), NullContext())
    started = await backend.start("vm_1", NullContext())
    assert (PowerState.RUNNING, "booted") == (started.state, started.reason)
    ip = served[1].tart.vms["ci-1"].ip_address
    assert ((ip,), f"vnc://{ip}") == (started.ip_addresses, started.extra["vnc_url"])
    restarted = await backend.restart("vm_1", NullContext())
    assert (PowerState.RUNNING, "booted") == (restarted.state, restarted.reason)
    assert started.ip_addresses != restarted.ip_addresses  # a new run, a new lease
    ctx = NullContext()
    stopped = await backend.stop("vm_1", ctx, timeout_seconds=5, force_after_timeout=False)
    assert (PowerState.STOPPED, "shutdown", ()) == (
        stopped.state,
        stopped.reason,
        stopped.ip_addresses,
    )
    assert any("timeout_seconds and force_after_timeout do not apply" in m for _, m in ctx.logs)
    await backend.start("vm_1", NullContext())
    served[1].tart.vms["ci-1"].ignores_shutdown = True
    forced = await backend.force_stop("vm_1", NullContext())
    assert (PowerState.STOPPED, "destroyed") == (forced.state, forced.reason)
    again = await backend.force_stop("vm_1", NullContext())  # nothing to stop: as it is
    assert PowerState.STOPPED == again.state


@pytest.mark.anyio
async def test_a_start_that_completes_without_running_fails(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """A third macOS guest: the task completes, Tart lists it stopped, the operation fails."""
    for n in (1, 2, 3):
        await backend.create(
            VMSpec(f"vm_{n}", f"mac-{n}", 4, 8192, 50, MACOS_IMAGE, {}), NullContext()
        )
    await backend.start("vm_1", NullContext())
    await backend.start("vm_2", NullContext())
    with pytest.raises(BackendOperationFailedError, match="did not start") as caught:
        await backend.start("vm_3", NullContext())
    assert "at most two macOS guests at once; running: mac-1, mac-2" in caught.value.detail
    assert "VM started but IP was not available yet" in caught.value.metadata["logs"]
    obs = await backend.observe("vm_3")
    assert (PowerState.STOPPED, "failed") == (obs.state, obs.reason)


@pytest.mark.anyio
async def test_observe_reads_tart_and_names_outside_changes(
    backend: TaartenfabriekBackend, served: Served
) -> None:
    """A VM stopped behind the app's back is seen stopped (`shutdown`), never guessed."""
    await backend.create(spec(), NullContext())
    await backend.start("vm_1", NullContext())
    served[1].tart.power_off("ci-1")  # the app's own cache still says running
    await backend.view.fresh()  # the next pass reads Tart again (poll_interval is 0.01 s)
    obs = await backend.observe("vm_1")
    assert (PowerState.STOPPED, "shutdown", ()) == (obs.state, obs.reason, obs.ip_addresses)
    assert ["vm_1"] == await backend.list_vm_ids()
    del served[1].tart.vms["ci-1"]
    await backend.view.fresh()
    with pytest.raises(BackendVMNotFoundError):
        await backend.observe("vm_1")
    assert [] == await backend.list_vm_ids()
    with pytest.raises(BackendVMNotFoundError):
        await backend.delete("vm_1", NullContext())
    assert None is backend.handles.get("vm_1")
    with pytest.raises(BackendVMNotFoundError):
        await backend.start("vm_404", NullContext())


@pytest.mark.anyio
async def test_delete_and_clone(backend: TaartenfabriekBackend, served: Served) -> None:
    """A clone is a new stopped VM (`cloned`); a delete removes the VM and its mapping."""
    await backend.create(spec(), NullContext())
    copy = await backend.clone("vm_1", spec("vm_2", "ci-1-copy", None), NullContext())
    assert (PowerState.STOPPED, "cloned") == (copy.state, copy.reason)
    assert "ci-1-copy" == backend.handles.get("vm_2")
    with pytest.raises(BackendOperationFailedError, match="already has a VM named"):
        await backend.clone("vm_1", spec("vm_3", "ci-1-copy", None), NullContext())
    await backend.delete("vm_2", NullContext())
    assert "ci-1-copy" not in served[1].tart.vms
    assert ["vm_1"] == await backend.list_vm_ids()


@pytest.mark.anyio
async def test_discover_and_adopt(backend: TaartenfabriekBackend, served: Served) -> None:
    """Working VMs made outside vmkit are found with valid names; base images are not."""
    await backend.create(spec(), NullContext())
    make_outside(served[0], "Build_Box.2")
    found = await backend.discover()
    assert [("Build_Box.2", "build-box-2", 3, 6144, 20)] == [
        (d.handle, d.name, d.cpus, d.memory_mib, d.disk_gib) for d in found
    ]
    assert (PowerState.STOPPED, True) == (
        found[0].observation.state,
        found[0].observation.extra["resources_reported"],
    )
    await backend.adopt("Build_Box.2", "vm_9")
    assert [] == await backend.discover()
    assert {"vm_1", "vm_9"} == set(await backend.list_vm_ids())
    with pytest.raises(BackendOperationFailedError, match="already vmkit VM vm_9"):
        await backend.adopt("Build_Box.2", "vm_10")
    started = await backend.start("vm_9", NullContext())
    assert PowerState.RUNNING == started.state


@pytest.mark.anyio
async def test_discovery_falls_back_to_tart_defaults_when_unreported(tmp_path: Path) -> None:
    """With `cpu` and `memory` null in the inventory, Tart's defaults are said, and flagged."""
    app = create_app(token=TOKEN, step_seconds=STEP, sparse_inventory=True)
    with serve_app(app) as url:
        make_outside(url, "sparse")
        backend = from_options({"url": url, "token": TOKEN}, state_dir=tmp_path)
        try:
            (found,) = await backend.discover()
        finally:
            await backend.close()
    assert (2, 4096, 20, False) == (
        found.cpus,
        found.memory_mib,
        found.disk_gib,
        found.observation.extra["resources_reported"],
    )


@pytest.mark.anyio
async def test_the_map_outlives_the_adapter(served: Served, tmp_path: Path) -> None:
    """A new adapter on the same state dir finds the VMs by their vmkit ids."""
    options = {"url": served[0], "token": TOKEN, "poll_interval": "0.01"}
    first = from_options(options, state_dir=tmp_path)
    await first.create(spec(), NullContext())
    await first.close()
    second = from_options(options, state_dir=tmp_path)
    try:
        assert PowerState.STOPPED == (await second.observe("vm_1")).state
    finally:
        await second.close()


@pytest.mark.anyio
async def test_cancel_and_timeout_end_the_wait(served: Served, tmp_path: Path) -> None:
    """A cancelled operation stops following its task; a task past `task_timeout` is a 504."""
    options = {"url": served[0], "token": TOKEN, "poll_interval": "0.01", "task_timeout": "0.02"}
    slow = from_options(options, state_dir=tmp_path / "slow")
    try:
        with pytest.raises(BackendTimeoutError, match="create VM 'ci-1'"):
            await slow.create(spec(), NullContext())
    finally:
        await slow.close()
    patient = from_options({**options, "task_timeout": "60"}, state_dir=tmp_path / "patient")
    ctx = NullContext()
    ctx.cancel_requested = True
    try:
        with pytest.raises(BackendOperationFailedError, match="cancelled"):
            await patient.create(spec("vm_2", "ci-2"), ctx)
    finally:
        await patient.close()


@pytest.mark.anyio
async def test_a_refused_token_or_no_app_is_unavailable(served: Served, tmp_path: Path) -> None:
    """403 means vmkit cannot use the app (503); a closed port is unreachable (503)."""
    wrong = from_options({"url": served[0], "token": "wrong"}, state_dir=tmp_path / "a")
    try:
        with pytest.raises(BackendUnavailableError, match="refused the token"):
            await wrong.host_info()
    finally:
        await wrong.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gone = from_options({"url": f"http://127.0.0.1:{port}", "token": TOKEN}, state_dir=tmp_path)
    try:
        with pytest.raises(BackendUnavailableError, match="unreachable"):
            await gone.host_info()
        with pytest.raises(BackendUnavailableError):
            await gone.discover()
    finally:
        await gone.close()


@pytest.mark.anyio
async def test_host_info_is_tart(backend: TaartenfabriekBackend) -> None:
    """The host is Tart at its version, on the app's address; CPUs and memory unpublished."""
    info = await backend.host_info()
    assert ("127.0.0.1", "tart", "2.22.4", 0, 0) == (
        info.hostname,
        info.hypervisor,
        info.hypervisor_version,
        info.cpus,
        info.memory_mib,
    )
