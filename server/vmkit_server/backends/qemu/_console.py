"""The serial console: its log read by byte offset and kept bounded, and typing into it.

QEMU appends everything the guest prints to `serial.log` (`logappend=on`), across boots,
so an offset names the same byte for as long as the VM exists. The log is kept bounded
without moving any byte: once it holds more than `KEEP_BYTES`, everything older is
punched out of the file (`fallocate(PUNCH_HOLE)`, while QEMU keeps appending) and
`serial.start` records the oldest offset still kept. On a file system that cannot punch
holes only the offset moves: reads stay bounded, the file does not shrink.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import struct
import termios

from ..guest import ConsoleChunk
from ._state import VMPaths

__all__ = ["KEEP_BYTES", "log_size", "read_chunk", "read_since", "trim", "type_into"]

#: Console output kept per VM (more is trimmed, oldest first).
KEEP_BYTES = 4 << 20
_SLACK = 1 << 20  # trim in steps of at least this much, not on every new line
_BLOCK = 4096
_FALLOC_FL_KEEP_SIZE = 0x01
_FALLOC_FL_PUNCH_HOLE = 0x02


def log_size(paths: VMPaths) -> int:
    """The serial log's size: the offset the next byte the guest prints will get."""
    try:
        return paths.serial_log.stat().st_size
    except FileNotFoundError:
        return 0


def _kept_from(paths: VMPaths) -> int:
    try:
        return int(paths.serial_start.read_text().strip())
    except (OSError, ValueError):
        return 0


def read_chunk(paths: VMPaths, offset: int | None, max_bytes: int) -> ConsoleChunk:
    """Up to `max_bytes` of console output from `offset` (the oldest kept byte when None).

    An offset older than what is kept reads from the oldest kept byte; one past the end
    reads nothing from the end.

    Args:
        paths: The VM's files.
        offset: The byte offset to read from.
        max_bytes: The most bytes to return.

    Returns:
        The chunk, with the offsets to read on from.
    """
    size = log_size(paths)
    start = min(_kept_from(paths), size)
    begin = start if offset is None else min(max(offset, start), size)
    data = b""
    if begin < size:
        with paths.serial_log.open("rb") as fh:
            fh.seek(begin)
            data = fh.read(min(max_bytes, size - begin))
    return ConsoleChunk(data=data, offset=begin, next_offset=begin + len(data), start_offset=start)


def read_since(paths: VMPaths, mark: int, limit: int = 8192) -> bytes:
    """The last `limit` bytes (at most) the guest printed at or after offset `mark`."""
    size = log_size(paths)
    begin = max(mark, size - limit, _kept_from(paths))
    if begin >= size:
        return b""
    with paths.serial_log.open("rb") as fh:
        fh.seek(begin)
        return fh.read(size - begin)


def _punch_hole(fd: int, offset: int, length: int) -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    fallocate = libc.fallocate
    fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    mode = _FALLOC_FL_PUNCH_HOLE | _FALLOC_FL_KEEP_SIZE
    if fallocate(fd, mode, offset, length) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def trim(paths: VMPaths, keep: int = KEEP_BYTES) -> None:
    """Drop console output older than the last `keep` bytes (never raises).

    Args:
        paths: The VM's files.
        keep: How many of the newest bytes to keep (at least; the cut is block-aligned).
    """
    size = log_size(paths)
    start = _kept_from(paths)
    if size - start <= keep + _SLACK:
        return
    cut = (size - keep) // _BLOCK * _BLOCK
    with contextlib.suppress(OSError):
        # the new start first: readers then never reach the zeros the hole reads as
        tmp = paths.serial_start.with_suffix(".tmp")
        tmp.write_text(str(cut))
        os.replace(tmp, paths.serial_start)
        with paths.serial_log.open("r+b") as fh:
            first = start // _BLOCK * _BLOCK
            _punch_hole(fh.fileno(), first, cut - first)


async def type_into(paths: VMPaths, data: bytes, timeout: float = 5.0) -> None:
    """Send `data` to the guest's serial port, as if typed on its console.

    QEMU hands the bytes to the UART a few at a time and drops what it has not read yet
    when the client hangs up, so the connection stays open until QEMU has read them all.

    Raises:
        OSError: The console socket is gone (no QEMU runs), or QEMU did not read the
            bytes within `timeout`.
    """
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_unix_connection(str(paths.serial))
            try:
                writer.write(data)
                await writer.drain()
                sock = writer.get_extra_info("socket")
                while _unread(sock.fileno()) > 0:
                    await asyncio.sleep(0.005)
            finally:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
    except TimeoutError as exc:
        raise OSError(f"the serial console did not take the input within {timeout}s") from exc


def _unread(fd: int) -> int:
    """Bytes sent on the socket `fd` that the peer has not read yet (`SIOCOUTQ`)."""
    buf = fcntl.ioctl(fd, termios.TIOCOUTQ, b"\0\0\0\0")
    return int(struct.unpack("i", buf)[0])
