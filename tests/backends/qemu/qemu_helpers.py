"""Helpers for the QEMU backend tests: small specs, guest commands, exact state pairs."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from vmkit_server.backends.base import BackendError, NullContext, Observation, VMSpec
from vmkit_server.backends.guest import ExecRequest
from vmkit_server.backends.qemu import QemuBackend


def spec(vm_id: str, *, disk_gib: int = 1, memory_mib: int = 128) -> VMSpec:
    """The smallest VM the test guest runs in."""
    return VMSpec(
        id=vm_id, name=vm_id, cpus=1, memory_mib=memory_mib, disk_gib=disk_gib,
        image="vmkit/test-guest", labels={},
    )  # fmt: skip


def seen(obs: Observation) -> tuple[str, str | None]:
    """(state, reason) of an observation."""
    return (str(obs.state), obs.reason)


async def sh(backend: QemuBackend, vm_id: str, script: str) -> str:
    """Run a shell script in the guest; return its stdout (it must exit 0)."""
    result = await backend.exec(vm_id, ExecRequest(script))
    assert 0 == result.exit_code, result.stderr.decode()
    return result.stdout.decode()


async def poll(check: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    """Wait until `check()` is true (a deadline, not a sleep in an assertion)."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        await asyncio.sleep(0.02)


def qemu_pids(marker: str) -> list[int]:
    """Live (not zombie) QEMU processes whose command line contains `marker`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except (OSError, IndexError):
            continue
        named = any(marker.encode() in arg for arg in argv)
        if named and state not in ("Z", "X") and b"qemu-system" in argv[0]:
            found.append(int(proc.name))
    return found


async def kill_all(backend: QemuBackend) -> None:
    """Force-stop and delete every VM of `backend` (ignoring failures) and close it.

    Deleting also removes socket directories that long paths put under /tmp.
    """
    await backend.open()  # re-reads records, in case a test used another instance meanwhile
    for vm_id in await backend.list_vm_ids():
        with contextlib.suppress(BackendError):
            await backend.force_stop(vm_id, NullContext())
            await backend.delete(vm_id, NullContext())
    await backend.close()
