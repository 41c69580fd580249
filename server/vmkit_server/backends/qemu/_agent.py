"""A client for qemu-guest-agent over its unix socket (JSON lines, one request at a time).

The agent speaks QMP-like JSON but sends no greeting and tags no reply, so the stream is
first synchronised with `guest-sync-delimited` (a 0xFF byte marks where its reply starts,
skipping whatever a previous client left unread) and every request then waits for its own
reply under a lock. A timeout leaves the stream out of step, so it drops the connection;
the next call reconnects and synchronises again.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["AgentError", "ExecResult", "GuestAgent", "addresses_of"]

_LIMIT = 64 * 1024 * 1024  # replies carry base64 file chunks and command output


class AgentError(Exception):
    """The agent did not answer, answered with an error, or the connection broke.

    Attributes:
        error_class: The agent's error class (e.g. `GenericError`), if it answered one.
    """

    def __init__(self, message: str, *, error_class: str | None = None) -> None:
        super().__init__(message)
        self.error_class = error_class


@dataclass(frozen=True)
class ExecResult:
    """What a command run in the guest gave back.

    Attributes:
        exit_code: Its exit code (or -signal if a signal ended it).
        stdout: Its standard output.
        stderr: Its standard error.
    """

    exit_code: int
    stdout: bytes
    stderr: bytes


def addresses_of(interfaces: list[dict[str, Any]]) -> list[str]:
    """The guest's addresses from `guest-network-get-interfaces`, IPv4 first.

    Loopback and IPv6 link-local addresses are left out: nobody can reach the guest there.
    """
    found: list[tuple[int, str]] = []
    for iface in interfaces:
        for entry in iface.get("ip-addresses") or []:
            try:
                addr = ipaddress.ip_address(str(entry.get("ip-address", "")).split("%")[0])
            except ValueError:
                continue
            if addr.is_loopback or addr.is_link_local:
                continue
            found.append((addr.version, str(addr)))
    return [a for _, a in sorted(found, key=lambda item: item[0])]


class GuestAgent:
    """The guest agent of one VM.

    Args:
        socket: The host end of the agent's virtio-serial channel.
    """

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self._lock = asyncio.Lock()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    @property
    def busy(self) -> bool:
        """True while a request is in flight."""
        return self._lock.locked()

    async def close(self) -> None:
        """Drop the connection (never raises)."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, ConnectionError):
                await writer.wait_closed()

    async def _connect(self, deadline: float) -> None:
        """Connect and synchronise, retrying until the agent in the guest answers."""
        while True:
            try:
                self._reader, self._writer = await asyncio.open_unix_connection(
                    str(self.socket), limit=_LIMIT
                )
                await self._sync(min(1.0, max(0.05, deadline - time.monotonic())))
                return
            except (OSError, ConnectionError, TimeoutError, AgentError, ValueError) as exc:
                await self.close()
                if time.monotonic() >= deadline:
                    raise AgentError(f"the guest agent does not answer: {exc!r}") from exc
                await asyncio.sleep(0.05)

    async def _sync(self, timeout: float) -> None:
        assert self._reader is not None and self._writer is not None
        token = random.randrange(1, 2**31)
        request = {"execute": "guest-sync-delimited", "arguments": {"id": token}}
        self._writer.write(b"\xff" + json.dumps(request).encode() + b"\n")
        await self._writer.drain()
        async with asyncio.timeout(timeout):
            while True:
                await self._reader.readuntil(b"\xff")
                line = await self._reader.readline()
                with contextlib.suppress(ValueError):
                    if json.loads(line).get("return") == token:
                        return

    async def call(
        self,
        command: str,
        arguments: dict[str, Any] | None = None,
        *,
        timeout: float = 10.0,
        reply: bool = True,
    ) -> Any:
        """Run one agent command and return its `return` value.

        Args:
            command: The command (`guest-ping`, `guest-exec`, ...).
            arguments: Its arguments.
            timeout: Seconds for connecting (if needed) and the reply together.
            reply: False for commands that answer nothing on success (`guest-shutdown`).

        Raises:
            AgentError: No answer in time, an error answer, or a broken connection.
        """
        deadline = time.monotonic() + timeout
        async with self._lock:
            try:
                if self._writer is None:
                    await self._connect(deadline)
                assert self._reader is not None and self._writer is not None
                message: dict[str, Any] = {"execute": command}
                if arguments:
                    message["arguments"] = arguments
                self._writer.write(json.dumps(message).encode() + b"\n")
                await self._writer.drain()
                if not reply:
                    return None
                async with asyncio.timeout(max(0.01, deadline - time.monotonic())):
                    line = await self._reader.readline()
                if not line:
                    raise AgentError(f"{command}: the agent closed the connection")
                answer = json.loads(line)
            except AgentError:
                await self.close()
                raise
            except (OSError, ConnectionError, TimeoutError, ValueError) as exc:
                await self.close()
                raise AgentError(f"{command}: no answer from the guest agent ({exc!r})") from exc
        if "error" in answer:
            error = answer["error"]
            raise AgentError(
                f"{command} failed: {error.get('desc')}", error_class=error.get("class")
            )
        return answer.get("return")

    async def wait_ready(self, timeout: float) -> None:
        """Return once the agent answers `guest-ping`.

        Raises:
            AgentError: It did not within `timeout`.
        """
        await self.call("guest-ping", timeout=timeout)

    async def addresses(self, timeout: float = 5.0) -> list[str]:
        """The guest's reachable addresses."""
        return addresses_of(await self.call("guest-network-get-interfaces", timeout=timeout) or [])

    async def shutdown(self, timeout: float = 2.0) -> None:
        """Ask the guest to power off (the agent sends no reply when it works)."""
        await self.call("guest-shutdown", {"mode": "powerdown"}, timeout=timeout, reply=False)

    async def exec(
        self, argv: list[str], *, stdin: bytes | None = None, timeout: float = 60.0
    ) -> ExecResult:
        """Run a command in the guest and wait for it.

        Args:
            argv: The program (absolute path or in the guest's PATH) and its arguments.
            stdin: Bytes for its standard input.
            timeout: Seconds for the whole command.

        Raises:
            AgentError: The agent failed, or the command ran longer than `timeout`.
        """
        deadline = time.monotonic() + timeout
        arguments: dict[str, Any] = {"path": argv[0], "arg": argv[1:], "capture-output": True}
        if stdin is not None:
            arguments["input-data"] = base64.b64encode(stdin).decode()
        pid = (await self.call("guest-exec", arguments, timeout=timeout))["pid"]
        delay = 0.005
        while True:
            status = await self.call(
                "guest-exec-status", {"pid": pid}, timeout=max(0.5, deadline - time.monotonic())
            )
            if status.get("exited"):
                code = status.get("exitcode")
                return ExecResult(
                    exit_code=int(code) if code is not None else -int(status.get("signal", 0)),
                    stdout=base64.b64decode(status.get("out-data", "")),
                    stderr=base64.b64decode(status.get("err-data", "")),
                )
            if time.monotonic() >= deadline:
                raise AgentError(f"{argv[0]} still runs in the guest after {timeout}s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.1)

    async def write_file(self, path: str, data: bytes, timeout: float = 30.0) -> None:
        """Write `data` to `path` in the guest (replacing it)."""
        handle = await self.call("guest-file-open", {"path": path, "mode": "w"}, timeout=timeout)
        try:
            for start in range(0, len(data), 1 << 20):
                chunk = base64.b64encode(data[start : start + (1 << 20)]).decode()
                await self.call(
                    "guest-file-write", {"handle": handle, "buf-b64": chunk}, timeout=timeout
                )
        finally:
            await self.call("guest-file-close", {"handle": handle}, timeout=timeout)

    async def read_file(self, path: str, timeout: float = 30.0) -> bytes:
        """The contents of `path` in the guest."""
        handle = await self.call("guest-file-open", {"path": path, "mode": "r"}, timeout=timeout)
        parts = []
        try:
            while True:
                chunk = await self.call(
                    "guest-file-read", {"handle": handle, "count": 1 << 20}, timeout=timeout
                )
                parts.append(base64.b64decode(chunk.get("buf-b64", "")))
                if chunk.get("eof") or not chunk.get("count"):
                    return b"".join(parts)
        finally:
            await self.call("guest-file-close", {"handle": handle}, timeout=timeout)
