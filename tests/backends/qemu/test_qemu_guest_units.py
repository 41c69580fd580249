"""Guest-access pieces of the QEMU backend that need no guest: the console log and its
offsets, typing into a socket, PPM to PNG, the image catalog, the exec wrapper."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import zlib
from dataclasses import astuple
from pathlib import Path

import pytest

from vmkit_server.backends.qemu._console import read_chunk, trim, type_into
from vmkit_server.backends.qemu._exec import guest_argv
from vmkit_server.backends.qemu._guest_ops import image_info
from vmkit_server.backends.qemu._image import built_images
from vmkit_server.backends.qemu._machine import powered_off_by_guest
from vmkit_server.backends.qemu._screen import ppm_to_png
from vmkit_server.backends.qemu._state import VMPaths


@pytest.fixture
def paths(tmp_path: Path) -> VMPaths:
    """The files of a VM that has no process."""
    return VMPaths(tmp_path, tmp_path)


def test_console_offsets_are_clamped_to_what_is_kept(paths: VMPaths) -> None:
    """No log reads empty; offsets past the end read nothing from the end; max_bytes cuts."""
    assert (b"", 0, 0, 0) == astuple(read_chunk(paths, None, 10))
    paths.serial_log.write_bytes(b"0123456789")
    chunks = [read_chunk(paths, offset, 4) for offset in (None, 3, 99)]
    assert [(b"0123", 0, 4), (b"3456", 3, 7), (b"", 10, 10)] == [
        (c.data, c.offset, c.next_offset) for c in chunks
    ]


def test_trimming_keeps_every_offset_and_frees_the_old_bytes(paths: VMPaths) -> None:
    """Past the limit the oldest bytes are dropped; the rest keep their offsets."""
    log = bytes(i % 251 for i in range(3 << 20))
    paths.serial_log.write_bytes(log)
    trim(paths, keep=64 << 10)
    start = read_chunk(paths, None, 1).start_offset
    assert 0 < start <= len(log) - (64 << 10) and 0 == start % 4096
    late = read_chunk(paths, len(log) - 100, 1000)
    early = read_chunk(paths, 0, 100)
    assert (log[-100:], log[start : start + 100], start) == (late.data, early.data, early.offset)
    assert len(log) == paths.serial_log.stat().st_size  # offsets count from the first boot
    assert paths.serial_log.stat().st_blocks * 512 < 1 << 20  # the old bytes are a hole now
    trim(paths, keep=64 << 10)  # within the slack: nothing moves
    assert start == read_chunk(paths, None, 1).start_offset


def test_only_this_process_output_tells_a_poweroff(paths: VMPaths) -> None:
    """A power-down printed by an earlier boot does not make a later crash a shutdown."""
    first = b"boot 1\r\n[    9.6] reboot: Power down\r\n"
    paths.serial_log.write_bytes(first)
    assert powered_off_by_guest(paths, since=0)
    paths.serial_log.write_bytes(first + b"boot 2, then killed\r\n")
    assert not powered_off_by_guest(paths, since=len(first))


@pytest.mark.anyio
async def test_typing_waits_until_the_reader_took_every_byte(paths: VMPaths) -> None:
    """QEMU drops unread input when the client hangs up, so the writer waits for the reader."""
    loop = asyncio.get_running_loop()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(paths.serial))
        listener.listen()
        listener.setblocking(False)
        typing = asyncio.create_task(type_into(paths, b"echo hello\n"))
        conn, _ = await loop.sock_accept(listener)
        with conn:
            first = await loop.sock_recv(conn, 1)  # the rest stays unread in the socket
            for _ in range(20):
                await asyncio.sleep(0)  # let the writer run: it must still be waiting
            assert not typing.done()
            rest = await loop.sock_recv(conn, 100)
            await typing
            assert b"echo hello\n" == first + rest + await loop.sock_recv(conn, 100)


def _png_rows(png: bytes) -> tuple[tuple[int, int], bytes]:
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(
            kind + body
        )
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height = struct.unpack(">II", header[:8])
    return (width, height), zlib.decompress(idat)


def test_ppm_becomes_an_equivalent_png() -> None:
    """Every pixel of a P6 PPM (with a comment in its header) lands in the PNG's rows."""
    pixels = bytes(range(18))
    png = ppm_to_png(b"P6\n# QEMU\n3 2\n255\n" + pixels)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert ((3, 2), b"\x00" + pixels[:9] + b"\x00" + pixels[9:]) == _png_rows(png)
    for bad in (b"P3\n1 1\n255\n000", b"P6\n1 1\n65535\n" + bytes(6), b"P6\n2 2\n255\n" + bytes(3)):
        with pytest.raises(ValueError):
            ppm_to_png(bad)


def _build(images: Path, short: str, name: str, *, complete: bool = True) -> None:
    build = images / short / "abc123"
    build.mkdir(parents=True)
    files = {"kernel": "vmlinuz", "initramfs": "initramfs.cpio", "disk": "disk.qcow2"}
    for role, file in files.items():
        if complete or role != "disk":
            (build / file).write_bytes(b"x" * 1000)
    manifest = {
        "format": 1, "name": name, "input_hash": "abc123", "files": files,
        "sizes": dict.fromkeys(files, 1000), "disk_virtual_bytes": 3 << 29,
        "guest": {"arch": "x86_64", "kernel_release": "6.1.0-test", "kernel_cmdline": "quiet"},
    }  # fmt: skip
    (build / "manifest.json").write_text(json.dumps(manifest))
    (images / short / "current").symlink_to("abc123")


def test_the_catalog_lists_complete_builds_only(tmp_path: Path) -> None:
    """Each image's newest build, the test guest flagged default; a damaged build is left out."""
    _build(tmp_path, "test-guest", "vmkit/test-guest")
    _build(tmp_path, "other", "vmkit/other")
    _build(tmp_path, "broken", "vmkit/broken", complete=False)
    infos = [image_info(image) for image in built_images(tmp_path)]
    assert [("vmkit/other", False), ("vmkit/test-guest", True)] == [
        (i.name, i.default) for i in infos
    ]
    guest = infos[1]
    assert ("linux", "x86_64", 2, 3000) == (guest.os, guest.arch, guest.disk_gib, guest.size_bytes)
    assert "6.1.0-test" in guest.description
    assert [] == built_images(tmp_path / "nothing-built")


def test_commands_run_in_their_own_session_under_a_backstop_timeout() -> None:
    """The agent runs `setsid timeout -s KILL <ceil+1> argv`, so one kill ends them all."""
    assert [
        "/bin/busybox", "setsid", "/bin/busybox", "timeout", "-s", "KILL", "3", "sleep", "9",
    ] == guest_argv(["sleep", "9"], 1.5)  # fmt: skip
