"""Snapshots under the QEMU backend: disk-only of a stopped VM, disk + RAM of a running one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from qemu_helpers import seen, sh, spec

from vmkit_server.backends.base import BackendSnapshotNotFoundError, NullContext
from vmkit_server.backends.qemu import QemuBackend

pytestmark = pytest.mark.anyio

_OFFSET = 900 * 2**20  # far from the filesystem's metadata


def write_pattern(disk: Path, byte: int) -> None:
    """Write 64 KiB of `byte` into a stopped VM's disk (through its whole backing chain)."""
    subprocess.run(["qemu-io", "-f", "qcow2", "-c", f"write -P {byte} {_OFFSET} 64k", str(disk)],
                   check=True, capture_output=True)  # fmt: skip


def has_pattern(disk: Path, byte: int) -> bool:
    """True if those 64 KiB read back as `byte`."""
    proc = subprocess.run(
        ["qemu-io", "-f", "qcow2", "-c", f"read -P {byte} {_OFFSET} 64k", str(disk)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return proc.returncode == 0 and "Pattern verification failed" not in proc.stdout


def disk_of(qemu: QemuBackend, vm_id: str) -> Path:
    """A VM's writable top layer."""
    return qemu.vms_dir / vm_id / "disk.qcow2"


async def test_disk_snapshot_of_a_stopped_vm_restores_its_disk(qemu: QemuBackend) -> None:
    """What was on the disk at snapshot time comes back; the VM stays stopped."""
    ctx = NullContext()
    await qemu.create(spec("vm-snap"), ctx)
    write_pattern(disk_of(qemu, "vm-snap"), 0xAA)
    info = await qemu.snapshot_create("vm-snap", "before", ctx)
    write_pattern(disk_of(qemu, "vm-snap"), 0xBB)
    assert has_pattern(disk_of(qemu, "vm-snap"), 0xBB)
    restored = await qemu.snapshot_restore("vm-snap", "before", ctx)
    assert not info.includes_memory
    assert ("stopped", "from_snapshot") == seen(restored)
    assert has_pattern(disk_of(qemu, "vm-snap"), 0xAA)
    await qemu.snapshot_delete("vm-snap", "before", ctx)
    with pytest.raises(BackendSnapshotNotFoundError):
        await qemu.snapshot_restore("vm-snap", "before", ctx)
    assert has_pattern(disk_of(qemu, "vm-snap"), 0xAA)  # the layer is still its backing


async def test_live_snapshot_restores_a_running_guest_where_it_was(qemu: QemuBackend) -> None:
    """A snapshot of a running VM keeps it running; restoring brings back its RAM and disk."""
    ctx = NullContext()
    await qemu.create(spec("vm-live"), ctx)
    await qemu.start("vm-live", ctx)
    await sh(qemu, "vm-live", "echo before > /tmp/state; echo disk-before > /mnt/f; sync")
    info = await qemu.snapshot_create("vm-live", "s1", ctx)
    assert info.includes_memory
    assert ("running", "booted") == seen(await qemu.observe("vm-live"))
    await sh(qemu, "vm-live", "echo after > /tmp/state; echo disk-after > /mnt/f; sync")
    restored = await qemu.snapshot_restore("vm-live", "s1", ctx)
    assert ("running", "from_snapshot") == seen(restored)
    assert restored.ready
    assert "before\ndisk-before\n" == await sh(qemu, "vm-live", "cat /tmp/state /mnt/f")
    assert 1 == restored.extra["boots"]  # restored, not booted again
