"""Security defaults: the token file, where the server listens, TLS, what the database keeps."""

from __future__ import annotations

import hashlib
import shutil
import signal
import ssl
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from vmkit_server.app import ServerConfig, create_app
from vmkit_server.cli import exposure_warning
from vmkit_server.core.auth import InsecureTokenFileError
from vmkit_server.testing import start_server

SERVER = [sys.executable, "-m", "vmkit_server"]


class Child:
    """`vmkit-server` as a child process, its stdout and stderr read as one stream."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [*SERVER, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []

    def ready(self) -> str:
        """Read until the `ready at` line; return the URL it names."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if "ready at " in line:
                return line.split("ready at ", 1)[1].strip()
        raise AssertionError(f"no 'ready at' line: {''.join(self.lines)}")

    def stop(self) -> str:
        """SIGTERM; everything it printed."""
        assert self.proc.stdout is not None
        self.proc.send_signal(signal.SIGTERM)
        # read() and not communicate(): that reads the pipe's fd and would skip the lines
        # already buffered by `ready`
        rest = self.proc.stdout.read()
        self.proc.stdout.close()
        self.proc.wait(timeout=60)
        return "".join(self.lines) + rest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir a server has initialised (database, admin token file) and released."""
    running = start_server(tmp_path / "data")
    running.stop()
    return tmp_path / "data"


def test_the_admin_token_file_is_private(data_dir: Path) -> None:
    """Written 0600 at first start, holding only the token."""
    token_file = data_dir / "admin-token"
    assert 0o600 == stat.S_IMODE(token_file.stat().st_mode)
    assert token_file.read_text().startswith("vmk_")
    assert 1 == len(token_file.read_text().splitlines())


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_token_file_open_to_others_stops_the_start(data_dir: Path, mode: int) -> None:
    """Group or other permissions on the token file: the app is not built."""
    (data_dir / "admin-token").chmod(mode)
    with pytest.raises(InsecureTokenFileError, match="chmod 600"):
        create_app(ServerConfig(data_dir=data_dir))


def test_the_cli_refuses_an_exposed_token_file_with_exit_2(data_dir: Path) -> None:
    """One clear line naming the file and the fix, status 2, no traceback, no token."""
    token_file = data_dir / "admin-token"
    token = token_file.read_text().strip()
    token_file.chmod(0o644)
    result = subprocess.run(
        [*SERVER, "--data-dir", str(data_dir), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert 2 == result.returncode
    assert f"chmod 600 {token_file}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "ready at" not in result.stdout
    assert token not in result.stdout + result.stderr
    token_file.chmod(0o600)
    fixed = Child("--data-dir", str(data_dir), "--port", "0")
    fixed.ready()
    fixed.stop()
    assert 0 == fixed.proc.returncode


def test_the_server_binds_loopback_by_default(tmp_path: Path) -> None:
    """Without --host the server listens on 127.0.0.1 and warns about nothing."""
    child = Child("--data-dir", str(tmp_path), "--port", "0")
    url = child.ready()
    output = child.stop()
    assert url.startswith("http://127.0.0.1:")
    assert "WARNING" not in output


@pytest.mark.parametrize(
    ("host", "tls", "warns"),
    [
        ("127.0.0.1", False, False),
        ("127.0.0.9", False, False),
        ("::1", False, False),
        ("[::1]", False, False),
        ("localhost", False, False),
        ("0.0.0.0", False, True),
        ("::", False, True),
        ("192.168.1.20", False, True),
        ("vm-host.example", False, True),
        ("0.0.0.0", True, False),
    ],
)
def test_exposure_warning(host: str, tls: bool, warns: bool) -> None:
    """Only a non-loopback address without TLS is worth a warning."""
    warning = exposure_warning(host, tls=tls)
    assert warns == (warning is not None)
    if warning:
        assert host in warning and "--tls-cert" in warning


def test_binding_every_interface_without_tls_warns(tmp_path: Path) -> None:
    """--host 0.0.0.0 without TLS logs the warning before the server is ready."""
    child = Child("--data-dir", str(tmp_path), "--port", "0", "--host", "0.0.0.0")
    child.ready()
    output = child.stop()
    assert "WARNING" in output and "without TLS" in output


@pytest.fixture
def certificate(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A self-signed certificate for 127.0.0.1 and its key (made with openssl)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    yield cert, key


def test_tls_serves_https(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    """--tls-cert/--tls-key: the server answers HTTPS, and says https in its ready line."""
    cert, key = certificate
    child = Child(
        "--data-dir", str(tmp_path / "data"), "--port", "0", "--tls-cert", str(cert),
        "--tls-key", str(key),
    )  # fmt: skip
    url = child.ready()
    try:
        trust = ssl.create_default_context(cafile=str(cert))
        secure = httpx.get(f"{url}/healthz", verify=trust)
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{url.replace('https://', 'http://')}/healthz")
    finally:
        child.stop()
    assert url.startswith("https://127.0.0.1:")
    assert 200 == secure.status_code


def test_tls_options_are_checked_before_starting(tmp_path: Path) -> None:
    """A certificate without its key, or a file that is no certificate: exit 2, one line."""
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate\n")
    alone = subprocess.run(
        [*SERVER, "--data-dir", str(tmp_path), "--tls-cert", str(bogus)],
        capture_output=True,
        text=True,
        check=False,
    )
    bad = subprocess.run(
        [*SERVER, "--data-dir", str(tmp_path), "--tls-cert", str(bogus), "--tls-key", str(bogus)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 2 == alone.returncode and "--tls-key" in alone.stderr
    assert 2 == bad.returncode and "cannot use --tls-cert" in bad.stderr
    assert "Traceback" not in alone.stderr + bad.stderr


def test_the_database_keeps_hashes_never_secrets(tmp_path: Path) -> None:
    """After creating and using a token, no file of the data dir holds its plaintext."""
    running = start_server(tmp_path / "data")
    try:
        headers = {"Authorization": f"Bearer {running.token}"}
        created = httpx.post(
            f"{running.url}/v1/tokens",
            json={"name": "db", "scopes": ["read"]},
            headers={**headers, "Idempotency-Key": "db-1"},
        ).json()
        secret = created["secret"]
        used = httpx.get(f"{running.url}/v1/vms", headers={"Authorization": f"Bearer {secret}"})
        assert 200 == used.status_code
        stored = b"".join(
            p.read_bytes()
            for p in (tmp_path / "data").rglob("*")
            if p.is_file() and p.name != "admin-token"
        )
    finally:
        running.stop()
    for plaintext in (secret, running.token):
        assert plaintext.encode() not in stored
        assert hashlib.sha256(plaintext.encode()).hexdigest().encode() in stored
