"""Input limits, one row each: body, URL and header sizes, bounds, names, traversal, unicode.

Every request over a limit or outside the rules gets a clean 4xx problem+json with a stable
code (never a 5xx, never a plain-text answer), and a request just inside the limit works.
Rows go to a real server on a loopback socket, as raw bytes where httpx would refuse to send
them (or would normalise them first).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from vmkit_server.problems import ProblemError, problem_response
from vmkit_server.testing import RunningServer, start_server

VM = "limits-vm"  # created by the fixture, running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend with one running VM."""
    running = start_server(tmp_path_factory.mktemp("limits") / "data")
    headers = {"Authorization": f"Bearer {running.token}"}
    with httpx.Client(base_url=running.url, headers=headers) as http:
        op = http.post("/v1/vms", json={"name": VM, "start": True}).json()
        http.get(f"/v1/operations/{op['id']}:wait", params={"timeout_seconds": 30})
    yield running
    running.stop()


@dataclass(frozen=True)
class Row:
    """One request and the answer it must get.

    Attributes:
        method: The HTTP method.
        target: The request target as sent (already percent-encoded).
        status: The expected status.
        code: The expected problem code (None: a success is expected).
        body: The raw body (sent as application/json unless `headers` says otherwise).
        headers: Extra header lines.
        pointer: A JSON pointer the problem's `errors[]` must name.
        length: A `Content-Length` to declare instead of the body's (the body is not sent):
            a server that refuses on the declared length closes before reading it.
    """

    method: str
    target: str
    status: int
    code: str | None
    body: bytes | None = None
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    pointer: str | None = None
    length: int | None = None


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _labels(n: int) -> bytes:
    return _json({"labels": {f"k{i}": "v" for i in range(n)}})


