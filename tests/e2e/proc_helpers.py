"""Running the real `vmkit-server` command as a child process: start, read its URL, signal it."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

__all__ = ["ServerProcess", "server_command"]

_READY = re.compile(r"ready at (http://\S+)")


def server_command() -> Path:
    """The `vmkit-server` script of the virtualenv running the tests."""
    return Path(sys.executable).parent / "vmkit-server"


class ServerProcess:
    """A `vmkit-server` child process; its output is collected by a reader thread.

    Use :meth:`start`; stop it with :meth:`terminate` (SIGTERM, clean) or :meth:`kill`
    (SIGKILL, a crash).

    Attributes:
        url: The URL from the server's `ready at` line.
        data_dir: Its data directory.
        lines: Every line it printed so far (stdout and stderr together).
    """

    def __init__(self, proc: subprocess.Popen[str], data_dir: Path) -> None:
        self._proc = proc
        self.data_dir = data_dir
        self.url = ""
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, data_dir: Path, *extra: str, timeout: float = 30.0) -> ServerProcess:
        """Start `vmkit-server --port 0 --data-dir D --backend simulated` plus `extra`.

        Args:
            data_dir: The data directory.
            *extra: More command-line arguments.
            timeout: Seconds to wait for the `ready at` line.

        Returns:
            The running server, with its `url`.

        Raises:
            RuntimeError: The process exited or printed no `ready at` line in time.
        """
        args = [str(server_command()), "--port", "0", "--data-dir", str(data_dir)]
        args += ["--backend", "simulated", *extra]
        proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        server = cls(proc, data_dir)
        deadline = time.monotonic() + timeout
        while not server.url:
            try:
                line = server._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                server.kill()
                raise RuntimeError(f"no 'ready at' line in {timeout}s: {server.lines}") from None
            if line is None:
                raise RuntimeError(f"vmkit-server exited early: {server.lines}")
            match = _READY.search(line)
            if match:
                server.url = match.group(1)
        return server

    @property
    def pid(self) -> int:
        """The process id."""
        return self._proc.pid

    def terminate(self, timeout: float = 15.0) -> int:
        """Send SIGTERM and wait for the process to exit.

        Returns:
            Its exit status.

        Raises:
            subprocess.TimeoutExpired: It did not exit within `timeout` (it is killed then).
        """
        self._proc.send_signal(signal.SIGTERM)
        try:
            return self._wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self) -> int:
        """Send SIGKILL (no cleanup at all, like a power cut) and reap the process.

        Returns:
            Its exit status (negative: killed by a signal).
        """
        self._proc.kill()
        return self._wait(15.0)

    def _wait(self, timeout: float) -> int:
        code = self._proc.wait(timeout)
        self._reader.join(timeout)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        return code

    def _read(self) -> None:
        stream = self._proc.stdout
        assert stream is not None
        for line in stream:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)
        self._queue.put(None)
