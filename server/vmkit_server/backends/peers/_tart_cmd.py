"""Running the `tart` executable: one subprocess per command, its output parsed, its errors mapped.

Tart prints its own errors plainly on standard error (`the specified VM "x" does not exist`,
exit 2) and everything else as `Error: ...` (exit 1, or 64 with the usage for a refused
argument). `TartCLI.error` turns them into backend errors: an unknown VM is
`BackendVMNotFoundError`, anything else `BackendOperationFailedError` carrying the command,
exit code and standard error; a missing executable is `BackendUnavailableError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shlex
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendUnavailableError,
    BackendVMNotFoundError,
)
from ._tart_options import TartOptions

__all__ = ["CommandResult", "ListEntry", "TartCLI", "VMInfo", "last_message"]

_MISSING_VM = re.compile(r'^the specified VM "(.*)" does not exist$')
_NO_SUCH_RENAME = re.compile(r"^failed to rename a non-existent local VM: ")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: Seconds a command gets to clean up after SIGINT (Tart removes its temporary VM) before
#: it is killed.
_GRACE = 5.0


@dataclass(frozen=True)
class CommandResult:
    """How one `tart` command ended.

    Attributes:
        argv: The command line, `tart` first.
        exit_code: Its exit status.
        stdout: Standard output.
        stderr: Standard error.
    """

    argv: tuple[str, ...]
    exit_code: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        """Standard output as text."""
        return self.stdout.decode("utf-8", errors="replace")

    @property
    def err(self) -> str:
        """Standard error as text."""
        return self.stderr.decode("utf-8", errors="replace")


def last_message(text: str) -> str:
    """The line of Tart's output that says what went wrong (`Error: ` removed)."""
    lines = [_ANSI.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    for line in lines:
        if line.startswith("Error: "):
            return line.removeprefix("Error: ")
    return lines[-1] if lines else ""


@dataclass(frozen=True)
class VMInfo:
    """A local VM as `tart get --format json` describes it.

    Attributes:
        name: The name it was asked by.
        os: `darwin` or `linux`.
        cpu: Virtual CPUs.
        memory_mib: RAM in MiB (Tart's `Memory`).
        disk_gb: Disk size in GB of 10^9 bytes, rounded down (Tart's `Disk`).
        state: `running`, `suspended` or `stopped` (anything else is passed on as is).
        raw: Everything Tart printed.
    """

    name: str
    os: str
    cpu: int
    memory_mib: int
    disk_gb: int
    state: str
    raw: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, name: str, data: Any) -> VMInfo:
        """Read `tart get --format json` output (already decoded)."""
        state = data.get("State")
        if state is None:  # Tart before `State` existed had only `Running`
            state = "running" if data["Running"] else "stopped"
        return cls(
            name=name,
            os=str(data["OS"]),
            cpu=int(data["CPU"]),
            memory_mib=int(data["Memory"]),
            disk_gb=int(data["Disk"]),
            state=str(state),
            raw=dict(data),
        )


@dataclass(frozen=True)
class ListEntry:
    """One row of `tart list --format json`.

    Attributes:
        source: `local` or `OCI`.
        name: The VM's (or image's) name.
        state: Its state, as `tart get` says it.
    """

    source: str
    name: str
    state: str