MIB = 1 << 20
ROWS: dict[str, Row] = {
    # sizes
    "body-over-1-mib": Row("POST", "/v1/vms", 413, "PAYLOAD_TOO_LARGE", b"", length=MIB + 1),
    "url-over-64-kib": Row("GET", "/v1/vms?page_token=" + "a" * (64 << 10), 414, "URI_TOO_LONG"),
    "one-20-kib-header": Row(
        "GET", "/v1/vms", 431, "REQUEST_HEADERS_TOO_LARGE", headers=[("X-Big", b"a" * 20_000)]
    ),
    "300-headers": Row(
        "GET",
        "/v1/vms",
        431,
        "REQUEST_HEADERS_TOO_LARGE",
        headers=[(f"X-H{i}", b"v" * 50) for i in range(300)],
    ),
    # page_size bounds
    "page-size-0": Row(
        "GET", "/v1/vms?page_size=0", 422, "VALIDATION_FAILED", pointer="/page_size"
    ),
    "page-size-1001": Row(
        "GET", "/v1/vms?page_size=1001", 422, "VALIDATION_FAILED", pointer="/page_size"
    ),
    "page-size-negative": Row(
        "GET", "/v1/operations?page_size=-5", 422, "VALIDATION_FAILED", pointer="/page_size"
    ),
    "page-size-5000-digits": Row(
        "GET", "/v1/vms?page_size=" + "9" * 5000, 422, "VALIDATION_FAILED", pointer="/page_size"
    ),
    "page-size-float": Row(
        "GET", "/v1/vms?page_size=1e3", 422, "VALIDATION_FAILED", pointer="/page_size"
    ),
    "page-size-1000": Row("GET", "/v1/vms?page_size=1000", 200, None),
    "page-token-513": Row(
        "GET", "/v1/vms?page_token=" + "a" * 513, 422, "VALIDATION_FAILED", pointer="/page_token"
    ),
    # string lengths and counts
    "name-64": Row(
        "POST", "/v1/vms", 422, "VALIDATION_FAILED", _json({"name": "a" * 64}), pointer="/name"
    ),
    "label-value-256": Row(
        "PATCH", f"/v1/vms/{VM}", 422, "VALIDATION_FAILED", _json({"labels": {"k": "v" * 256}})
    ),
    "label-key-64": Row(
        "PATCH", f"/v1/vms/{VM}", 422, "VALIDATION_FAILED", _json({"labels": {"k" * 64: "v"}})
    ),
    "65-labels": Row(
        "PATCH", f"/v1/vms/{VM}", 422, "VALIDATION_FAILED", _labels(65), pointer="/labels"
    ),
    "64-labels": Row("PATCH", f"/v1/vms/{VM}", 200, None, _labels(64)),
    "snapshot-description-1025": Row(
        "POST",
        f"/v1/vms/{VM}/snapshots",
        422,
        "VALIDATION_FAILED",
        _json({"name": "s", "description": "d" * 1025}),
        pointer="/description",
    ),
    "token-name-129": Row(
        "POST",
        "/v1/tokens",
        422,
        "VALIDATION_FAILED",
        _json({"name": "n" * 129, "scopes": ["read"]}),
        pointer="/name",
    ),
    "idempotency-key-256": Row(
        "POST",
        "/v1/vms",
        422,
        "VALIDATION_FAILED",
        _json({"name": "idem"}),
        [("Idempotency-Key", b"k" * 256)],
        pointer="/Idempotency-Key",
    ),
    "if-none-match-1025": Row(
        "GET", f"/v1/vms/{VM}", 422, "VALIDATION_FAILED", headers=[("If-None-Match", b"x" * 1025)]
    ),
    # names
    "name-uppercase": Row("POST", "/v1/vms", 422, "VALIDATION_FAILED", _json({"name": "Web"})),
    "name-with-slash": Row("POST", "/v1/vms", 422, "VALIDATION_FAILED", _json({"name": "a/b"})),
    "vm-ref-uppercase": Row("GET", "/v1/vms/Web", 422, "VALIDATION_FAILED", pointer="/vm"),
    # paths given as parameters: no way out of where they point
    "vm-ref-encoded-dotdot-slash": Row("GET", "/v1/vms/..%2F..%2Fetc", 422, "VALIDATION_FAILED"),
    "vm-ref-encoded-dots": Row("GET", "/v1/vms/%2e%2e", 422, "VALIDATION_FAILED"),
    "vm-ref-encoded-slash": Row("GET", "/v1/vms/a%2Fb", 422, "VALIDATION_FAILED"),
    "vm-ref-nul": Row("GET", "/v1/vms/a%00b", 422, "VALIDATION_FAILED"),
    "raw-dotdot-segments": Row("GET", "/v1/vms/../tokens", 404, "NOT_FOUND"),
    "snapshot-ref-traversal": Row(
        "GET", f"/v1/vms/{VM}/snapshots/..%2F..%2Fvmkit.db", 422, "VALIDATION_FAILED"
    ),
    "guest-path-dotdot": Row(
        "GET", f"/v1/vms/{VM}/files?path=/tmp/../../etc/passwd", 422, "VALIDATION_FAILED"
    ),
    "guest-path-encoded-dotdot": Row(
        "GET", f"/v1/vms/{VM}/files?path=%2F..%2Fetc%2Fshadow", 422, "VALIDATION_FAILED"
    ),
    "guest-path-dotdot-unknown-vm": Row(
        "GET", "/v1/vms/no-such-vm/files?path=/../etc", 422, "VALIDATION_FAILED", pointer="/path"
    ),
    "guest-path-relative": Row(
        "GET", f"/v1/vms/{VM}/files?path=etc/passwd", 422, "VALIDATION_FAILED", pointer="/path"
    ),
    "guest-path-nul": Row(
        "GET", f"/v1/vms/{VM}/files?path=/tmp/a%00b", 422, "VALIDATION_FAILED", pointer="/path"
    ),
    "guest-path-dotdot-upload": Row(
        "PUT",
        f"/v1/vms/{VM}/files?path=/../x",
        422,
        "VALIDATION_FAILED",
        b"data",
        [("Content-Type", b"application/octet-stream")],
    ),
    "upload-empty-body-without-type": Row(
        "PUT",
        f"/v1/vms/{VM}/files?path=/tmp/x",
        422,
        "VALIDATION_FAILED",
        headers=[("Content-Length", b"0")],
        pointer="",
    ),
    # unicode
    "lone-high-surrogate": Row(
        "PATCH", f"/v1/vms/{VM}", 400, "MALFORMED_JSON", b'{"labels": {"k": "\\ud800"}}'
    ),
    "lone-low-surrogate-key": Row(
        "PATCH", f"/v1/vms/{VM}", 400, "MALFORMED_JSON", b'{"labels": {"\\udc00": "v"}}'
    ),
    "lone-surrogate-unknown-field": Row(
        "POST", "/v1/vms", 400, "MALFORMED_JSON", b'{"name": "x", "\\ud800": 1}'
    ),
    "surrogate-pair-is-fine": Row(
        "PATCH", f"/v1/vms/{VM}", 200, None, b'{"labels": {"k": "\\ud83d\\ude00"}}'
    ),
    "nul-in-name": Row("POST", "/v1/vms", 422, "VALIDATION_FAILED", b'{"name": "a\\u0000b"}'),
    "nul-in-label": Row(
        "PATCH", f"/v1/vms/{VM}", 422, "VALIDATION_FAILED", b'{"labels": {"k": "a\\u0000"}}'
    ),
    "escape-in-label": Row(
        "PATCH", f"/v1/vms/{VM}", 422, "VALIDATION_FAILED", _json({"labels": {"k": "\x1b[2J"}})
    ),
    "rtl-override-in-label": Row(
        "PATCH", f"/v1/vms/{VM}", 200, None, _json({"labels": {"k": "\u202egpj.exe"}})
    ),
    "255-four-byte-chars": Row(
        "PATCH", f"/v1/vms/{VM}", 200, None, _json({"labels": {"k": "\U0001f600" * 255}})
    ),
    "256-four-byte-chars": Row(
        "PATCH",
        f"/v1/vms/{VM}",
        422,
        "VALIDATION_FAILED",
        _json({"labels": {"k": "\U0001f600" * 256}}),
    ),
    "invalid-utf8": Row("POST", "/v1/vms", 400, "MALFORMED_JSON", b'{"name": "\xff"}'),
    "overlong-utf8": Row("POST", "/v1/vms", 400, "MALFORMED_JSON", b'{"name": "\xc0\xaf"}'),
    "utf8-bom": Row("POST", "/v1/vms", 400, "MALFORMED_JSON", b'\xef\xbb\xbf{"name": "bom"}'),
    "non-ascii-header": Row(
        "POST",
        "/v1/vms",
        422,
        "VALIDATION_FAILED",
        _json({"name": "hdr"}),
        [("Idempotency-Key", "clé".encode())],
    ),
    "nul-in-query-filter": Row(
        "GET", "/v1/vms?label=k%3Da%00", 422, "VALIDATION_FAILED", pointer="/label"
    ),
    "invalid-utf8-in-query": Row("GET", "/v1/vms?label=k%3D%ff", 200, None),
}


