"""Reaching into a Tart guest: `tart exec` (Tart 2.x on macOS 14+, with the Tart Guest Agent).

`tart exec NAME CMD...` runs a command through the guest agent and exits with the command's
status, so Tart's own failures are told apart by what they print: nothing on standard
output and exactly one of Tart's messages on standard error (the VM does not run, the
agent does not answer, the VM does not exist). Environment variables go through `env`;
standard input through `-i`. Files are `head -c` and `cat >` in the guest, since the agent
has no file calls; a mode is applied with `chmod`. Tart has no console or screenshot.
"""

from __future__ import annotations

import re
import time

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendVMNotFoundError,
)
from ..guest import (
    ExecRequest,
    ExecResult,
    ExecTimeoutError,
    GuestFileNotFoundError,
    GuestNotReadyError,
)
from ._tart_cmd import CommandResult, last_message
from ._tart_engine import TartEngine

__all__ = ["MAX_OUTPUT", "GuestFileTooLargeError", "TartAccess"]

#: Output an exec keeps per stream before it is cut.
MAX_OUTPUT = 1 << 20
_NOT_READY = (
    re.compile(r'^VM ".*" is not running$'),
    re.compile(r"^Failed to connect to the VM using its control socket: .*"),
)
_MISSING = re.compile(r'^the specified VM ".*" does not exist$')
_NO_FILE = ("No such file or directory", "Not a directory", "Is a directory", "nonexistent")


class GuestFileTooLargeError(BackendError):
    """The file is larger than the caller takes: 413 `PAYLOAD_TOO_LARGE`."""

    code = "PAYLOAD_TOO_LARGE"
    status = 413


class TartAccess(TartEngine):
    """Exec and files through `tart exec`; console and screenshots are not Tart's."""

    async def exec(self, vm_id: str, request: ExecRequest) -> ExecResult:
        """Run a command in the guest (`tart exec`), output cut at `MAX_OUTPUT` per stream.

        Raises:
            BackendVMNotFoundError: Unknown VM.
            GuestNotReadyError: The VM does not run, or its guest agent does not answer.
            ExecTimeoutError: It outlived `request.timeout_seconds` (`tart exec` is killed).
        """
        started = time.monotonic()
        result = await self._exec(vm_id, request, stdin=request.stdin or None)
        return ExecResult(
            exit_code=result.exit_code,
            stdout=result.stdout[:MAX_OUTPUT],
            stderr=result.stderr[:MAX_OUTPUT],
            stdout_truncated=len(result.stdout) > MAX_OUTPUT,
            stderr_truncated=len(result.stderr) > MAX_OUTPUT,
            duration_seconds=time.monotonic() - started,
        )

    async def read_file(self, vm_id: str, path: str, *, max_bytes: int) -> bytes:
        """A guest file's bytes (`head -c`), at most `max_bytes`.

        Raises:
            GuestFileNotFoundError: No such file (or it is a directory).
            GuestFileTooLargeError: It holds more than `max_bytes`.
        """
        request = ExecRequest(["head", "-c", str(max_bytes + 1), path], timeout_seconds=300)
        result = await self._exec(vm_id, request, stdin=None)
        self._file_result(result, path)
        if len(result.stdout) > max_bytes:
            raise GuestFileTooLargeError(
                f"{path} holds more than {max_bytes} bytes",
                metadata={"path": path, "max_bytes": max_bytes},
            )
        return result.stdout

    async def write_file(self, vm_id: str, path: str, data: bytes, *, mode: int | None) -> None:
        """Create or replace a guest file (`cat >`), then `chmod` it when `mode` is given.

        Raises:
            GuestFileNotFoundError: Its folder does not exist.
        """
        request = ExecRequest(["/bin/sh", "-c", 'cat > "$1"', "sh", path], timeout_seconds=300)
        self._file_result(await self._exec(vm_id, request, stdin=data), path)
        if mode is not None:
            chmod = ExecRequest(["chmod", f"{mode:o}", path], timeout_seconds=60)
            self._file_result(await self._exec(vm_id, chmod, stdin=None), path)

    async def _exec(
        self, vm_id: str, request: ExecRequest, *, stdin: bytes | None
    ) -> CommandResult:
        name = self.handles.require(vm_id)
        env = [f"{k}={v}" for k, v in request.env.items()]
        args = [
            "exec", *(["-i"] if stdin is not None else []), name,
            *(["env", *env] if env else []), *request.argv,
        ]  # fmt: skip
        try:
            result = await self.cli.run(
                *args, timeout=request.timeout_seconds, stdin=stdin, check=False
            )
        except BackendTimeoutError as exc:
            raise ExecTimeoutError(
                f"the command did not finish within {request.timeout_seconds:g} s and was killed",
                metadata={"timeout_seconds": request.timeout_seconds},
            ) from exc
        self._tart_failure(result, name)
        return result

    def _tart_failure(self, result: CommandResult, name: str) -> None:
        """Raise if `tart exec` itself failed (rather than the command it ran)."""
        if result.exit_code == 0 or result.stdout:
            return
        err = result.err.strip()
        message = last_message(err)
        if result.exit_code == 64 and "Usage: tart exec" in err:
            raise BackendOperationFailedError(f"tart exec refused: {message}")
        if "\n" in err:
            return
        if _MISSING.match(err):
            raise BackendVMNotFoundError(f"Tart: {err}", metadata={"tart_name": name})
        if any(p.match(err) for p in _NOT_READY):
            raise GuestNotReadyError(
                f"the guest of Tart VM {name} cannot run commands: {err}",
                metadata={"tart_name": name, "detail": err},
            )
        if err.startswith('"tart exec" is only available'):
            raise BackendOperationFailedError(f"Tart: {err}", metadata={"tart_name": name})

    @staticmethod
    def _file_result(result: CommandResult, path: str) -> None:
        if result.exit_code == 0:
            return
        err = result.err.strip()
        if any(marker in err for marker in _NO_FILE):
            raise GuestFileNotFoundError(
                f"the guest has no file {path!r} ({last_message(err)})", metadata={"path": path}
            )
        raise BackendOperationFailedError(
            f"the guest could not access {path!r}: {last_message(err) or 'no message'}",
            metadata={"path": path, "exit_code": result.exit_code},
        )
