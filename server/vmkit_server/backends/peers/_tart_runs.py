"""Detached `tart run` processes: one per running VM, with its pid, exit code and output on disk.

`tart run` stays in the foreground for as long as the VM runs. The backend starts it through
`/bin/sh` in the background of a new session, so it outlives the server (as a VM should) and
is nobody's child to reap: the shell writes the process's pid, its output and, when it ends,
its exit status into `<state dir>/runs/<vm id>/`. Those files are the evidence `observe`
uses to tell a guest that shut down (exit 0) from a run that failed or crashed.

Signals go only to a pid that is proven to be that VM's `tart run`: its exit status is not
written yet, the process is alive and `ps` shows `run` and the VM's name on its command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

__all__ = ["RunFiles", "Runs"]

# The subshell runs `tart run ...` ("$@"), records its pid, waits, records its status.
_LAUNCH = (
    '( "$@" & echo $! > "$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid"; wait $!; '
    'echo $? > "$0/rc.tmp" && mv "$0/rc.tmp" "$0/rc" ) > "$0/log" 2>&1 < /dev/null &'
)
#: Lines of output kept as evidence in errors and observations.
TAIL_LINES = 20


class RunFiles:
    """The files of one VM's latest `tart run`.

    Args:
        directory: `<state dir>/runs/<vm id>`.
    """

    def __init__(self, directory: Path) -> None:
        self.dir = directory

    @property
    def log(self) -> Path:
        """The run's standard output and error."""
        return self.dir / "log"

    def reset(self, **meta: Any) -> None:
        """Forget the previous run and record what the next one is (`name`, `reason`, ...)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for leftover in ("pid", "rc", "log", "pid.tmp", "rc.tmp"):
            (self.dir / leftover).unlink(missing_ok=True)
        self._write_meta(meta)

    def remove(self) -> None:
        """Delete every file (the VM is gone)."""
        shutil.rmtree(self.dir, ignore_errors=True)

    def exists(self) -> bool:
        """True if a run was ever started here."""
        return (self.dir / "meta.json").exists()

    def pid(self) -> int | None:
        """The `tart run` process's pid, once the shell wrote it."""
        return _read_int(self.dir / "pid")

    def exit_code(self) -> int | None:
        """Its exit status, once it ended."""
        return _read_int(self.dir / "rc")

    def meta(self) -> dict[str, Any]:
        """What was recorded at launch (and since)."""
        try:
            loaded: dict[str, Any] = json.loads((self.dir / "meta.json").read_text())
        except (OSError, ValueError):
            return {}
        return loaded

    def update_meta(self, **changes: Any) -> None:
        """Record more about the current run."""
        self._write_meta({**self.meta(), **changes})

    def tail(self, lines: int = TAIL_LINES) -> str:
        """The last `lines` lines of its output."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _write_meta(self, meta: dict[str, Any]) -> None:
        tmp = self.dir / "meta.json.tmp"
        tmp.write_text(json.dumps(meta))
        os.replace(tmp, self.dir / "meta.json")


class Runs:
    """Every VM's run files, under `<state dir>/runs`.

    Args:
        root: The folder.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self, vm_id: str) -> RunFiles:
        """The run files of `vm_id`."""
        return RunFiles(self.root / vm_id)

    async def launch(self, files: RunFiles, argv: list[str], env: dict[str, str]) -> None:
        """Start `argv` detached, its output and status going to `files`.

        Raises:
            OSError: `/bin/sh` cannot be started.
        """
        shell = await asyncio.create_subprocess_exec(
            "/bin/sh", "-c", _LAUNCH, str(files.dir), *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )  # fmt: skip
        await shell.wait()

    async def verified_pid(self, files: RunFiles, name: str) -> int | None:
        """The pid of the VM's `tart run` if it is provably still that process, else None."""
        pid = files.pid()
        if pid is None or files.exit_code() is not None:
            return None
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        try:
            ps = await asyncio.create_subprocess_exec(
                "ps", "-ww", "-o", "command=", "-p", str(pid),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            out, _ = await ps.communicate()
        except OSError:
            return None
        words = out.decode(errors="replace").split()
        launched = str(files.meta().get("name", name))
        return pid if "run" in words and launched in words else None


def _read_int(path: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int(path.read_text().strip())
    return None
