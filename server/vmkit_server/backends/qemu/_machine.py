"""One VM's QEMU process and what can be done to it: boot, restore, save, stop, kill.

These functions know QEMU and the guest, not the backend's records: the backend decides
when to call them and what state results.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from ._agent import GuestAgent
from ._console import log_size, read_since, trim
from ._process import MachineSpec, build_argv, is_alive, kill, launch, wait_exit
from ._qmp import PAUSED_STATES, Monitor
from ._state import VMPaths

__all__ = ["BootError", "Machine", "boot", "restore", "save_and_exit"]

#: What the test guest's rcS prints on the serial console when it finished booting.
READY_MARKER = b"VMKIT-READY"
#: What the kernel prints when the guest powers itself off (rather than crashing).
POWER_DOWN = b"reboot: Power down"


class BootError(Exception):
    """The guest did not come up.

    Args:
        message: What happened.
        timed_out: True if it simply took too long.
    """

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class Machine:
    """A running QEMU process of one VM, with its QMP and guest agent connections.

    Args:
        vm_id: The VM (QEMU's `-name`).
        paths: Its files.
        pid: The QEMU daemon's pid.
        accel: Its accelerator.
        log_mark: The serial log's size when this process started.
    """

    def __init__(
        self, vm_id: str, paths: VMPaths, pid: int, accel: str | None, log_mark: int = 0
    ) -> None:
        self.vm_id = vm_id
        self.paths = paths
        self.pid = pid
        self.accel = accel
        self.log_mark = log_mark
        self.agent = GuestAgent(paths.agent)
        self._monitor: Monitor | None = None
        self._connecting = asyncio.Lock()

    def alive(self) -> bool:
        """True while the process runs."""
        return is_alive(self.pid, self.vm_id)

    async def monitor(self) -> Monitor:
        """The QMP connection, made on first use and shared after.

        Raises:
            MonitorError: QEMU does not answer.
        """
        async with self._connecting:
            if self._monitor is None or not self._monitor.connected:
                monitor = Monitor(self.vm_id)
                await monitor.connect(self.paths.qmp)
                self._monitor = monitor
            return self._monitor

    async def close(self) -> None:
        """Drop both connections; the process keeps running."""
        await self.agent.close()
        if self._monitor is not None:
            monitor, self._monitor = self._monitor, None
            await monitor.close()

    async def power_off(self, timeout: float = 10.0) -> None:
        """SIGKILL the process and wait until it is gone."""
        kill(self.pid, self.vm_id)
        await wait_exit(self.pid, self.vm_id, timeout)
        await self.close()

    async def graceful_stop(self, timeout: float) -> bool:
        """Ask the guest to power off (guest agent and ACPI) and wait up to `timeout`.

        Returns:
            True if QEMU exited in time.
        """
        with contextlib.suppress(Exception):
            monitor = await self.monitor()
            if (await monitor.status()) in PAUSED_STATES:
                await monitor.execute("cont")
        # both roads lead to poweroff: the agent is quicker, ACPI works without it
        with contextlib.suppress(Exception):
            await self.agent.shutdown(timeout=min(1.0, timeout))
        with contextlib.suppress(Exception):
            await (await self.monitor()).execute("system_powerdown")
        exited = await wait_exit(self.pid, self.vm_id, timeout)
        if exited:
            await self.close()
        return exited


def powered_off_by_guest(paths: VMPaths, since: int) -> bool:
    """True if the process that started at log offset `since` ended with the kernel
    powering off (not with a crash or a kill)."""
    return POWER_DOWN in read_since(paths, since, limit=512)


async def _wait_marker(machine: Machine, deadline: float) -> None:
    log = machine.paths.serial_log
    position = machine.log_mark
    while True:
        with contextlib.suppress(OSError), log.open("rb") as fh:
            fh.seek(max(machine.log_mark, position - len(READY_MARKER)))
            seen = fh.read()
            if READY_MARKER in seen:
                return
            position = fh.tell()
        if not machine.alive():
            raise BootError("QEMU exited while the guest booted")
        if time.monotonic() >= deadline:
            raise BootError("the guest did not finish booting in time", timed_out=True)
        await asyncio.sleep(0.02)


async def boot(qemu: str, spec: MachineSpec, paths: VMPaths, timeout: float) -> Machine:
    """Cold-boot a VM and return once its guest agent answers.

    On failure the process is killed before the error propagates.

    Raises:
        LaunchError: QEMU did not start.
        BootError: The guest did not come up within `timeout`.
    """
    deadline = time.monotonic() + timeout
    mark = _log_mark(paths)
    pid = await launch(build_argv(qemu, spec, paths, incoming=None), paths)
    machine = Machine(spec.name, paths, pid, spec.accel, mark)
    try:
        await _wait_marker(machine, deadline)
        await _agent_ready(machine, deadline)
    except BaseException:
        await machine.power_off()
        raise
    return machine


def _log_mark(paths: VMPaths) -> int:
    """Where the serial output of a process about to start will begin (trimming first)."""
    trim(paths)
    return log_size(paths)


async def _agent_ready(machine: Machine, deadline: float) -> None:
    try:
        await machine.agent.wait_ready(max(1.0, deadline - time.monotonic()))
    except Exception as exc:
        if not machine.alive():
            raise BootError("QEMU exited while the guest booted") from exc
        raise BootError(f"the guest agent did not answer: {exc}", timed_out=True) from exc


async def restore(
    qemu: str, spec: MachineSpec, paths: VMPaths, ram: Path, *, run: bool, timeout: float
) -> Machine:
    """Start a VM from saved RAM (`-incoming`), paused or running.

    Args:
        qemu: The QEMU binary.
        spec: The machine; it must match the one that saved `ram`.
        paths: The VM's files.
        ram: The saved state.
        run: Continue the vCPUs (and wait for the agent) rather than stay paused.
        timeout: Seconds for the whole restore.

    Raises:
        LaunchError: QEMU did not start.
        BootError: Loading failed or took longer than `timeout` (the process is killed).
    """
    deadline = time.monotonic() + timeout
    mark = _log_mark(paths)
    pid = await launch(build_argv(qemu, spec, paths, incoming=ram), paths)
    machine = Machine(spec.name, paths, pid, spec.accel, mark)
    try:
        monitor = await machine.monitor()
        try:
            await monitor.wait_status(lambda s: s != "inmigrate", deadline - time.monotonic())
        except Exception as exc:
            raise BootError(f"loading the saved RAM failed: {exc}") from exc
        if run:
            await monitor.execute("cont")
            await _agent_ready(machine, deadline)
    except BaseException:
        await machine.power_off()
        raise
    return machine


async def save_and_exit(machine: Machine, target: Path, timeout: float) -> None:
    """Save the VM's RAM into `target` and end its process.

    Raises:
        MonitorError: Saving failed; the VM is left paused and its process alive.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    monitor = await machine.monitor()
    try:
        await monitor.save_ram(partial, timeout)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    await monitor.quit()
    if not await wait_exit(machine.pid, machine.vm_id, 10.0):
        kill(machine.pid, machine.vm_id)
        await wait_exit(machine.pid, machine.vm_id, 10.0)
    await machine.close()
    partial.replace(target)
