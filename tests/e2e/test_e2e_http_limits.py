"""Requests `vmkit-server` cannot parse as HTTP/1.1 still get a problem+json answer.

uvicorn's own answer to these is a plain-text 400; the CLI serves with
`vmkit_server._h11.ProblemH11Protocol`, whose answer is a problem like every other error.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from proc_helpers import ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One `vmkit-server` process for the module."""
    proc = ServerProcess.start(tmp_path_factory.mktemp("http-limits") / "data")
    yield proc
    proc.terminate()


def exchange(server: ServerProcess, pieces: list[bytes]) -> tuple[int, dict[str, str], bytes]:
    """Send `pieces` one write each (stopping if the server closes); the answer's parts."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        for piece in pieces:
            try:
                sock.sendall(piece)
            except OSError:  # the server answered and closed before reading everything
                break
        answer = b""
        try:
            while chunk := sock.recv(1 << 16):
                answer += chunk
        except ConnectionResetError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    ("pieces", "status", "code"),
    [
        ([b"GET /v1/vms/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"], 400, "MALFORMED_REQUEST"),
        ([b"HELLO\r\n\r\n"], 400, "MALFORMED_REQUEST"),
        ([b"GET /v1/vms HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"], 400, "MALFORMED_REQUEST"),
        (
            [b"GET /v1/vms HTTP/1.1\r\nHost: x\r\n"] + [b"X-Pad: " + b"a" * 4000 + b"\r\n"] * 40,
            431,
            "REQUEST_HEADERS_TOO_LARGE",
        ),
    ],
    ids=["non-ascii-target", "not-http", "header-without-colon", "endless-head"],
)
def test_unparseable_requests_get_a_problem(
    server: ServerProcess, pieces: list[bytes], status: int, code: str
) -> None:
    """Bytes that are not HTTP/1.1, or a head that never ends: problem+json, then close."""
    got, headers, body = exchange(server, pieces)
    assert status == got
    assert "application/problem+json" == headers["content-type"]
    assert "close" == headers["connection"]
    problem = json.loads(body)
    assert (status, code) == (problem["status"], problem["code"])
    assert problem["type"].startswith("urn:vmkit:problem:")


def test_the_server_goes_on_serving(server: ServerProcess) -> None:
    """After those, a well-formed request on a new connection is answered as usual."""
    got, _, body = exchange(
        server, [b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]
    )
    assert 200 == got
    assert "ok" == json.loads(body)["status"]
