"""Snapshots, clones and persistence of the simulated backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sim_helpers import FakeSleep, seen, spec

from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    NullContext,
)
from vmkit_server.backends.simulated import SimulatedBackend

pytestmark = pytest.mark.anyio
MIB = 2**20


async def test_memory_snapshot_restores_a_running_vm(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """A snapshot of a running VM includes RAM; restoring it runs the VM again."""
    await backend.create(spec(), ctx)
    await backend.start("vm-1", ctx)
    info = await backend.snapshot_create("vm-1", "s1", ctx)
    await backend.stop("vm-1", ctx, timeout_seconds=5, force_after_timeout=True)
    restored = await backend.snapshot_restore("vm-1", "s1", ctx)
    assert info.includes_memory is True
    assert (info.size_bytes or 0) > 512 * MIB
    assert seen(restored) == ("running", "from_snapshot")
    assert restored.ready is True


async def test_paused_snapshot_includes_memory(backend: SimulatedBackend, ctx: NullContext) -> None:
    """A paused VM's snapshot holds RAM too, and restores to running."""
    await backend.create(spec(), ctx)
    await backend.start("vm-1", ctx)
    await backend.pause("vm-1", ctx)
    assert (await backend.snapshot_create("vm-1", "s1", ctx)).includes_memory is True
    assert seen(await backend.snapshot_restore("vm-1", "s1", ctx)) == ("running", "from_snapshot")


