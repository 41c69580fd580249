"""A thin async wrapper over `qemu.qmp.QMPClient`: one connection per QEMU process.

QMP on a unix socket serves one client at a time, so the backend keeps this connection for
the life of the process and every caller shares it (QMPClient multiplexes commands).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

from qemu.qmp import ExecInterruptedError, ExecuteError, QMPClient, QMPError, Runstate

__all__ = ["FAILED_STATES", "PAUSED_STATES", "Monitor", "MonitorError"]

#: Run states in which the vCPUs are stopped but the process lives (see `query-status`).
PAUSED_STATES = frozenset(
    {"paused", "suspended", "prelaunch", "postmigrate", "finish-migrate", "inmigrate",
     "save-vm", "restore-vm", "debug", "watchdog", "colo"}
)  # fmt: skip
#: Run states that mean the guest failed.
FAILED_STATES = frozenset({"internal-error", "io-error", "guest-panicked", "shutdown"})


class MonitorError(Exception):
    """A QMP command failed, timed out or the connection broke."""


class Monitor:
    """The QMP connection to one QEMU process.

    Args:
        name: A name for log messages (the VM's id).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._client = QMPClient(name)

    async def connect(self, socket: Path, timeout: float = 5.0) -> None:
        """Connect and negotiate.

        Raises:
            MonitorError: No answer within `timeout` (QEMU is gone, or another client
                holds the socket).
        """
        try:
            await asyncio.wait_for(self._client.connect(str(socket)), timeout)
        except (QMPError, OSError, TimeoutError) as exc:
            await self.close()
            raise MonitorError(f"cannot connect to QMP at {socket}: {exc!r}") from exc

    @property
    def connected(self) -> bool:
        """True while the connection is up."""
        return self._client.runstate is Runstate.RUNNING

    async def execute(
        self, command: str, arguments: dict[str, Any] | None = None, timeout: float = 10.0
    ) -> Any:
        """Run one command and return its `return` value.

        Raises:
            MonitorError: QEMU answered with an error, did not answer within `timeout`,
                or the connection broke.
        """
        try:
            return await asyncio.wait_for(self._client.execute(command, arguments), timeout)
        except ExecuteError as exc:
            raise MonitorError(f"{command} failed: {exc}") from exc
        except (QMPError, EOFError, OSError, TimeoutError) as exc:
            raise MonitorError(f"{command}: the monitor did not answer ({exc!r})") from exc

    async def status(self) -> str:
        """The run state (`running`, `paused`, `inmigrate`, ...)."""
        return str((await self.execute("query-status"))["status"])

    async def wait_status(self, predicate: Any, timeout: float) -> str:
        """Poll the run state until `predicate(status)` holds.

        Raises:
            MonitorError: It did not within `timeout`, or the monitor broke.
        """
        deadline = time.monotonic() + timeout
        while True:
            status = await self.status()
            if predicate(status):
                return status
            if time.monotonic() >= deadline:
                raise MonitorError(f"still {status!r} after {timeout}s")
            await asyncio.sleep(0.02)

    async def save_ram(self, target: Path, timeout: float) -> None:
        """Stop the vCPUs and migrate RAM and device state into `target`.

        QEMU 7.2 has no `file:` migration URI, so `exec:cat` writes the stream.

        Raises:
            MonitorError: The migration failed or took longer than `timeout` (the vCPUs
                stay stopped).
        """
        await self.execute("stop")
        await self.execute("migrate-set-parameters", {"max-bandwidth": 1 << 40})
        quoted = "'" + str(target).replace("'", "'\\''") + "'"
        await self.execute("migrate", {"uri": f"exec:cat > {quoted}"})
        deadline = time.monotonic() + timeout
        while True:
            info = await self.execute("query-migrate")
            state = info.get("status")
            if state == "completed":
                return
            if state in ("failed", "cancelled"):
                raise MonitorError(f"saving RAM failed: {info.get('error-desc', state)}")
            if time.monotonic() >= deadline:
                with contextlib.suppress(MonitorError):
                    await self.execute("migrate_cancel")
                raise MonitorError(f"saving RAM took longer than {timeout}s")
            await asyncio.sleep(0.02)

    async def quit(self) -> None:
        """Ask QEMU to exit at once; the connection ends with it."""
        # after `quit` the reply may never come: the socket closes first (EOFError)
        with contextlib.suppress(MonitorError, ExecInterruptedError, EOFError):
            await self.execute("quit", timeout=2.0)
        await self.close()

    async def close(self) -> None:
        """Disconnect (never raises)."""
        with contextlib.suppress(QMPError, EOFError, OSError):
            await self._client.disconnect()