def send(server: RunningServer, row: Row) -> tuple[int, dict[str, str], bytes]:
    """Send `row` as raw HTTP/1.1 on a fresh connection; the status, headers and body."""
    host, port = server.url.removeprefix("http://").split(":")
    lines = [f"{row.method} {row.target} HTTP/1.1".encode(), f"Host: {host}".encode()]
    lines.append(f"Authorization: Bearer {server.token}".encode())
    lines.append(b"Connection: close")
    names = {name.lower() for name, _ in row.headers}
    if row.body is not None:
        if "content-type" not in names:
            lines.append(b"Content-Type: application/json")
        length = len(row.body) if row.length is None else row.length
        lines.append(f"Content-Length: {length}".encode())
    lines += [name.encode() + b": " + value for name, value in row.headers]
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + (row.body or b""))
        answer = b""
        while chunk := sock.recv(1 << 16):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_each_limit_is_a_clean_answer(server: RunningServer, row: Row) -> None:
    """The row's request gets its status; a refusal is problem+json with the row's code."""
    status, headers, body = send(server, row)
    assert row.status == status, body[:500]
    if row.code is None:
        return
    assert "application/problem+json" == headers["content-type"]
    problem = json.loads(body)
    assert (row.status, row.code) == (problem["status"], problem["code"])
    assert problem["request_id"] == headers["x-request-id"]
    if row.pointer is not None:
        assert row.pointer in {issue["pointer"] for issue in problem.get("errors", [])}, problem


def test_a_long_value_is_not_echoed_in_full(server: RunningServer) -> None:
    """A 100 000-character bad name comes back shortened in the problem, not whole."""
    row = Row("POST", "/v1/vms", 422, "VALIDATION_FAILED", _json({"name": "A" * 100_000}))
    status, _, body = send(server, row)
    assert 422 == status
    (issue,) = json.loads(body)["errors"]
    assert len(issue["detail"]) <= 512
    assert len(body) < 4096


def test_a_lone_surrogate_never_reaches_the_store(server: RunningServer) -> None:
    """After refused surrogates, the VM list still renders (no poisoned row)."""
    for raw in (b'{"name": "sur-1", "labels": {"a": "\\udfff"}}', b'{"name": "\\ud800"}'):
        assert 400 == send(server, Row("POST", "/v1/vms", 400, None, raw))[0]
    status, _, body = send(server, Row("GET", "/v1/vms?page_size=1000", 200, None))
    assert 200 == status
    assert "sur-1" not in {vm["name"] for vm in json.loads(body)["items"]}


def test_a_problem_echoing_a_lone_surrogate_is_still_answered() -> None:
    """A problem whose text holds a lone surrogate is sent ASCII-escaped, not a failure."""
    response = problem_response(
        ProblemError(422, "VALIDATION_FAILED", "bad value '\ud800'"), instance="/x", request_id=None
    )
    assert 422 == response.status_code
    assert "bad value '\ud800'" == json.loads(response.body)["detail"]
    assert b"\\ud800" in response.body
