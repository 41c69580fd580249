"""Guest access and the image catalog of the QEMU backend (`GuestAccess`, `ImageCatalog`).

Commands and files go through the guest agent (`_exec`, `_files`), the console through
the serial port's socket and log (`_console`), screenshots through QMP (`_screen`). A
guest whose agent does not answer is `GuestNotReadyError` (409): it is still booting, or
its agent died.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

from ..base import BackendOperationFailedError, PowerState
from ..guest import (
    ConsoleChunk,
    ExecRequest,
    ExecResult,
    GuestNotReadyError,
    ImageInfo,
)
from ._agent import AgentError, GuestAgent
from ._console import read_chunk, type_into
from ._disk_ops import DiskOps
from ._exec import run_command
from ._files import read_file, write_file
from ._image import DEFAULT_IMAGE, Image, built_images
from ._machine import Machine
from ._qmp import MonitorError
from ._screen import screenshot

__all__ = ["GuestOps", "image_info"]

P = PowerState
T = TypeVar("T")
GIB = 1 << 30


def image_info(image: Image) -> ImageInfo:
    """How the catalog shows a built image.

    Args:
        image: The image.

    Returns:
        Its catalog entry (the default image flagged).
    """
    guest = image.manifest.get("guest", {})
    sizes = image.manifest.get("sizes", {})
    kernel = guest.get("kernel_release", "a Linux kernel")
    described = (
        f"Tiny Linux guest: Debian kernel {kernel}, busybox initramfs, qemu-guest-agent "
        "(built by scripts/build-test-guest)"
    )
    return ImageInfo(
        name=image.name,
        description=str(image.manifest.get("description") or described),
        os=str(guest.get("os", "linux")),
        arch=str(guest.get("arch", "x86_64")),
        disk_gib=max(1, math.ceil(image.disk_bytes / GIB)),
        size_bytes=sum(int(v) for v in sizes.values()) if sizes else None,
        default=image.name == DEFAULT_IMAGE,
    )


class GuestOps(DiskOps):
    """Exec, files, console, screenshots and images: the guest-facing half of the backend."""

    #: Create must name a built image (the server answers 422 `IMAGE_NOT_FOUND` otherwise).
    requires_known_image = True

    async def _running(self, vm_id: str, action: str) -> Machine:
        """The VM's process, if its guest runs; `GuestNotReadyError` otherwise."""
        rec = self._rec(vm_id)
        # while an action holds the VM, a vanished process is that action's to explain
        power = await self._power(rec, settle=not self._lock(vm_id).locked())
        machine = self._machine(rec)
        if power is not P.RUNNING or machine is None:
            raise GuestNotReadyError(
                f"cannot {action}: VM {vm_id} is {power}, its guest is not running",
                metadata={"vm_id": vm_id, "state": str(power)},
            )
        return machine

    async def _with_agent(
        self, vm_id: str, action: str, call: Callable[[GuestAgent], Awaitable[T]]
    ) -> T:
        machine = await self._running(vm_id, action)
        try:
            return await call(machine.agent)
        except AgentError as exc:
            metadata = {"action": action, "vm_id": vm_id, "error_class": exc.error_class}
            if exc.error_class is None:  # no answer at all, not an answer saying no
                self._ready[vm_id] = False
                raise GuestNotReadyError(
                    f"the guest agent of VM {vm_id} does not answer: {exc}", metadata=metadata
                ) from exc
            raise BackendOperationFailedError(
                f"{action} in VM {vm_id} failed: {exc}", metadata=metadata
            ) from exc

    async def exec(self, vm_id: str, request: ExecRequest) -> ExecResult:
        """Run a command in the guest to its end (see `_exec` for how a timeout kills it).

        Raises:
            ExecTimeoutError: It outlived `request.timeout_seconds` and was killed.
            GuestNotReadyError: The guest does not run or its agent does not answer.
            BackendOperationFailedError: The agent refused the command.
        """
        return await self._with_agent(vm_id, "exec", lambda a: run_command(a, request))

    async def read_file(self, vm_id: str, path: str, *, max_bytes: int) -> bytes:
        """A file's bytes from the guest.

        Raises:
            GuestFileNotFoundError: No such file (or a directory).
            GuestFileTooLargeError: More than `max_bytes` (413).
            GuestNotReadyError: The guest does not run or its agent does not answer.
        """
        return await self._with_agent(vm_id, "read_file", lambda a: read_file(a, path, max_bytes))

    async def write_file(self, vm_id: str, path: str, data: bytes, *, mode: int | None) -> None:
        """Create or replace a file in the guest (a new file gets 0644 unless `mode` is given).

        Raises:
            GuestFileNotFoundError: Its directory does not exist.
            GuestNotReadyError: The guest does not run or its agent does not answer.
        """
        await self._with_agent(vm_id, "write_file", lambda a: write_file(a, path, data, mode))

    async def console_read(self, vm_id: str, offset: int | None, max_bytes: int) -> ConsoleChunk:
        """Serial console output by byte offset, in any state (the log outlives the process).

        Offsets count from the VM's first boot and never go back; about the last 4 MiB are
        kept (`start_offset` says where they begin).
        """
        return read_chunk(self._paths(self._rec(vm_id)), offset, max_bytes)

    async def console_write(self, vm_id: str, data: bytes) -> None:
        """Type `data` into the serial console (a root shell runs there in the test guest).

        Raises:
            GuestNotReadyError: No process runs, or its console socket does not take input.
        """
        machine = await self._running(vm_id, "type into the console")
        try:
            await type_into(machine.paths, data)
        except OSError as exc:
            raise GuestNotReadyError(
                f"the serial console of VM {vm_id} does not take input: {exc}",
                metadata={"vm_id": vm_id},
            ) from exc

    async def screenshot(self, vm_id: str) -> bytes:
        """The VGA display as PNG (QMP `screendump`).

        Raises:
            GuestNotReadyError: The VM does not run.
            BackendOperationFailedError: QEMU could not take the picture.
        """
        machine = await self._running(vm_id, "take a screenshot")
        try:
            return await screenshot(await machine.monitor(), machine.paths.root)
        except (MonitorError, OSError, ValueError) as exc:
            raise BackendOperationFailedError(
                f"screenshot of VM {vm_id} failed: {exc}", metadata={"vm_id": vm_id}
            ) from exc

    async def list_images(self) -> list[ImageInfo]:
        """Every image built under the images directory (`vmkit/test-guest` is the default)."""
        return [image_info(image) for image in built_images(self.images_dir)]
