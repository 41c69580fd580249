"""``Screenshot``: an image of a VM's screen, as the SDK returns it."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

__all__ = ["Screenshot"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
# Jupyter front ends render these image types; others show only the text repr.
_DISPLAYABLE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


class Screenshot:
    """An image of a VM's screen: its bytes and media type.

    Jupyter shows it as the image itself; ``save()`` writes it to a file.

    Args:
        data: The encoded image.
        mime_type: Its media type, e.g. ``"image/png"``; None guesses from the bytes (PNG
            or JPEG, else ``application/octet-stream``).

    Example:
        >>> shot = Screenshot(png_bytes)  # doctest: +SKIP
        >>> shot.width, shot.height  # doctest: +SKIP
        (1024, 768)
        >>> shot.save("screen.png")  # doctest: +SKIP
    """

    __slots__ = ("_data", "_mime_type")

    def __init__(self, data: bytes, mime_type: str | None = None) -> None:
        self._data = bytes(data)
        self._mime_type = mime_type or _sniff(self._data)

    @property
    def data(self) -> bytes:
        """The encoded image."""
        return self._data

    @property
    def mime_type(self) -> str:
        """The media type, e.g. ``"image/png"``."""
        return self._mime_type

    @property
    def width(self) -> int | None:
        """The width in pixels, read from a PNG header; None for other formats."""
        size = _png_size(self._data)
        return size[0] if size else None

    @property
    def height(self) -> int | None:
        """The height in pixels, read from a PNG header; None for other formats."""
        size = _png_size(self._data)
        return size[1] if size else None

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the image to a file (replacing it if it exists).

        Args:
            path: Where to write, e.g. ``"screen.png"``.

        Returns:
            The path written.

        Raises:
            OSError: If the file cannot be written.
        """
        target = Path(path)
        target.write_bytes(self._data)
        return target

    def __repr__(self) -> str:
        size = _png_size(self._data)
        dimensions = f" {size[0]}x{size[1]}" if size else ""
        return f"<{type(self).__name__} {self._mime_type}{dimensions}, {len(self._data)} bytes>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Screenshot):
            return NotImplemented
        return (self._data, self._mime_type) == (other._data, other._mime_type)

    def __hash__(self) -> int:
        return hash((self._data, self._mime_type))

    def _repr_png_(self) -> bytes | None:
        return self._data if self._mime_type == "image/png" else None

    def _repr_jpeg_(self) -> bytes | None:
        return self._data if self._mime_type == "image/jpeg" else None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str] | None:
        if self._mime_type not in _DISPLAYABLE:
            return None
        # Jupyter's message format carries binary image data as base64 text.
        encoded = base64.b64encode(self._data).decode("ascii")
        return {self._mime_type: encoded, "text/plain": repr(self)}


def _sniff(data: bytes) -> str:
    if data.startswith(_PNG_SIGNATURE):
        return "image/png"
    if data.startswith(_JPEG_SIGNATURE):
        return "image/jpeg"
    return "application/octet-stream"


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, which the format puts first."""
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
