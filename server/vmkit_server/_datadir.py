"""One server per data directory, enforced with an exclusive lock the kernel drops on exit.

The store's caches assume this process is the database's only writer, and the backend's
state files assume one owner; a second server on the same directory is refused at once.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

__all__ = ["DataDirInUseError", "DataDirLock"]


class DataDirInUseError(RuntimeError):
    """Another vmkit-server holds the data directory."""


class DataDirLock:
    """An exclusive `flock` on `<data-dir>/server.lock`, held until `release()` or exit.

    Args:
        data_dir: The directory (created if missing).

    Raises:
        DataDirInUseError: Another process (or another app in this one) holds it.
    """

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "server.lock"
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise DataDirInUseError(
                f"another vmkit-server is using {data_dir} (lock {self.path} is held)"
            ) from None
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        """Give the directory up (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
