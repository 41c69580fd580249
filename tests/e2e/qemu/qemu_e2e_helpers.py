"""Helpers of the QEMU e2e tests: finding QEMU processes, checking PNGs, guest shell calls."""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import zlib
from pathlib import Path

import vmkit
from vmkit.errors import VmkitError

__all__ = [
    "GUEST",
    "UPLOAD_LIMIT",
    "delete_every_vm",
    "kill_leftovers",
    "png_size",
    "qemu_pids",
    "sh",
]

#: The smallest VM the test guest runs in.
GUEST = {"cpus": 1, "memory_mib": 128, "disk_gib": 1}
#: The in-process server's upload limit: small, so a 413 costs little to provoke.
UPLOAD_LIMIT = 4 << 20


def qemu_pids(marker: str) -> list[int]:
    """Live (not zombie) QEMU processes whose command line contains `marker`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        named = any(marker.encode() in arg for arg in argv)
        if named and state not in ("Z", "X") and b"qemu-system" in argv[0]:
            found.append(int(proc.name))
    return found


def kill_leftovers(data_dir: Path) -> None:
    """SIGKILL every QEMU process whose command line names `data_dir`."""
    for pid in qemu_pids(str(data_dir)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def delete_every_vm(url: str, token: str) -> None:
    """Force-delete every VM a server has (ignoring failures)."""
    with vmkit.Client(url, token) as client:
        for vm in list(client.vms.list()):
            with contextlib.suppress(VmkitError):
                client.vms.delete(vm.id, force=True, wait=True, wait_timeout=60)


def png_size(data: bytes) -> tuple[int, int]:
    """The (width, height) of a PNG, after checking every chunk's CRC and that its pixel
    data inflates to exactly the rows the header announces.

    Raises:
        AssertionError: It is not a valid 8-bit RGB or RGBA PNG.
    """
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), data[:16]
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert b"IHDR" == chunks[0][0] and b"IEND" == chunks[-1][0]
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    channels = {2: 3, 6: 4}[colour]
    assert 8 == depth
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert height * (1 + width * channels) == len(pixels)
    return width, height


def sh(vm: vmkit.VM, script: str, timeout: float = 30) -> str:
    """Run a shell script in the guest; its stdout (it must exit 0)."""
    return vm.exec(script, check=True, timeout_seconds=timeout).stdout