class TartCLI:
    """Runs `tart` with the backend's options.

    Args:
        options: The executable, `TART_HOME` and the short-command timeout.
        backend: The backend's name, for messages.
    """

    def __init__(self, options: TartOptions, *, backend: str = "tart") -> None:
        self.options = options
        self.backend = backend

    @property
    def env(self) -> dict[str, str]:
        """The environment every `tart` runs with (`TART_HOME` set when configured)."""
        env = dict(os.environ)
        if self.options.tart_home is not None:
            env["TART_HOME"] = str(self.options.tart_home)
        return env

    def argv(self, *args: str) -> list[str]:
        """`tart <args>` as a command line."""
        return [self.options.tart, *args]

    def unavailable(self, exc: OSError) -> BackendUnavailableError:
        """The error for a `tart` that cannot be started."""
        return BackendUnavailableError(
            f"cannot run the tart executable {self.options.tart!r}: {exc.strerror or exc}; "
            "install Tart (brew install cirruslabs/cli/tart) or point vmkit at it with "
            "--backend-opt tart=/path/to/tart",
            metadata={"tart": self.options.tart},
        )

    async def run(
        self,
        *args: str,
        timeout: float | None = None,
        stdin: bytes | None = None,
        check: bool = True,
    ) -> CommandResult:
        """Run `tart <args>` to its end.

        Args:
            *args: The arguments after `tart`.
            timeout: Seconds it may take (the `timeout` option when None).
            stdin: Bytes for its standard input (none attached when None).
            check: Raise the mapped error when it exits non-zero.

        Raises:
            BackendUnavailableError: `tart` cannot be started.
            BackendTimeoutError: It took longer than `timeout` (it is killed).
            BackendVMNotFoundError: It says the VM does not exist (with `check`).
            BackendOperationFailedError: Any other failure (with `check`).
        """
        argv = self.argv(*args)
        limit = self.options.timeout if timeout is None else timeout
        proc = await self._spawn(argv, stdin=stdin is not None, merge=False)
        try:
            out, err = await asyncio.wait_for(proc.communicate(stdin), limit)
        except TimeoutError:
            await _end(proc)
            raise BackendTimeoutError(
                f"`{shlex.join(argv)}` did not finish within {limit:g} s (killed)",
                metadata={"command": shlex.join(argv)},
            ) from None
        except BaseException:
            await _end(proc)
            raise
        result = CommandResult(tuple(argv), _code(proc), out, err)
        if check and result.exit_code != 0:
            raise self.error(result)
        return result

    async def stream(self, *args: str, on_line: Callable[[str], None]) -> CommandResult:
        """Run a long `tart <args>` (pull, clone, create), handing each output line on.

        It has no time limit; cancelling the caller sends it SIGINT, which Tart answers by
        removing what it had half made.

        Raises:
            BackendUnavailableError: `tart` cannot be started.
            BackendVMNotFoundError: It says the VM does not exist.
            BackendOperationFailedError: Any other failure.
        """
        argv = self.argv(*args)
        proc = await self._spawn(argv, stdin=False, merge=True)
        assert proc.stdout is not None
        lines: list[str] = []
        try:
            async for raw in proc.stdout:
                line = _ANSI.sub("", raw.decode("utf-8", errors="replace")).strip()
                if line:
                    lines.append(line)
                    on_line(line)
            await proc.wait()
        except BaseException:
            await _end(proc)
            raise
        text = "\n".join(lines[-50:]).encode()
        result = CommandResult(tuple(argv), _code(proc), b"", text)
        if result.exit_code != 0:
            raise self.error(result)
        return result

    async def _spawn(
        self, argv: list[str], *, stdin: bool, merge: bool
    ) -> asyncio.subprocess.Process:
        pipe = asyncio.subprocess.PIPE
        try:
            return await asyncio.create_subprocess_exec(
                *argv,
                stdin=pipe if stdin else asyncio.subprocess.DEVNULL,
                stdout=pipe,
                stderr=asyncio.subprocess.STDOUT if merge else pipe,
                env=self.env,
            )
        except OSError as exc:
            raise self.unavailable(exc) from exc

    def error(self, result: CommandResult) -> BackendError:
        """The backend error for a failed command.

        Returns:
            `BackendVMNotFoundError` when Tart says the VM does not exist, else
            `BackendOperationFailedError` with the command, exit code and output.
        """
        message = last_message(result.err) or f"exit code {result.exit_code}"
        metadata = {
            "command": shlex.join(result.argv),
            "exit_code": result.exit_code,
            "stderr": result.err[-2000:],
        }
        if _MISSING_VM.match(message) or _NO_SUCH_RENAME.match(message):
            return BackendVMNotFoundError(f"Tart: {message}", metadata=metadata)
        subcommand = result.argv[1] if len(result.argv) > 1 else "tart"
        return BackendOperationFailedError(
            f"tart {subcommand} failed: {message}", metadata=metadata
        )

    # -- the commands the backend reads with ------------------------------------------------

    async def get(self, name: str) -> VMInfo:
        """`tart get NAME --format json`.

        Raises:
            BackendVMNotFoundError: Tart has no local VM of that name.
        """
        result = await self.run("get", name, "--format", "json")
        return VMInfo.parse(name, self._json(result))

    async def list_local(self) -> list[ListEntry]:
        """`tart list --source local --format json`: every local VM."""
        result = await self.run("list", "--source", "local", "--format", "json")
        rows = self._json(result)
        return [ListEntry(str(r["Source"]), str(r["Name"]), str(r.get("State", ""))) for r in rows]

    async def exists(self, name: str) -> bool:
        """True if Tart has a local VM called `name`."""
        try:
            await self.get(name)
        except BackendVMNotFoundError:
            return False
        return True

    async def ip(self, name: str) -> str | None:
        """`tart ip NAME [--resolver R]` (no waiting): the address, or None if none is known.

        `--resolver` is passed only when it is not Tart's default (`dhcp`), which older Tart
        versions without the option understand too.
        """
        resolver = self.options.ip_resolver
        extra = ("--resolver", resolver) if resolver != "dhcp" else ()
        result = await self.run("ip", name, *extra, check=False)
        address = result.out.strip()
        if result.exit_code == 0 and address:
            return address
        if _MISSING_VM.match(last_message(result.err)):
            raise self.error(result)
        return None

    async def version(self) -> str:
        """`tart --version`."""
        return (await self.run("--version")).out.strip()

    def _json(self, result: CommandResult) -> Any:
        try:
            return json.loads(result.out)
        except ValueError as exc:
            raise BackendOperationFailedError(
                f"`{shlex.join(result.argv)}` printed something that is not JSON: {exc}",
                metadata={"stdout": result.out[-2000:]},
            ) from exc


def _code(proc: asyncio.subprocess.Process) -> int:
    assert proc.returncode is not None
    return proc.returncode


async def _end(proc: asyncio.subprocess.Process) -> None:
    """Stop a command we no longer wait for: SIGINT first (Tart cleans up), then SIGKILL."""
    if proc.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGINT)
    try:
        await asyncio.shield(asyncio.wait_for(proc.wait(), _GRACE))
    except (TimeoutError, asyncio.CancelledError):
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(proc.wait())
