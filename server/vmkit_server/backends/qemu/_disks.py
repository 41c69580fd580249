"""qcow2 disks: overlays, frozen layers, backing chains, growth, garbage collection.

The rule that keeps chains safe: a VM writes only its own top layer (`disk.qcow2`), and
only immutable files are ever backing files: an image's base disk, or a *layer* made by
freezing a VM's top layer (renaming it into `layers/` and giving the VM a fresh overlay
on it). A clone or a snapshot is a pointer to a layer, so it costs one rename and one
small `qemu-img create` whatever the disk's size, and deleting any VM can never break
another: a layer goes away only when no top layer or snapshot reaches it any more.
"""

from __future__ import annotations

import asyncio
import os
import struct
import uuid
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "DiskError",
    "backing_file",
    "chain",
    "collect_garbage",
    "create_overlay",
    "freeze",
    "resize",
    "virtual_size",
]

_MAGIC = b"QFI\xfb"
_HEADER = struct.Struct(">4sIQIIQ")  # magic, version, backing offset, backing size, bits, size


class DiskError(Exception):
    """A disk operation failed.

    Args:
        message: What failed.
        command: The qemu-img command line, if one ran.
        stderr: What it printed.
    """

    def __init__(self, message: str, *, command: list[str] | None = None, stderr: str = "") -> None:
        super().__init__(f"{message}: {stderr}" if stderr else message)
        self.command = command or []
        self.stderr = stderr


async def _qemu_img(binary: str, *args: str) -> str:
    argv = [binary, *args]
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except OSError as exc:
        raise DiskError(f"cannot run {binary}: {exc}", command=argv) from exc
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise DiskError(f"{binary} {args[0]} failed", command=argv, stderr=err.decode().strip())
    return out.decode()


def _header(path: Path) -> tuple[int, int, int]:
    """(backing offset, backing size, virtual size) from a qcow2 header."""
    with path.open("rb") as fh:
        raw = fh.read(_HEADER.size)
    if len(raw) < _HEADER.size:
        raise DiskError(f"{path} is too short to be a qcow2 image")
    magic, _version, offset, size, _bits, virtual = _HEADER.unpack(raw)
    if magic != _MAGIC:
        raise DiskError(f"{path} is not a qcow2 image")
    return offset, size, virtual


def virtual_size(path: Path) -> int:
    """The disk's size as the guest sees it, in bytes (read from the header, no subprocess).

    Raises:
        DiskError: Not a qcow2 image.
        OSError: It cannot be read.
    """
    return _header(path)[2]


def backing_file(path: Path) -> Path | None:
    """The file `path` is backed by, or None for a standalone image.

    Raises:
        DiskError: Not a qcow2 image.
        OSError: It cannot be read.
    """
    offset, size, _ = _header(path)
    if not offset:
        return None
    with path.open("rb") as fh:
        fh.seek(offset)
        name = fh.read(size).decode()
    backing = Path(name)
    return backing if backing.is_absolute() else path.parent / backing


def chain(path: Path) -> list[Path]:
    """`path` and every file below it, top first.

    Raises:
        DiskError: A file is missing or is not qcow2, or the chain loops.
    """
    files = [path]
    while (below := backing_file(files[-1])) is not None:
        if below in files:
            raise DiskError(f"the backing chain of {path} loops at {below}")
        if not below.exists():
            raise DiskError(f"{files[-1]} is backed by {below}, which is missing")
        files.append(below)
    return files


async def create_overlay(qemu_img: str, path: Path, backing: Path, size_bytes: int) -> None:
    """Create a copy-on-write qcow2 `path` on top of `backing` (constant time).

    `-u` skips opening the backing file: a running QEMU may hold its lock, and the size is
    given anyway.

    Raises:
        DiskError: qemu-img failed.
    """
    await _qemu_img(
        qemu_img, "create", "-q", "-f", "qcow2", "-u", "-b", str(backing.resolve()),
        "-F", "qcow2", str(path), str(size_bytes),
    )  # fmt: skip


async def resize(qemu_img: str, path: Path, size_bytes: int) -> None:
    """Grow a stopped VM's top layer to `size_bytes`.

    Raises:
        DiskError: qemu-img failed (e.g. the image is in use).
    """
    await _qemu_img(qemu_img, "resize", "-q", str(path), str(size_bytes))


async def freeze(qemu_img: str, disk: Path, layers: Path) -> Path:
    """Turn `disk` into an immutable layer and put a fresh overlay on it at the same path.

    The caller makes sure no process has `disk` open. Constant time: one rename, one
    small qcow2 header.

    Args:
        qemu_img: The qemu-img binary.
        disk: The VM's top layer.
        layers: Where layers live.

    Returns:
        The new layer.

    Raises:
        DiskError: The overlay could not be made (the disk is then put back as it was).
    """
    layers.mkdir(parents=True, exist_ok=True)
    layer = layers / f"{uuid.uuid4().hex}.qcow2"
    size = virtual_size(disk)
    os.replace(disk, layer)
    try:
        await create_overlay(qemu_img, disk, layer, size)
    except BaseException:
        disk.unlink(missing_ok=True)
        os.replace(layer, disk)
        raise
    layer.chmod(0o444)
    return layer


def collect_garbage(layers: Path, roots: Iterable[Path]) -> list[Path]:
    """Delete every layer that no root's backing chain reaches.

    Args:
        layers: Where layers live.
        roots: Every VM's top layer and every snapshot's layer.

    Returns:
        The layers deleted.
    """
    reached: set[Path] = set()
    for root in roots:
        current: Path | None = root
        # walk down to the base; an unreadable link ends the walk there
        while current is not None and current.exists() and current.resolve() not in reached:
            reached.add(current.resolve())
            try:
                current = backing_file(current)
            except (DiskError, OSError):
                current = None
    removed = []
    for layer in sorted(layers.glob("*.qcow2")) if layers.is_dir() else []:
        if layer.resolve() not in reached:
            layer.unlink()
            removed.append(layer)
    return removed
