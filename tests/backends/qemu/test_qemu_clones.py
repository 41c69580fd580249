"""Clones under the QEMU backend: copy-on-write, constant cost, safe backing chains."""

from __future__ import annotations

import subprocess

import pytest
from qemu_helpers import seen, sh, spec
from test_qemu_snapshots import disk_of, has_pattern, write_pattern

from vmkit_server.backends.base import NullContext
from vmkit_server.backends.qemu import QemuBackend
from vmkit_server.backends.qemu._disks import chain

pytestmark = pytest.mark.anyio


async def test_clone_costs_the_same_for_a_small_and_a_huge_disk(qemu: QemuBackend) -> None:
    """No data is copied: the source's file becomes a shared layer (same inode) either way."""
    ctx = NullContext()
    added = {}
    for vm_id, gib in (("vm-small", 1), ("vm-huge", 500)):
        await qemu.create(spec(vm_id, disk_gib=gib), ctx)
        write_pattern(disk_of(qemu, vm_id), 0x5A)
        before = disk_of(qemu, vm_id).stat().st_ino
        clone = await qemu.clone(vm_id, spec(f"{vm_id}-copy", disk_gib=1), ctx)
        assert ("stopped", "cloned") == seen(clone)
        layer = chain(disk_of(qemu, f"{vm_id}-copy"))[1]
        assert before == layer.stat().st_ino  # renamed, not copied
        assert layer == chain(disk_of(qemu, vm_id))[1]  # both sides share it
        added[gib] = (
            disk_of(qemu, vm_id).stat().st_size,
            disk_of(qemu, f"{vm_id}-copy").stat().st_size,
        )
        assert has_pattern(disk_of(qemu, f"{vm_id}-copy"), 0x5A)
    # the new files are empty overlays: their size does not depend on the disk's
    assert max(max(sizes) for sizes in added.values()) < 1 << 20


async def test_deleting_a_source_never_breaks_its_clone(qemu: QemuBackend) -> None:
    """The source goes, the shared layer stays; the clone still reads its data and boots."""
    ctx = NullContext()
    await qemu.create(spec("vm-src"), ctx)
    write_pattern(disk_of(qemu, "vm-src"), 0x11)
    await qemu.clone("vm-src", spec("vm-dst"), ctx)
    write_pattern(disk_of(qemu, "vm-src"), 0x22)  # the source moves on; the clone must not see it
    await qemu.delete("vm-src", ctx)
    assert ["vm-dst"] == await qemu.list_vm_ids()
    assert has_pattern(disk_of(qemu, "vm-dst"), 0x11)
    check = subprocess.run(["qemu-img", "check", str(disk_of(qemu, "vm-dst"))], check=False,
                           capture_output=True)  # fmt: skip
    assert 0 == check.returncode
    assert 1 == len(list(qemu.layers_dir.glob("*.qcow2")))
    booted = await qemu.start("vm-dst", ctx)
    assert booted.ready
    assert "hello from data disk\n" == await sh(qemu, "vm-dst", "cat /mnt/hello.txt")
    await qemu.force_stop("vm-dst", ctx)
    await qemu.delete("vm-dst", ctx)
    assert [] == list(qemu.layers_dir.glob("*.qcow2"))  # nothing left behind


async def test_resize_offline_and_resource_changes(qemu: QemuBackend) -> None:
    """A stopped VM's disk grows with qemu-img; CPUs and RAM change while it is stopped."""
    ctx = NullContext()
    await qemu.create(spec("vm-grow"), ctx)
    grown = await qemu.resize_disk("vm-grow", 3, ctx)
    assert 3 * 2**30 == grown.extra["disk_bytes"]
    info = subprocess.run(["qemu-img", "info", "--output=json", str(disk_of(qemu, "vm-grow"))],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip
    assert f'"virtual-size": {3 * 2**30}' in info
    await qemu.update_resources("vm-grow", cpus=2, memory_mib=192)
    await qemu.rename("vm-grow", "grown")
    assert ("stopped", "created") == seen(await qemu.observe("vm-grow"))
