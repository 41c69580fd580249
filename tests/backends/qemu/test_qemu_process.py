"""QEMU processes: the boot queue, re-adoption by a new backend, a process killed outside."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path

import pytest
from qemu_helpers import kill_all, poll, qemu_pids, seen, sh, spec

from vmkit_server.backends.base import BackendError, BackendTimeoutError, NullContext, PowerState
from vmkit_server.backends.guest import ExecRequest
from vmkit_server.backends.qemu import QemuBackend
from vmkit_server.backends.qemu._options import parse_options

pytestmark = pytest.mark.anyio


async def test_boots_past_the_limit_wait_and_a_new_backend_re_adopts_them(
    tmp_path: Path, qemu_options: dict[str, str]
) -> None:
    """With one boot slot two starts never overlap; a second backend finds both running."""
    first = QemuBackend(tmp_path / "q", parse_options({**qemu_options, "boot_concurrency": "1"}))
    await first.open()
    second = QemuBackend(tmp_path / "q", parse_options(qemu_options))
    try:
        ctx = NullContext()
        for vm_id in ("vm-one", "vm-two"):
            await first.create(spec(vm_id), ctx)
        started = await asyncio.gather(*(first.start(v, ctx) for v in ("vm-one", "vm-two")))
        assert [("running", "booted")] * 2 == [seen(s) for s in started]
        assert (1, 2, 0) == (
            first.boot_queue.max_active,
            first.boot_queue.total,
            first.boot_queue.waiting,
        )
        assert any("waiting for a boot slot" in m for _, m in ctx.logs)
        pid = first.machine_pid("vm-one")
        await first.close()  # the server goes away; its VMs keep running

        await second.open()
        assert ["vm-one", "vm-two"] == sorted(await second.list_vm_ids())
        adopted = await second.observe("vm-one")
        assert ("running", "booted") == seen(adopted)
        assert adopted.ready and "10.0.2.15" == adopted.ip_addresses[0]
        assert pid == second.machine_pid("vm-one")
        assert "6" in await sh(second, "vm-one", "uname -r")

        assert pid is not None
        os.kill(pid, signal.SIGKILL)  # someone kills QEMU behind the backend's back

        async def gone() -> bool:
            return (await second.observe("vm-one")).state is not PowerState.RUNNING

        await poll(gone)
        assert ("error", "crashed") == seen(await second.observe("vm-one"))
        assert ("running", "booted") == seen(await second.observe("vm-two"))
        back = await second.start("vm-one", ctx)  # error -> start is allowed
        assert ("running", "booted") == seen(back)
    finally:
        await first.close()
        await kill_all(second)


async def test_a_guest_that_powers_itself_off_reads_as_shutdown(qemu: QemuBackend) -> None:
    """The guest's own poweroff is told apart from a crash: stopped, reason `shutdown`."""
    ctx = NullContext()
    await qemu.create(spec("vm-self"), ctx)
    await qemu.start("vm-self", ctx)
    # the agent may go down before it reports on the command: that is fine here
    with contextlib.suppress(BackendError):
        await qemu.exec("vm-self", ExecRequest("poweroff"))

    async def off() -> bool:
        return (await qemu.observe("vm-self")).state is PowerState.STOPPED

    await poll(off)
    assert ("stopped", "shutdown") == seen(await qemu.observe("vm-self"))


async def test_a_boot_that_times_out_leaves_no_process(
    tmp_path: Path, qemu_options: dict[str, str]
) -> None:
    """A failed start kills what it launched: the VM is stopped (`failed`), no QEMU runs."""
    backend = QemuBackend(tmp_path / "q", parse_options({**qemu_options, "boot_timeout": "0.3"}))
    await backend.open()
    try:
        await backend.create(spec("vm-slow"), NullContext())
        with pytest.raises(BackendTimeoutError) as failed:
            await backend.start("vm-slow", NullContext())
        assert "qemu_log_tail" in failed.value.metadata
        assert ("stopped", "failed") == seen(await backend.observe("vm-slow"))
        assert [] == qemu_pids(str(tmp_path))
    finally:
        await kill_all(backend)
