"""Files in the guest through the agent: chunked base64 reads and writes, a size cap, modes.

The agent opens, reads, writes and closes files (`guest-file-*`, base64 in JSON) in chunks
of `CHUNK` bytes. It creates new files with mode 0666 whatever the umask, so a new file
gets 0644 unless a mode is given, and a mode is applied with `chmod` (the agent has no
call for it).
"""

from __future__ import annotations

import base64
import contextlib
from typing import Any

from ..base import BackendError, BackendOperationFailedError
from ..guest import ExecRequest, GuestFileNotFoundError
from ._agent import AgentError, GuestAgent
from ._exec import AGENT_TIMEOUT, run_command

__all__ = ["CHUNK", "GuestFileTooLargeError", "read_file", "write_file"]

#: Bytes per `guest-file-read`/`guest-file-write` (the agent allows up to 48 MiB).
CHUNK = 1 << 20
_NEW_FILE_MODE = 0o644


class GuestFileTooLargeError(BackendError):
    """The file is larger than the caller takes: 413 `PAYLOAD_TOO_LARGE`."""

    code = "PAYLOAD_TOO_LARGE"
    status = 413


def _file_error(exc: AgentError, path: str) -> BackendError | None:
    """The API error for an agent error about `path` itself, if it is one."""
    text = str(exc)
    if "No such file or directory" in text or "Not a directory" in text:
        return GuestFileNotFoundError(f"the guest has no file {path!r}", metadata={"path": path})
    if "Is a directory" in text:
        return GuestFileNotFoundError(
            f"{path!r} is a directory in the guest, not a file", metadata={"path": path}
        )
    return None


async def _call(agent: GuestAgent, path: str, command: str, arguments: dict[str, Any]) -> Any:
    try:
        return await agent.call(command, arguments, timeout=AGENT_TIMEOUT)
    except AgentError as exc:
        mapped = _file_error(exc, path)
        if mapped is not None:
            raise mapped from exc
        raise


async def _close(agent: GuestAgent, handle: int) -> None:
    with contextlib.suppress(AgentError):
        await agent.call("guest-file-close", {"handle": handle}, timeout=AGENT_TIMEOUT)


async def _size(agent: GuestAgent, handle: int) -> int | None:
    """The open file's size, or None if it cannot seek (a pipe, a directory)."""
    try:
        end = await agent.call(
            "guest-file-seek", {"handle": handle, "offset": 0, "whence": "end"},
            timeout=AGENT_TIMEOUT,
        )  # fmt: skip
        await agent.call(
            "guest-file-seek", {"handle": handle, "offset": 0, "whence": "set"},
            timeout=AGENT_TIMEOUT,
        )  # fmt: skip
    except AgentError as exc:
        if exc.error_class is None:
            raise
        return None
    return int(end["position"])


def _too_large(path: str, max_bytes: int, size: int | None) -> GuestFileTooLargeError:
    shown = f"is {size} bytes" if size is not None else "holds"
    return GuestFileTooLargeError(
        f"{path} {shown}, more than the {max_bytes} bytes a download may return",
        metadata={"path": path, "size_bytes": size, "max_bytes": max_bytes},
    )


async def read_file(agent: GuestAgent, path: str, max_bytes: int) -> bytes:
    """The bytes of the guest's file `path`.

    Args:
        agent: The guest's agent.
        path: An absolute path in the guest.
        max_bytes: The most bytes to return.

    Returns:
        The file's contents.

    Raises:
        GuestFileNotFoundError: There is no such file (or it is a directory).
        GuestFileTooLargeError: It holds more than `max_bytes` (known before reading when
            the file can seek, else once that much was read).
        AgentError: The agent failed otherwise.
    """
    handle = int(await _call(agent, path, "guest-file-open", {"path": path, "mode": "r"}))
    try:
        size = await _size(agent, handle)
        if size is not None and size > max_bytes:
            raise _too_large(path, max_bytes, size)
        parts: list[bytes] = []
        total = 0
        while True:
            count = min(CHUNK, max_bytes + 1 - total)  # one byte more tells "too large"
            chunk = await _call(agent, path, "guest-file-read", {"handle": handle, "count": count})
            data = base64.b64decode(chunk.get("buf-b64", ""))
            parts.append(data)
            total += len(data)
            if total > max_bytes:
                raise _too_large(path, max_bytes, None)
            if chunk.get("eof") or not data:
                return b"".join(parts)
    finally:
        await _close(agent, handle)


async def _exists(agent: GuestAgent, path: str) -> bool:
    try:
        handle = int(await _call(agent, path, "guest-file-open", {"path": path, "mode": "r"}))
    except GuestFileNotFoundError:
        return False
    await _close(agent, handle)
    return True


async def write_file(agent: GuestAgent, path: str, data: bytes, mode: int | None) -> None:
    """Create or replace the guest's file `path` with `data`.

    Args:
        agent: The guest's agent.
        path: An absolute path in the guest.
        data: The new contents.
        mode: Permission bits to give it; None keeps an existing file's and gives a new
            file 0644.

    Raises:
        GuestFileNotFoundError: Its directory does not exist (or `path` is a directory).
        BackendOperationFailedError: `chmod` failed.
        AgentError: The agent failed otherwise.
    """
    if mode is None and not await _exists(agent, path):
        mode = _NEW_FILE_MODE
    handle = int(await _call(agent, path, "guest-file-open", {"path": path, "mode": "w"}))
    try:
        for start in range(0, len(data), CHUNK):
            encoded = base64.b64encode(data[start : start + CHUNK]).decode()
            await _call(agent, path, "guest-file-write", {"handle": handle, "buf-b64": encoded})
    except BaseException:
        await _close(agent, handle)
        raise
    # closing flushes what the agent buffered: its failure is the write's failure
    await _call(agent, path, "guest-file-close", {"handle": handle})
    if mode is not None:
        result = await run_command(
            agent, ExecRequest(["chmod", f"{mode:o}", path], timeout_seconds=AGENT_TIMEOUT)
        )
        if result.exit_code != 0:
            raise BackendOperationFailedError(
                f"chmod {mode:o} {path} failed in the guest: {result.stderr.decode().strip()}",
                metadata={"path": path, "mode": f"{mode:o}", "exit_code": result.exit_code},
            )
