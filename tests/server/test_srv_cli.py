"""`vmkit-server`: clear errors for bad options, a clean exit when the port is taken."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
from pathlib import Path

SERVER = [sys.executable, "-m", "vmkit_server"]


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SERVER, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_unknown_backend_is_a_usage_error(tmp_path: Path) -> None:
    """An unknown backend names the known ones and exits 2, without a traceback."""
    result = _run("--data-dir", str(tmp_path), "--backend", "vmware")
    assert 2 == result.returncode
    assert "vmware" in result.stderr
    assert "simulated" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_backend_option_is_a_usage_error(tmp_path: Path) -> None:
    """A malformed or unknown --backend-opt is refused before anything starts."""
    malformed = _run("--data-dir", str(tmp_path), "--backend-opt", "novalue")
    assert 2 == malformed.returncode
    assert "KEY=VALUE" in malformed.stderr
    unknown = _run("--data-dir", str(tmp_path), "--backend-opt", "colour=blue")
    assert 2 == unknown.returncode
    assert "colour" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_port_in_use_exits_non_zero(tmp_path: Path) -> None:
    """If the port is taken the server says so and exits 1 instead of hanging."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run("--data-dir", str(tmp_path), "--port", str(port))
    assert 1 == result.returncode
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "ready at" not in result.stdout


def test_version_and_help() -> None:
    """--version prints the version; --help lists the options."""
    assert "vmkit-server 0.1.0" in _run("--version").stdout
    help_text = _run("--help").stdout
    for option in ("--host", "--port", "--data-dir", "--backend", "--database-url"):
        assert option in help_text


def test_sigterm_shuts_down_cleanly_with_status_0(tmp_path: Path) -> None:
    """SIGTERM: lifespan shutdown runs, the process exits 0 (not 143)."""
    proc = subprocess.Popen(
        [*SERVER, "--data-dir", str(tmp_path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # blocks until the server says it is ready
    assert "ready at http://127.0.0.1:" in first
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert 0 == proc.returncode
    assert "Application shutdown complete" in err


def test_listening_socket_gives_connections_tcp_nodelay() -> None:
    """Connections accepted on our own socket get TCP_NODELAY (else ~40 ms per response)."""
    from vmkit_server.cli import _listen

    async def scenario() -> int:
        seen: list[int] = []

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        listener = _listen("127.0.0.1", 0)
        server = await asyncio.start_server(on_connect, sock=listener)
        port = listener.getsockname()[1]
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            while not seen:
                await asyncio.sleep(0)
            writer.close()
        return seen[0]

    assert 0 != asyncio.run(scenario())


def test_a_second_server_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    """The first server holds the data dir; a second one says so and exits 2."""
    first = subprocess.Popen(
        [*SERVER, "--data-dir", str(tmp_path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None
        assert "ready at" in first.stdout.readline()
        second = _run("--data-dir", str(tmp_path), "--port", "0")
        assert 2 == second.returncode
        assert "another vmkit-server is using" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    again = subprocess.Popen(  # after a clean stop the directory is free again
        [*SERVER, "--data-dir", str(tmp_path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert again.stdout is not None
    assert "ready at" in again.stdout.readline()
    again.send_signal(signal.SIGTERM)
    again.communicate(timeout=60)
    assert 0 == again.returncode
