"""What a backend may offer beyond the lifecycle: guest access, disk growth, an image catalog.

Each is a Protocol of its own, so a backend implements only what its `Capabilities`
declare; the server checks the capability (501 otherwise) before calling. The errors here
extend the `BackendError` tree of `base`::

    BackendError
    ├── ExecTimeoutError          504 EXEC_TIMEOUT
    ├── GuestFileNotFoundError    404 FILE_NOT_FOUND
    ├── GuestNotReadyError        409 GUEST_NOT_READY
    └── ImageNotFoundError        422 IMAGE_NOT_FOUND
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from .base import BackendError, NotSupported, Observation, OperationContext

__all__ = [
    "ConsoleChunk",
    "DiskResizer",
    "ExecRequest",
    "ExecResult",
    "ExecTimeoutError",
    "GuestAccess",
    "GuestFileNotFoundError",
    "GuestNotReadyError",
    "GuestNotSupported",
    "ImageCatalog",
    "ImageInfo",
    "ImageNotFoundError",
]


@dataclass(frozen=True)
class ExecRequest:
    """A command to run in a guest.

    Attributes:
        command: An argv list (run as is) or a shell string (run with ``/bin/sh -c``).
        env: Extra environment variables.
        stdin: Bytes given on standard input.
        timeout_seconds: Kill the command after this long and raise `ExecTimeoutError`.
    """

    command: Sequence[str] | str
    env: Mapping[str, str] = field(default_factory=dict)
    stdin: bytes = b""
    timeout_seconds: float = 60.0

    @property
    def argv(self) -> list[str]:
        """The command as an argv list (a shell string becomes ``/bin/sh -c <string>``)."""
        if isinstance(self.command, str):
            return ["/bin/sh", "-c", self.command]
        return list(self.command)


@dataclass(frozen=True)
class ExecResult:
    """How a command ended.

    Attributes:
        exit_code: Its exit status.
        stdout: Standard output (at most what the backend keeps).
        stderr: Standard error.
        stdout_truncated: True when output was cut.
        stderr_truncated: True when error output was cut.
        duration_seconds: How long it ran.
    """

    exit_code: int
    stdout: bytes
    stderr: bytes
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    duration_seconds: float = 0.0


@dataclass(frozen=True)
class ConsoleChunk:
    """A piece of a VM's serial console output.

    Attributes:
        data: The bytes.
        offset: The byte offset `data` starts at.
        next_offset: The offset to read from next.
        start_offset: The oldest offset still kept.
    """

    data: bytes
    offset: int
    next_offset: int
    start_offset: int


@dataclass(frozen=True)
class ImageInfo:
    """An image a backend can create VMs from.

    Attributes:
        name: What users pass as ``image``.
        description: For people.
        os: The guest OS (``linux``, ``macos``).
        arch: The guest architecture (``x86_64``, ``arm64``).
        disk_gib: Its disk's virtual size.
        size_bytes: Space it takes on the host, if known.
        default: Whether VMs created without ``image`` use it.
    """

    name: str
    description: str
    os: str
    arch: str
    disk_gib: int
    size_bytes: int | None = None
    default: bool = False


@runtime_checkable
class GuestAccess(Protocol):
    """Reaching into a running guest (capabilities `exec`, `files`, `console`, `screenshot`).

    Every method raises `BackendVMNotFoundError` for an unknown VM and
    `GuestNotReadyError` when the guest (or its agent) cannot be reached.
    """

    async def exec(self, vm_id: str, request: ExecRequest) -> ExecResult:
        """Run a command to its end; raise `ExecTimeoutError` after its timeout."""

    async def read_file(self, vm_id: str, path: str, *, max_bytes: int) -> bytes:
        """A file's bytes; `GuestFileNotFoundError` if missing; at most `max_bytes` (413)."""

    async def write_file(self, vm_id: str, path: str, data: bytes, *, mode: int | None) -> None:
        """Create or replace a file (with permission bits `mode` when given)."""

    async def console_read(self, vm_id: str, offset: int | None, max_bytes: int) -> ConsoleChunk:
        """Console output from `offset` (the oldest kept byte when None)."""

    async def console_write(self, vm_id: str, data: bytes) -> None:
        """Type `data` into the serial console."""

    async def screenshot(self, vm_id: str) -> bytes:
        """The display as PNG bytes."""


@runtime_checkable
class DiskResizer(Protocol):
    """Growing a VM's disk (capability `resize_disk`)."""

    async def resize_disk(self, vm_id: str, disk_gib: int, ctx: OperationContext) -> Observation:
        """Grow the disk to `disk_gib` (offline when stopped, online when running)."""


@runtime_checkable
class ImageCatalog(Protocol):
    """The images a backend offers.

    Attributes:
        requires_known_image: True when create must name an image of the catalog (the
            server answers 422 `IMAGE_NOT_FOUND` otherwise, and fills in the default image
            when none is given).
    """

    requires_known_image: bool

    async def list_images(self) -> list[ImageInfo]:
        """Every image, the default one flagged."""


class ExecTimeoutError(BackendError):
    """The command outlived its timeout and was killed: 504."""

    code = "EXEC_TIMEOUT"
    status = 504


class GuestFileNotFoundError(BackendError):
    """The guest has no such file: 404."""

    code = "FILE_NOT_FOUND"
    status = 404


class GuestNotReadyError(BackendError):
    """The guest's agent does not answer (still booting, or not installed): 409."""

    code = "GUEST_NOT_READY"
    status = 409


class ImageNotFoundError(BackendError):
    """The backend has no image of that name: 422."""

    code = "IMAGE_NOT_FOUND"
    status = 422


class GuestNotSupported(NotSupported):
    """`NotSupported` with `GuestAccess` too: for a backend offering some guest access (a
    console, say) but not all of it. Each method answers 501 until the backend defines it."""

    async def exec(self, vm_id: str, request: ExecRequest) -> ExecResult:
        """Unsupported: 501."""
        raise self._refuse("exec")

    async def read_file(self, vm_id: str, path: str, *, max_bytes: int) -> bytes:
        """Unsupported: 501."""
        raise self._refuse("files")

    async def write_file(self, vm_id: str, path: str, data: bytes, *, mode: int | None) -> None:
        """Unsupported: 501."""
        raise self._refuse("files")

    async def console_read(self, vm_id: str, offset: int | None, max_bytes: int) -> ConsoleChunk:
        """Unsupported: 501."""
        raise self._refuse("console")

    async def console_write(self, vm_id: str, data: bytes) -> None:
        """Unsupported: 501."""
        raise self._refuse("console")

    async def screenshot(self, vm_id: str) -> bytes:
        """Unsupported: 501."""
        raise self._refuse("screenshot")