async def test_disk_snapshot_restores_a_stopped_vm(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """A stopped VM's snapshot is disk only; restoring it leaves the VM stopped, settings back."""
    await backend.create(spec(), ctx)
    info = await backend.snapshot_create("vm-1", "s1", ctx)
    await backend.update_resources("vm-1", cpus=8, memory_mib=4096)
    await backend.start("vm-1", ctx)
    restored = await backend.snapshot_restore("vm-1", "s1", ctx)
    assert (info.includes_memory, info.size_bytes) == (False, 16 * MIB)
    assert seen(restored) == ("stopped", "from_snapshot")
    assert (restored.ip_addresses, restored.extra["boot_count"]) == ((), 0)
    await backend.start("vm-1", ctx)
    with_ram = await backend.snapshot_create("vm-1", "s2", ctx)
    # 16 MiB base + 16 MiB for its one boot + the restored 512 MiB of RAM (not the 4096 set later).
    assert with_ram.size_bytes == 2 * 16 * MIB + 512 * MIB


async def test_snapshot_errors(backend: SimulatedBackend, ctx: NullContext) -> None:
    """Duplicate ids fail; unknown snapshots are 404; a suspended VM cannot be snapshotted."""
    await backend.create(spec(), ctx)
    await backend.snapshot_create("vm-1", "s1", ctx)
    with pytest.raises(BackendOperationFailedError):
        await backend.snapshot_create("vm-1", "s1", ctx)
    for call in (backend.snapshot_restore, backend.snapshot_delete):
        with pytest.raises(BackendSnapshotNotFoundError) as info:
            await call("vm-1", "nope", ctx)
        assert (info.value.status, info.value.code) == (404, "SNAPSHOT_NOT_FOUND")
    await backend.start("vm-1", ctx)
    await backend.suspend("vm-1", ctx)
    with pytest.raises(BackendOperationFailedError):
        await backend.snapshot_create("vm-1", "s2", ctx)


async def test_snapshot_delete(backend: SimulatedBackend, ctx: NullContext) -> None:
    """A deleted snapshot can no longer be restored; the VM is untouched."""
    await backend.create(spec(), ctx)
    await backend.start("vm-1", ctx)
    await backend.snapshot_create("vm-1", "s1", ctx)
    await backend.snapshot_delete("vm-1", "s1", ctx)
    with pytest.raises(BackendSnapshotNotFoundError):
        await backend.snapshot_restore("vm-1", "s1", ctx)
    obs = await backend.observe("vm-1")
    assert (seen(obs), obs.extra["snapshots"]) == (("running", "booted"), 0)


async def test_clone_is_stopped_and_independent(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """A clone starts stopped, has no snapshots and lives on without its source."""
    await backend.create(spec("src", "src"), ctx)
    await backend.snapshot_create("src", "s1", ctx)
    clone = await backend.clone("src", spec("dst", "dst", cpus=4), ctx)
    assert seen(clone) == ("stopped", "cloned")
    assert clone.extra["snapshots"] == 0
    started = await backend.start("dst", ctx)
    assert seen(await backend.observe("src")) == ("stopped", "created")
    await backend.delete("src", ctx)
    assert await backend.list_vm_ids() == ["dst"]
    assert seen(started) == seen(await backend.observe("dst"))


async def test_clone_refusals(backend: SimulatedBackend, ctx: NullContext) -> None:
    """Running sources and taken target ids are refused; a failed clone adds no VM."""
    await backend.create(spec("src", "src"), ctx)
    with pytest.raises(BackendOperationFailedError):
        await backend.clone("src", spec("src", "dup"), ctx)
    backend.fail_next("clone")
    with pytest.raises(BackendOperationFailedError):
        await backend.clone("src", spec("dst", "dst"), ctx)
    await backend.start("src", ctx)
    with pytest.raises(BackendOperationFailedError):
        await backend.clone("src", spec("dst", "dst"), ctx)
    assert await backend.list_vm_ids() == ["src"]


async def test_state_survives_a_new_instance(state_dir: Path, fake_sleep: FakeSleep) -> None:
    """A new backend on the same state_dir finds running VMs running, with their snapshots."""
    first = SimulatedBackend(state_dir=state_dir, sleep=fake_sleep)
    await first.open()
    await first.create(spec("vm-1"), NullContext())
    await first.start("vm-1", NullContext())
    await first.snapshot_create("vm-1", "s1", NullContext())
    before = await first.observe("vm-1")
    await first.create(spec("vm-2", "db"), NullContext())
    await first.rename("vm-2", "database")
    await first.close()

    second = SimulatedBackend(state_dir=state_dir, sleep=fake_sleep)
    await second.open()
    assert await second.list_vm_ids() == ["vm-1", "vm-2"]
    assert before == await second.observe("vm-1")
    await second.force_stop("vm-1", NullContext())
    assert seen(await second.snapshot_restore("vm-1", "s1", NullContext())) == (
        "running",
        "from_snapshot",
    )
    assert sorted(p.name for p in state_dir.iterdir()) == ["simulated.json"]
    saved = json.loads((state_dir / "simulated.json").read_text())
    assert next(vm["name"] for vm in saved["vms"] if vm["id"] == "vm-2") == "database"


async def test_every_change_is_saved_at_once(state_dir: Path, fake_sleep: FakeSleep) -> None:
    """Even without close(), another instance sees each change, including injected crashes."""
    first = SimulatedBackend(state_dir=state_dir, sleep=fake_sleep)
    await first.create(spec(), NullContext())
    await first.start("vm-1", NullContext())
    first.crash("vm-1")
    second = SimulatedBackend(state_dir=state_dir, sleep=fake_sleep)
    await second.open()
    assert seen(await second.observe("vm-1")) == ("error", "crashed")


async def test_an_empty_state_dir_starts_empty(state_dir: Path) -> None:
    """Opening on a directory with no state gives a hypervisor with no VMs."""
    backend = SimulatedBackend(state_dir=state_dir)
    await backend.open()
    assert await backend.list_vm_ids() == []


async def test_a_foreign_state_file_is_refused(state_dir: Path) -> None:
    """A file this version did not write is not silently overwritten."""
    state_dir.mkdir()
    (state_dir / "simulated.json").write_text('{"format": 99, "vms": []}')
    with pytest.raises(ValueError, match="format"):
        await SimulatedBackend(state_dir=state_dir).open()


async def test_incremental_saves_write_what_a_full_save_would(
    state_dir: Path, fake_sleep: FakeSleep
) -> None:
    """Saves that re-serialise only the changed VM still leave the whole truth on disk."""
    backend = SimulatedBackend(state_dir=state_dir, sleep=fake_sleep)
    for n in (1, 2, 3):
        await backend.create(spec(f"vm-{n}", f"web-{n}"), NullContext())
    await backend.start("vm-2", NullContext())
    await backend.rename("vm-3", "renamed")
    await backend.update_resources("vm-1", cpus=3, memory_mib=None)
    await backend.delete("vm-1", NullContext())
    on_disk = json.loads((state_dir / "simulated.json").read_text())["vms"]
    truth = {vm_id: (await backend.observe(vm_id)).state for vm_id in ("vm-2", "vm-3")}
    assert ["vm-2", "vm-3"] == [vm["id"] for vm in on_disk]
    assert {"vm-2": "running", "vm-3": "stopped"} == {vm["id"]: vm["power"] for vm in on_disk}
    assert {"vm-2": "running", "vm-3": "stopped"} == {k: str(v) for k, v in truth.items()}
    assert "renamed" == on_disk[1]["name"]
