"""A client for qemu-guest-agent over its unix socket (JSON lines, one request at a time).

The agent speaks QMP-like JSON but sends no greeting and tags no reply, so the stream is
first synchronised with `guest-sync-delimited` (a 0xFF byte marks where its reply starts,
skipping whatever a previous client left unread) and every request then waits for its own
reply under a lock. A timeout leaves the stream out of step, so it drops the connection;
the next call reconnects and synchronises again.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import secrets
import time
from pathlib import Path
from typing import Any

__all__ = ["AgentError", "GuestAgent", "addresses_of"]

_LIMIT = 64 * 1024 * 1024  # replies carry base64 file chunks and command output


class AgentError(Exception):
    """The agent did not answer, answered with an error, or the connection broke.

    Attributes:
        error_class: The agent's error class (e.g. `GenericError`), if it answered one.
    """

    def __init__(self, message: str, *, error_class: str | None = None) -> None:
        super().__init__(message)
        self.error_class = error_class


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
        token = 1 + secrets.randbelow(2**31 - 1)  # never the global random, which others seed
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
