"""`vm.console.output` events: what powered VMs print, while someone listens for it.

Backends keep a VM's serial console as a buffer read by byte offset (`console_read`); none
pushes output. So while at least one live stream names console output in its types, one
task reads, every `interval` seconds, what each watched VM printed since the last read and
appends it to the event log as `vm.console.output`. Nothing is polled, and nothing is
written to the log, while nobody listens: console output would otherwise crowd the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable

from ..backends.base import BackendError
from ..backends.guest import ConsoleChunk, GuestAccess
from .context import Services

__all__ = ["CONSOLE_OUTPUT", "ConsoleWatcher", "names_console_output"]

log = logging.getLogger("vmkit_server.events")

#: The event type.
CONSOLE_OUTPUT = "vm.console.output"
# A VM prints while it boots, runs or shuts down.
_POWERED = frozenset({"starting", "running", "stopping"})
# Reads to find the end of a buffer, at most (the buffers are bounded).
_MAX_SKIP_READS = 64


def names_console_output(types: tuple[str, ...]) -> bool:
    """Whether type patterns ask for console output by name (`vm.console.output`, `vm.console.*`).

    Broader patterns (`vm.*`, `*`) match console events others caused, but do not make the
    server produce them.

    Args:
        types: The stream's type patterns.

    Returns:
        True if one of them names it.
    """
    return any(p in (CONSOLE_OUTPUT, "vm.console.*") for p in types)


class ConsoleWatcher:
    """Turns new console output of watched VMs into events while it has listeners.

    Args:
        svc: The shared services.
        interval: Seconds between two reads of a VM's console.
        max_bytes: The most bytes one event carries.
    """

    def __init__(self, svc: Services, *, interval: float = 0.25, max_bytes: int = 16384) -> None:
        self._svc = svc
        self.interval = interval
        self._max_bytes = max_bytes
        self._listeners: Counter[str | None] = Counter()
        self._offsets: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        """Whether the watcher is reading consoles."""
        return self._task is not None and not self._task.done()

    def supported(self) -> bool:
        """Whether the backend offers console output at all.

        Returns:
            True if it declares the `console` capability and can read consoles.
        """
        backend = self._svc.backend
        return backend.capabilities.supports("console") and isinstance(backend, GuestAccess)

    def acquire(self, vm_id: str | None) -> Callable[[], None]:
        """Listen to one VM's console (all VMs when None) until the returned call.

        Args:
            vm_id: The VM, or None for every VM.

        Returns:
            The release function (calling it twice is harmless).
        """
        if not self.supported():
            return lambda: None
        self._listeners[vm_id] += 1
        if self._task is None:
            self._offsets.clear()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="console-watch")
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self._listeners[vm_id] -= 1
            if self._listeners[vm_id] <= 0:
                del self._listeners[vm_id]
            if not self._listeners:
                self.close()

        return release

    def close(self) -> None:
        """Stop reading consoles."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()

    async def _run(self) -> None:
        await self._skip_existing()
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.poll()
            except Exception:  # one bad pass must not end the watch
                log.exception("reading VM consoles failed")

    async def _skip_existing(self) -> None:
        """Start at the end of every VM's buffer: what was printed before is no news."""
        with self._svc.store.read() as tx:
            vms = tx.all_vms()
        for vm in vms:
            offset: int | None = None
            for _ in range(_MAX_SKIP_READS):
                chunk = await self._read(vm.id, offset)
                if chunk is None:
                    break
                offset = chunk.next_offset
                if not chunk.data:
                    break
            if offset is not None:
                self._offsets[vm.id] = offset

    async def poll(self) -> int:
        """Read every watched, powered VM's new output once and record it.

        A VM first seen now (created after the watch began) is read from the oldest byte
        its backend keeps.

        Returns:
            How many events were recorded.
        """
        with self._svc.store.read() as tx:
            vms = tx.all_vms()
        every = None in self._listeners
        present = {vm.id for vm in vms}
        self._offsets = {k: v for k, v in self._offsets.items() if k in present}
        recorded = 0
        for vm in vms:
            if vm.state not in _POWERED or not (every or vm.id in self._listeners):
                continue
            chunk = await self._read(vm.id, self._offsets.get(vm.id))
            if chunk is None:
                continue
            self._offsets[vm.id] = chunk.next_offset
            if chunk.data:
                self._record(vm.id, vm.name, chunk)
                recorded += 1
        return recorded

    async def _read(self, vm_id: str, offset: int | None) -> ConsoleChunk | None:
        backend = self._svc.backend
        if not isinstance(backend, GuestAccess):
            return None
        with contextlib.suppress(BackendError):  # gone, or the host is down: next time
            return await backend.console_read(vm_id, offset, self._max_bytes)
        return None

    def _record(self, vm_id: str, vm_name: str, chunk: ConsoleChunk) -> None:
        with self._svc.store.tx() as tx:
            tx.append_event(
                CONSOLE_OUTPUT,
                subject_type="vm",
                subject_id=vm_id,
                vm_id=vm_id,
                data={
                    "vm_name": vm_name,
                    "console": {
                        "data": chunk.data.decode("utf-8", errors="replace"),
                        "offset": chunk.offset,
                        "next_offset": chunk.next_offset,
                        "start_offset": chunk.start_offset,
                    },
                },
            )
