"""vmkit's byte offsets over Nemeton's console buffer, which is read whole and can be cleared.

Nemeton answers `GET /console` with everything buffered since the last clear. vmkit's
console is read by byte offset, and offsets must never go back. `ConsoleOffsets` keeps,
per VM and in memory, where the current buffer starts in vmkit's offsets: when a read finds
the buffer shorter than before, or not starting with what it started with, the buffer was
cleared (in Nemeton's app, by another client, or because it is bounded) and the new one
starts where the old one ended. Output written and cleared between two reads is lost.
A restarted server starts again from 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..guest import ConsoleChunk

__all__ = ["ConsoleOffsets"]

# How much of a buffer's start is compared to notice that it was replaced.
_HEAD = 64


@dataclass
class _Seen:
    base: int = 0  # vmkit offset of the buffer's first byte
    length: int = 0  # the buffer's length at the last read
    head: bytes = b""  # its first bytes at the last read


class ConsoleOffsets:
    """Where each VM's Nemeton console buffer sits in vmkit's never-decreasing offsets."""

    def __init__(self) -> None:
        self._seen: dict[str, _Seen] = {}

    def chunk(self, handle: str, buffer: bytes, offset: int | None, max_bytes: int) -> ConsoleChunk:
        """The part of `buffer` (the VM's whole buffer, just read) from vmkit offset `offset`.

        Args:
            handle: The Nemeton VM id.
            buffer: The buffered output, as bytes.
            offset: Where to read from in vmkit offsets; None reads from the oldest kept byte,
                and an offset older than that reads from there too.
            max_bytes: At most this many bytes.

        Returns:
            The chunk; `start_offset` is where the current buffer begins.
        """
        seen = self._seen.setdefault(handle, _Seen())
        head = seen.head[: len(buffer)]
        if len(buffer) < seen.length or buffer[: len(head)] != head:
            seen.base += seen.length
        seen.length = len(buffer)
        seen.head = buffer[:_HEAD]
        begin = seen.base if offset is None else max(offset, seen.base)
        data = buffer[begin - seen.base :][:max_bytes]
        return ConsoleChunk(data, begin, begin + len(data), seen.base)

    def forget(self, handle: str) -> None:
        """Drop what is known of `handle`'s buffer."""
        self._seen.pop(handle, None)
