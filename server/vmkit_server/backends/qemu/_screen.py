"""Screenshots: QMP `screendump` of the VM's VGA display, as PNG.

QEMU 7.1 and later write PNG themselves (`format: png`); older ones write only PPM, which
is re-encoded here with zlib (no imaging library needed).
"""

from __future__ import annotations

import struct
import uuid
import zlib
from pathlib import Path

from ._qmp import Monitor, MonitorError

__all__ = ["ppm_to_png", "screenshot"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def screenshot(monitor: Monitor, directory: Path) -> bytes:
    """The display as PNG bytes.

    Args:
        monitor: The VM's QMP connection.
        directory: Where QEMU may write the picture for a moment.

    Raises:
        MonitorError: QEMU could not take it.
        ValueError: QEMU wrote a picture that could not be read.
    """
    target = directory / f"screen-{uuid.uuid4().hex[:12]}"
    try:
        try:
            await monitor.execute("screendump", {"filename": str(target), "format": "png"})
            return target.read_bytes()
        except MonitorError as exc:
            if not any(word in str(exc).lower() for word in ("format", "png")):
                raise  # not a QEMU without PNG output: a real failure
        await monitor.execute("screendump", {"filename": str(target)})
        return ppm_to_png(target.read_bytes())
    finally:
        target.unlink(missing_ok=True)


def _header_fields(data: bytes, count: int) -> tuple[list[int], int]:
    """The first `count` whitespace-separated numbers after the magic, and where pixels start."""
    fields: list[int] = []
    pos = 2
    while len(fields) < count:
        while pos < len(data) and data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while end < len(data) and data[end : end + 1].isdigit():
            end += 1
        if end == pos:
            raise ValueError("not a binary PPM (P6) image")
        fields.append(int(data[pos:end]))
        pos = end
    return fields, pos + 1  # exactly one whitespace byte ends the header


def ppm_to_png(data: bytes) -> bytes:
    """Re-encode a binary PPM (P6, 8 bits per channel) as PNG.

    Args:
        data: The PPM file's bytes.

    Returns:
        The PNG file's bytes.

    Raises:
        ValueError: `data` is not an 8-bit P6 PPM, or is cut short.
    """
    if not data.startswith(b"P6"):
        raise ValueError("not a binary PPM (P6) image")
    (width, height, maxval), start = _header_fields(data, 3)
    if maxval != 255:
        raise ValueError(f"only 8-bit PPM is supported, not maxval {maxval}")
    stride = width * 3
    pixels = data[start : start + stride * height]
    if len(pixels) != stride * height:
        raise ValueError("the PPM image is cut short")
    # each PNG row starts with its filter type: 0, none
    raw = b"".join(b"\x00" + pixels[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        _PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )
