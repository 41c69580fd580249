"""The fake guest: what a VM's disk holds, and the shell the Tart Guest Agent runs commands in.

A disk image is a sparse file of the VM's disk size whose first bytes hold the guest as JSON
(a magic line, the JSON, a NUL): its OS, hostname, whether the Tart Guest Agent is installed
(Cirrus Labs' non-vanilla images have it; `tart create` makes an empty disk without one) and
its files. Copying a disk copies those bytes and leaves the rest a hole, the way an APFS clone
shares blocks, so cloning a 50 GB image costs nothing here either.

The shell knows a handful of commands (`echo`, `true`, `false`, `exit`, `hostname`, `uname`,
`env`, `cat`, `head -c`, `chmod`, `rm`, `sleep`, `poweroff`) and `sh -c` lines of simple
commands joined by `;`/`&&`/`||` with `>`, `>>` and `<` redirects and `$1`/`$VAR` expansion;
anything else exits 127 as a shell would.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import shlex
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

MAGIC = b"FAKE-TART-GUEST\n"
_MAX_HEADER = 64 << 20


def _encode(contents: dict[str, Any]) -> bytes:
    return MAGIC + json.dumps(contents).encode() + b"\0"


def new_disk(path: Path, size_bytes: int, contents: dict[str, Any]) -> None:
    """Write a sparse disk of `size_bytes` holding the guest `contents`."""
    with open(path, "wb") as f:
        f.write(_encode(contents))
        f.truncate(size_bytes)


def _read(f: Any) -> dict[str, Any]:
    f.seek(0)
    head = f.read(len(MAGIC))
    if head != MAGIC:
        return {}
    data = bytearray()
    while len(data) < _MAX_HEADER:
        chunk = f.read(1 << 16)
        if not chunk:
            break
        end = chunk.find(b"\0")
        if end >= 0:
            data += chunk[:end]
            break
        data += chunk
    loaded: dict[str, Any] = json.loads(bytes(data) or b"{}")
    return loaded


def read_guest(path: Path) -> dict[str, Any]:
    """The guest a disk holds (`{}` for a disk the fake did not write)."""
    with open(path, "rb") as f:
        fcntl.flock(f, fcntl.LOCK_SH)
        return _read(f)


@contextlib.contextmanager
def editing(path: Path) -> Iterator[dict[str, Any]]:
    """The guest of a disk, written back in place when the block ends."""
    with open(path, "r+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        contents = _read(f)
        yield contents
        size = os.fstat(f.fileno()).st_size
        f.seek(0)
        f.write(_encode(contents))
        f.truncate(max(size, f.tell()))


def copy_disk(source: Path, target: Path) -> None:
    """Copy a disk: the guest's bytes, and a hole for the rest."""
    with open(source, "rb") as f:
        fcntl.flock(f, fcntl.LOCK_SH)
        contents = _read(f)
        size = os.fstat(f.fileno()).st_size
    new_disk(target, size, contents)


# -- the shell -----------------------------------------------------------------------------

_UNAME = {
    "linux": "Linux {host} 6.8.0-48-generic #48-Ubuntu SMP PREEMPT_DYNAMIC aarch64 GNU/Linux",
    "darwin": "Darwin {host} 24.1.0 Darwin Kernel Version 24.1.0: RELEASE_ARM64_VMAPPLE arm64",
}
_EXPAND = re.compile(r"\$(?:\{(\w+|@)\}|(\w+|@))")
_OPERATORS = {";", "&&", "||"}


