"""A real guest's lifecycle under the QEMU backend: exact states, readiness, addresses, RAM."""

from __future__ import annotations

import pytest
from qemu_helpers import seen, sh, spec

from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendTimeoutError,
    NullContext,
    PowerState,
)
from vmkit_server.backends.qemu import QemuBackend

pytestmark = pytest.mark.anyio


async def test_lifecycle_goes_through_the_expected_states(qemu: QemuBackend) -> None:
    """Boot to ready, pause, resume, suspend and resume (RAM kept), restart, stop gracefully."""
    ctx = NullContext()
    steps = [await qemu.create(spec("vm-life"), ctx)]
    booted = await qemu.start("vm-life", ctx)
    steps.append(booted)
    await sh(qemu, "vm-life", "echo kept-in-ram > /tmp/marker")
    steps += [
        await qemu.pause("vm-life", ctx),
        await qemu.resume("vm-life", ctx),
        await qemu.suspend("vm-life", ctx),
    ]
    assert qemu.machine_pid("vm-life") is None  # suspended: no process
    steps.append(await qemu.resume("vm-life", ctx))
    assert "kept-in-ram\n" == await sh(qemu, "vm-life", "cat /tmp/marker")
    steps.append(await qemu.restart("vm-life", ctx))
    assert "" == await sh(qemu, "vm-life", "cat /tmp/marker 2>/dev/null || true")
    steps.append(await qemu.stop("vm-life", ctx, timeout_seconds=30, force_after_timeout=False))
    assert [seen(s) for s in steps] == [
        ("stopped", "created"),
        ("running", "booted"),
        ("paused", "user"),
        ("running", "unpaused"),
        ("suspended", "saved"),
        ("running", "restored"),
        ("running", "booted"),
        ("stopped", "shutdown"),
    ]
    assert booted.ready and "10.0.2.15" == booted.ip_addresses[0]
    assert [s.ready for s in steps] == [False, True, False, True, False, True, True, False]
    assert seen(steps[-1]) == seen(await qemu.observe("vm-life"))
    assert 2 == (await qemu.observe("vm-life")).extra["boots"]


async def test_force_stop_resize_and_refusals(qemu: QemuBackend) -> None:
    """Online disk growth reaches the guest; force-stop is immediate; wrong states are refused."""
    ctx = NullContext()
    await qemu.create(spec("vm-force", disk_gib=1), ctx)
    with pytest.raises(BackendOperationFailedError, match="refuses to pause"):
        await qemu.pause("vm-force", ctx)
    await qemu.start("vm-force", ctx)
    await qemu.resize_disk("vm-force", 2, ctx)
    sectors = await sh(qemu, "vm-force", "cat /sys/block/vda/size")
    assert 2 * 2**30 // 512 == int(sectors)
    fs_kib = await sh(qemu, "vm-force", "df -k /mnt | tail -1 | awk '{print $2}'")
    assert int(fs_kib) > 1.5 * 2**20  # the filesystem grew too (resize2fs in the guest)
    with pytest.raises(BackendOperationFailedError, match="disks only grow"):
        await qemu.resize_disk("vm-force", 1, ctx)
    stopped = await qemu.force_stop("vm-force", ctx)
    assert ("stopped", "destroyed") == seen(stopped)
    assert PowerState.STOPPED == (await qemu.observe("vm-force")).state
    again = await qemu.force_stop("vm-force", ctx)
    assert ("stopped", "destroyed") == seen(again)


async def test_a_guest_that_ignores_shutdown_times_out_then_is_forced(qemu: QemuBackend) -> None:
    """Without force the VM stays running after the timeout; with it, it is destroyed."""
    ctx = NullContext()
    await qemu.create(spec("vm-stubborn"), ctx)
    await qemu.start("vm-stubborn", ctx)
    # the guest no longer reacts to the power button nor to the agent's shutdown
    await sh(qemu, "vm-stubborn", "killall acpid; rm /sbin/shutdown")
    with pytest.raises(BackendTimeoutError):
        await qemu.stop("vm-stubborn", ctx, timeout_seconds=0.5, force_after_timeout=False)
    assert ("running", "booted") == seen(await qemu.observe("vm-stubborn"))
    forced = await qemu.stop("vm-stubborn", ctx, timeout_seconds=0.5, force_after_timeout=True)
    assert ("stopped", "destroyed") == seen(forced)
