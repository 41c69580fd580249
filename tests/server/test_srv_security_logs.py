"""Secrets never reach the log: a whole session against `vmkit-server --log-level debug`."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import httpx


def test_no_token_appears_in_a_debug_log(tmp_path: Path) -> None:
    """Create a token, use it, fail with a wrong one, replay, revoke, use it revoked: the
    debug log (stdout and stderr) holds neither any token nor any token's hash."""
    data_dir = tmp_path / "data"
    command = [sys.executable, "-m", "vmkit_server", "--data-dir", str(data_dir)]
    proc = subprocess.Popen(
        [*command, "--port", "0", "--log-level", "debug"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    for line in proc.stdout:
        lines.append(line)
        if "ready at " in line:
            break
    url = lines[-1].split("ready at ", 1)[1].strip()
    admin = (data_dir / "admin-token").read_text().strip()
    wrong = "vmk_" + "W" * 43
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            as_admin = {"Authorization": f"Bearer {admin}"}
            body = {"name": "logged", "scopes": ["read"]}
            once = {**as_admin, "Idempotency-Key": "log-1"}
            created = http.post("/v1/tokens", json=body, headers=once)
            replayed = http.post("/v1/tokens", json=body, headers=once)
            secret = created.json()["secret"]
            as_new = {"Authorization": f"Bearer {secret}"}
            statuses = [
                created.status_code,
                replayed.status_code,
                http.get("/v1/vms", headers=as_new).status_code,
                http.post("/v1/vms", json={"name": "x"}, headers=as_new).status_code,
                http.get("/v1/vms", headers={"Authorization": f"Bearer {wrong}"}).status_code,
                http.get("/v1/vms/nope", headers=as_new).status_code,
                http.get("/metrics", headers={"Authorization": f"Bearer {wrong}"}).status_code,
                http.delete(f"/v1/tokens/{created.json()['id']}", headers=as_admin).status_code,
                http.get("/v1/vms", headers=as_new).status_code,
            ]
    finally:
        proc.send_signal(signal.SIGTERM)
        # read() and not communicate(): that reads the pipe's fd and would skip the lines
        # already buffered by the iteration above
        rest = proc.stdout.read()
        proc.stdout.close()
        proc.wait(timeout=60)
    log = "".join(lines) + rest
    assert [201, 201, 200, 403, 401, 404, 401, 200, 401] == statuses
    assert " DEBUG " in log  # the capture really is at debug level
    assert "admin token file" in log
    for token in (admin, secret, wrong):
        assert token not in log
        assert token[4:] not in log
        assert hashlib.sha256(token.encode()).hexdigest() not in log