class Shell:
    """Runs commands against one guest's contents (changes stay in `contents`).

    Args:
        contents: The guest (as `read_guest` returns it); changed in place.

    Attributes:
        poweroff: True once a command asked the guest to power off.
    """

    def __init__(self, contents: dict[str, Any]) -> None:
        self.contents = contents
        self.files: dict[str, dict[str, Any]] = contents.setdefault("files", {})
        self.poweroff = False

    def run(
        self, argv: Sequence[str], stdin: bytes, env: Mapping[str, str]
    ) -> tuple[bytes, bytes, int]:
        """Run `argv`; returns `(stdout, stderr, exit code)`."""
        words = list(argv)
        if not words:
            return b"", b"", 0
        name, args = words[0].rsplit("/", 1)[-1], words[1:]
        if name in ("sh", "bash", "zsh") and args[:1] == ["-c"] and len(args) >= 2:
            return self._script(args[1], args[2:], stdin, env)
        return self._command(name, args, stdin, env)

    def _script(
        self, line: str, params: list[str], stdin: bytes, env: Mapping[str, str]
    ) -> tuple[bytes, bytes, int]:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
        lexer.whitespace_split = True
        tokens = list(lexer)
        positional = {str(i): p for i, p in enumerate(params)}
        out, err, code = b"", b"", 0
        joiner = ";"
        while tokens:
            end = next((i for i, t in enumerate(tokens) if t in _OPERATORS), len(tokens))
            simple, tokens = tokens[:end], tokens[end:]
            run_it = joiner == ";" or (joiner == "&&") == (code == 0)
            if run_it:
                words = [self._expand(w, positional, env) for w in simple]
                o, e, code = self._simple(words, stdin, env)
                out, err, stdin = out + o, err + e, b""
                if self.poweroff:
                    break
            if tokens:
                joiner, tokens = tokens[0], tokens[1:]
        return out, err, code

    @staticmethod
    def _expand(word: str, positional: Mapping[str, str], env: Mapping[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            key = match[1] or match[2]
            if key == "@":
                return " ".join(v for k, v in sorted(positional.items()) if k != "0")
            return positional.get(key, env.get(key, ""))

        return _EXPAND.sub(value, word)

    def _simple(
        self, words: list[str], stdin: bytes, env: Mapping[str, str]
    ) -> tuple[bytes, bytes, int]:
        target: tuple[str, bool] | None = None
        rest: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if word in (">", ">>", "<") and i + 1 < len(words):
                path = words[i + 1]
                if word == "<":
                    if path not in self.files:
                        return b"", f"sh: {path}: No such file or directory\n".encode(), 1
                    stdin = self._data(path)
                else:
                    target = (path, word == ">>")
                i += 2
                continue
            rest.append(word)
            i += 1
        if not rest:
            out, err, code = b"", b"", 0
        else:
            out, err, code = self._command(rest[0].rsplit("/", 1)[-1], rest[1:], stdin, env)
        if target is not None:
            path, append = target
            old = self._data(path) if append and path in self.files else b""
            self._store(path, old + out)
            out = b""
        return out, err, code

    def _data(self, path: str) -> bytes:
        return base64.b64decode(self.files[path]["data"])

    def _store(self, path: str, data: bytes) -> None:
        mode = self.files.get(path, {}).get("mode", 0o644)
        self.files[path] = {"data": base64.b64encode(data).decode(), "mode": mode}

    def _command(
        self, name: str, args: list[str], stdin: bytes, env: Mapping[str, str]
    ) -> tuple[bytes, bytes, int]:
        host = str(self.contents.get("hostname", "localhost"))
        simple = {
            "echo": ((" ".join(args) + "\n").encode(), b"", 0),
            "true": (b"", b"", 0),
            ":": (b"", b"", 0),
            "false": (b"", b"", 1),
            "hostname": (f"{host}\n".encode(), b"", 0),
        }
        if name in simple:
            return simple[name]
        if name == "exit":
            return b"", b"", int(args[0]) if args and args[0].isdigit() else 0
        if name == "uname":
            kind = str(self.contents.get("os", "linux"))
            full = _UNAME.get(kind, _UNAME["linux"]).format(host=host)
            return (full if "-a" in args else full.split()[0]).encode() + b"\n", b"", 0
        if name == "env":
            return self._env(args, stdin, env)
        if name in ("cat", "head", "chmod", "rm"):
            return self._file_command(name, args, stdin)
        if name == "sleep":
            time.sleep(float(args[0]) if args else 0.0)
            return b"", b"", 0
        if name in ("poweroff", "shutdown", "halt"):
            self.poweroff = True
            return b"", b"", 0
        return b"", f"sh: {name}: not found\n".encode(), 127

    def _env(
        self, args: list[str], stdin: bytes, env: Mapping[str, str]
    ) -> tuple[bytes, bytes, int]:
        merged = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root", **env}
        while args and "=" in args[0]:
            key, _, value = args[0].partition("=")
            merged[key] = value
            args = args[1:]
        if args:
            return self._command(args[0].rsplit("/", 1)[-1], args[1:], stdin, merged)
        return "".join(f"{k}={v}\n" for k, v in merged.items()).encode(), b"", 0

    def _file_command(self, name: str, args: list[str], stdin: bytes) -> tuple[bytes, bytes, int]:
        if name == "chmod":
            if len(args) != 2:
                return b"", b"chmod: missing operand\n", 1
            mode, path = args
            if path not in self.files:
                return b"", f"chmod: {path}: No such file or directory\n".encode(), 1
            self.files[path]["mode"] = int(mode, 8)
            return b"", b"", 0
        limit: int | None = None
        if name == "head":
            if len(args) < 2 or args[0] != "-c" or not args[1].isdigit():
                return b"", b"head: only -c N is known to this guest\n", 1
            limit, args = int(args[1]), args[2:]
        if name == "rm":
            paths = [a for a in args if not a.startswith("-")]
            missing = [p for p in paths if p not in self.files]
            for path in paths:
                self.files.pop(path, None)
            if missing and "-f" not in args:
                return b"", f"rm: {missing[0]}: No such file or directory\n".encode(), 1
            return b"", b"", 0
        if not args:
            return stdin[:limit], b"", 0
        out, err, code = b"", b"", 0
        for path in args:
            if path in self.files:
                out += self._data(path)
            elif any(p.startswith(path.rstrip("/") + "/") for p in self.files):
                err += f"{name}: {path}: Is a directory\n".encode()
                code = 1
            else:
                err += f"{name}: {path}: No such file or directory\n".encode()
                code = 1
        return out[:limit], err, code
