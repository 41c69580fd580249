"""Helpers for the QEMU backend tests: small specs, guest commands, exact state pairs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from vmkit_server.backends.base import Observation, VMSpec
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
    result = await backend.exec(vm_id, ["/bin/sh", "-c", script])
    assert 0 == result.exit_code, result.stderr.decode()
    return result.stdout.decode()


async def poll(check: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    """Wait until `check()` is true (a deadline, not a sleep in an assertion)."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        await asyncio.sleep(0.02)
