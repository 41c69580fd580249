"""vmkit offsets over Nemeton's whole-buffer console reads (no network)."""

from __future__ import annotations

from vmkit_server.backends.guest import ConsoleChunk
from vmkit_server.backends.peers._nemeton_console import ConsoleOffsets


def test_a_growing_buffer_keeps_its_offsets() -> None:
    """Reads of a buffer that only grows are plain byte positions."""
    offsets = ConsoleOffsets()
    assert ConsoleChunk(b"boot", 0, 4, 0) == offsets.chunk("a", b"boot", None, 100)
    assert ConsoleChunk(b" ok", 4, 7, 0) == offsets.chunk("a", b"boot ok", 4, 100)
    assert ConsoleChunk(b"ot", 2, 4, 0) == offsets.chunk("a", b"boot ok", 2, 2)


def test_a_shorter_buffer_was_cleared() -> None:
    """A buffer shorter than before starts where the old one ended."""
    offsets = ConsoleOffsets()
    offsets.chunk("a", b"0123456789", None, 100)
    assert ConsoleChunk(b"new", 10, 13, 10) == offsets.chunk("a", b"new", 10, 100)
    assert ConsoleChunk(b"new", 10, 13, 10) == offsets.chunk("a", b"new", 0, 100)


def test_a_buffer_with_another_start_was_replaced() -> None:
    """Same length or longer but a different first bytes: also a new buffer."""
    offsets = ConsoleOffsets()
    offsets.chunk("a", b"abc", None, 100)
    assert ConsoleChunk(b"xyz!", 3, 7, 3) == offsets.chunk("a", b"xyz!", None, 100)


def test_reading_past_the_end_gives_nothing_and_vms_are_apart() -> None:
    """An offset beyond the buffer reads nothing; each VM has its own offsets."""
    offsets = ConsoleOffsets()
    offsets.chunk("a", b"abc", None, 100)
    assert ConsoleChunk(b"", 9, 9, 0) == offsets.chunk("a", b"abc", 9, 100)
    assert ConsoleChunk(b"z", 0, 1, 0) == offsets.chunk("b", b"z", None, 100)
    offsets.forget("a")
    assert ConsoleChunk(b"q", 0, 1, 0) == offsets.chunk("a", b"q", None, 100)
