"""The simulated guest: a tiny shell, an in-memory file system and a rendered screen.

Enough of a guest for the SDK's exec, file and screenshot calls to be exercised without a
hypervisor, and honest about its limits: a command it does not know exits 127 the way a
shell would. Files live in memory for as long as the backend object does.
"""

from __future__ import annotations

import shlex
import struct
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .guest import ExecResult, ExecTimeoutError, GuestFileNotFoundError

__all__ = ["SimGuest", "render_png"]

#: Output a command may produce before it is cut.
MAX_OUTPUT = 1 << 20


@dataclass
class SimGuest:
    """One simulated guest's file system and identity.

    Attributes:
        hostname: What ``hostname`` prints.
        files: File contents by absolute path.
    """

    hostname: str
    files: dict[str, bytes] = field(default_factory=dict)

    async def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        stdin: bytes,
        timeout: float,
        sleep: Callable[[float], Awaitable[None]],
    ) -> ExecResult:
        """Run `argv` (``/bin/sh -c <line>`` runs one simple command with ``>``/``>>``).

        Raises:
            ExecTimeoutError: ``sleep`` longer than the timeout.
        """
        started = time.monotonic()
        words = list(argv)
        redirect: tuple[str, bool] | None = None
        if len(words) == 3 and words[0] in ("/bin/sh", "sh") and words[1] == "-c":
            words, redirect = _parse_shell(words[2], env)
        out, err, code = await self._command(words, env, stdin, timeout, sleep)
        if redirect is not None and code == 0:
            path, append = redirect
            self.files[path] = (self.files.get(path, b"") if append else b"") + out
            out = b""
        return ExecResult(
            exit_code=code,
            stdout=out[:MAX_OUTPUT],
            stderr=err[:MAX_OUTPUT],
            stdout_truncated=len(out) > MAX_OUTPUT,
            stderr_truncated=len(err) > MAX_OUTPUT,
            duration_seconds=time.monotonic() - started,
        )

    async def _command(
        self,
        words: list[str],
        env: Mapping[str, str],
        stdin: bytes,
        timeout: float,
        sleep: Callable[[float], Awaitable[None]],
    ) -> tuple[bytes, bytes, int]:
        if not words:
            return b"", b"", 0
        name, args = words[0].rsplit("/", 1)[-1], words[1:]
        if name == "echo":
            return (" ".join(args) + "\n").encode(), b"", 0
        if name in ("true", ":"):
            return b"", b"", 0
        if name == "false":
            return b"", b"", 1
        if name == "exit":
            return b"", b"", int(args[0]) if args and args[0].isdigit() else 0
        if name == "hostname":
            return f"{self.hostname}\n".encode(), b"", 0
        if name == "uname":
            full = f"Linux {self.hostname} 6.1.0-simulated #1 SMP x86_64 GNU/Linux"
            return (full if "-a" in args else "Linux").encode() + b"\n", b"", 0
        if name == "env":
            return "".join(f"{k}={v}\n" for k, v in env.items()).encode(), b"", 0
        if name == "cat":
            return self._cat(args, stdin)
        if name == "sleep":
            seconds = float(args[0]) if args else 0.0
            if seconds > timeout:
                await sleep(timeout)
                raise ExecTimeoutError(
                    f"the command did not finish within {timeout} s and was killed",
                    metadata={"timeout_seconds": timeout},
                )
            await sleep(seconds)
            return b"", b"", 0
        return b"", f"sh: {name}: not found\n".encode(), 127

    def _cat(self, paths: list[str], stdin: bytes) -> tuple[bytes, bytes, int]:
        if not paths:
            return stdin, b"", 0
        out, err, code = b"", b"", 0
        for path in paths:
            if path in self.files:
                out += self.files[path]
            else:
                err += f"cat: {path}: No such file or directory\n".encode()
                code = 1
        return out, err, code

    def read(self, path: str) -> bytes:
        """A file's bytes.

        Raises:
            GuestFileNotFoundError: No such file.
        """
        if path not in self.files:
            raise GuestFileNotFoundError(f"the guest has no file {path!r}", metadata={"path": path})
        return self.files[path]


def _parse_shell(line: str, env: Mapping[str, str]) -> tuple[list[str], tuple[str, bool] | None]:
    """One simple command: words with ``$VAR`` expanded, and an optional output redirect."""
    words = [_expand(w, env) for w in shlex.split(line)]
    for op, append in ((">>", True), (">", False)):
        if op in words[:-1]:
            at = words.index(op)
            return words[:at], (words[at + 1], append)
    return words, None


def _expand(word: str, env: Mapping[str, str]) -> str:
    if word.startswith("$") and word[1:] in env:
        return env[word[1:]]
    return word


def render_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid PNG of one colour (the simulated screen).

    Args:
        width: Pixels across.
        height: Pixels down.
        rgb: The colour.

    Returns:
        The PNG file's bytes.
    """
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
