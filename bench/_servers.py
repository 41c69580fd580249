"""The two servers under test, each a separate uvicorn process on loopback.

Both run one uvicorn worker with the same settings: no access log, no ``Server`` header,
asyncio's default event loop (``vmkit-server`` runs uvicorn inside ``asyncio.run``, so the
bare app is told ``--loop asyncio`` to match) and uvicorn's ``auto`` HTTP implementation.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["ServerProcess", "free_port", "http_impl", "start_bare", "start_vmkit"]

BENCH_DIR = Path(__file__).resolve().parent
_READY = re.compile(r" ready at (http://\S+)")


@dataclass
class ServerProcess:
    """A server process started by this module.

    Attributes:
        name: What the report calls it.
        url: Its base URL.
        process: The process.
        log: Where its stdout and stderr go.
    """

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit within 10 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def http_impl() -> str:
    """The HTTP implementation uvicorn's ``auto`` picks in this environment."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _vmkit_server_command() -> list[str]:
    script = Path(sys.executable).parent / "vmkit-server"
    if script.exists():
        return [str(script)]
    found = shutil.which("vmkit-server")
    return [found] if found else [sys.executable, "-m", "vmkit_server"]


def _fail(name: str, process: subprocess.Popen[bytes], log: Path, why: str) -> RuntimeError:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)
    return RuntimeError(f"{name} {why}; its log:\n{log.read_text(errors='replace')}")


def start_vmkit(
    data_dir: Path,
    *,
    backend: str = "simulated",
    options: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> ServerProcess:
    """Start ``vmkit-server --port 0 --data-dir data_dir`` and wait for its ready line.

    Args:
        data_dir: Its data dir.
        backend: Its backend.
        options: Its backend options (``--backend-opt key=value`` each).
        timeout: Seconds it may take to say it is ready.

    Raises:
        RuntimeError: It exited or did not say it was ready within `timeout` seconds.
    """
    log = data_dir.parent / "vmkit-server.log"
    command = [
        *_vmkit_server_command(),
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        "--backend",
        backend,
        "--log-level",
        "warning",
    ]
    for key, value in (options or {}).items():
        command += ["--backend-opt", f"{key}={value}"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _READY.search(log.read_text(errors="replace"))
        if found:
            return ServerProcess("vmkit-server", found.group(1), process, log)
        if process.poll() is not None:
            raise _fail("vmkit-server", process, log, f"exited with {process.returncode}")
        time.sleep(0.05)  # polling a log file; a benchmark script, not a test
    raise _fail("vmkit-server", process, log, f"was not ready in {timeout:.0f} s")


def start_bare(
    workdir: Path, body: bytes, headers: dict[str, str], *, timeout: float = 30.0
) -> ServerProcess:
    """Start the bare Starlette app (``_bare_app.py``) serving exactly `body` and `headers`.

    Raises:
        RuntimeError: It exited or did not answer within `timeout` seconds.
    """
    body_file = workdir / "bare-body.json"
    body_file.write_bytes(body)
    headers_file = workdir / "bare-headers.json"
    headers_file.write_text(json.dumps(headers))
    log = workdir / "bare.log"
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "_bare_app:app",
        "--app-dir",
        str(BENCH_DIR),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "asyncio",
        "--http",
        "auto",
        "--no-access-log",
        "--no-server-header",
        "--log-level",
        "warning",
    ]
    env = {
        **os.environ,
        "VMKIT_BENCH_BODY": str(body_file),
        "VMKIT_BENCH_HEADERS": str(headers_file),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise _fail("the bare app", process, log, f"exited with {process.returncode}")
        try:
            httpx.get(f"{url}/v1/vms/probe", timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.05)  # not listening yet
            continue
        return ServerProcess("bare Starlette", url, process, log)
    raise _fail("the bare app", process, log, f"did not answer in {timeout:.0f} s")
