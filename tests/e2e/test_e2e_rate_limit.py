"""`vmkit-server --rate-limit`: 429 with Retry-After per token, and the SDK riding through it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from proc_helpers import ServerProcess

import vmkit


@pytest.fixture
def processes() -> Iterator[list[ServerProcess]]:
    """Servers a test started; any still running at the end is killed."""
    started: list[ServerProcess] = []
    yield started
    for proc in started:
        with contextlib.suppress(Exception):
            proc.kill()


def launch(processes: list[ServerProcess], data_dir: Path, *extra: str) -> ServerProcess:
    """Start a server and remember it for cleanup."""
    proc = ServerProcess.start(data_dir, *extra)
    processes.append(proc)
    return proc


def admin_token(server: ServerProcess) -> str:
    """The server's admin token, from its token file."""
    return (server.data_dir / "admin-token").read_text().strip()


def test_a_token_over_its_limit_gets_429_and_others_do_not(
    tmp_path: Path, processes: list[ServerProcess]
) -> None:
    """Past its burst a token gets 429 RATE_LIMITED + Retry-After; another token still works."""
    # One request a minute after a burst of 4: nothing refills during the test.
    server = launch(processes, tmp_path / "data", "--rate-limit", "1/m", "--rate-burst", "4")
    assert any("rate limit: 0.0166667/s (burst 4) per token" in ln for ln in server.lines)
    admin = {"Authorization": f"Bearer {admin_token(server)}"}
    with httpx.Client(base_url=server.url, headers=admin) as http:
        created = http.post("/v1/tokens", json={"name": "reader", "scopes": ["read"]})
        assert 201 == created.status_code
        statuses = [http.get("/v1/vms").status_code for _ in range(4)]
        refused = http.get("/v1/vms")
    assert [200, 200, 200, 429] == statuses
    assert 429 == refused.status_code
    assert "application/problem+json" == refused.headers["content-type"]
    problem = refused.json()
    assert ("RATE_LIMITED", 429) == (problem["code"], problem["status"])
    assert int(refused.headers["retry-after"]) == problem["metadata"]["retry_after_seconds"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    reader = {"Authorization": f"Bearer {created.json()['secret']}"}
    with httpx.Client(base_url=server.url, headers=reader) as http:
        assert 200 == http.get("/v1/vms").status_code
    with httpx.Client(base_url=server.url) as anonymous:  # probes are never limited
        assert {200} == {anonymous.get("/healthz").status_code for _ in range(10)}


def test_wrong_tokens_are_limited_by_address(
    tmp_path: Path, processes: list[ServerProcess]
) -> None:
    """Guessing tokens: 401 until the address's bucket is empty, then 429."""
    server = launch(processes, tmp_path / "data", "--rate-limit", "1/m", "--rate-burst", "3")
    guess = {"Authorization": "Bearer vmk_" + "x" * 43}
    with httpx.Client(base_url=server.url, headers=guess) as http:
        statuses = [http.get("/v1/vms").status_code for _ in range(4)]
    assert [401, 401, 401, 429] == statuses


def test_the_sdk_rides_through_a_low_limit(tmp_path: Path, processes: list[ServerProcess]) -> None:
    """With 2 requests/s allowed, 10 SDK calls in a row all succeed, waiting out the 429s."""
    server = launch(processes, tmp_path / "data", "--rate-limit", "2/s", "--rate-burst", "2")
    statuses: list[int] = []
    hooks = {"response": [lambda response: statuses.append(response.status_code)]}
    with (
        httpx.Client(base_url=server.url, event_hooks=hooks, timeout=30) as http,
        vmkit.Client(server.url, admin_token(server), http_client=http) as client,
    ):
        names = [client.vms.create(f"paced-{i}").target["name"] for i in range(5)]
        listed = [len(list(client.vms.list())) for _ in range(5)]
    assert [f"paced-{i}" for i in range(5)] == names
    assert [5] * 5 == listed
    assert 429 in statuses
    assert {200, 202, 429} >= set(statuses)


def test_loopback_has_no_limit_by_default_and_other_addresses_do(
    tmp_path: Path, processes: list[ServerProcess]
) -> None:
    """Without --rate-limit: off on 127.0.0.1, 50/s per token on 0.0.0.0."""
    local = launch(processes, tmp_path / "local")
    assert any("rate limit: off" in line for line in local.lines)
    with httpx.Client(
        base_url=local.url, headers={"Authorization": f"Bearer {admin_token(local)}"}
    ) as http:
        assert {200} == {http.get("/v1/hosts").status_code for _ in range(150)}
    exposed = launch(processes, tmp_path / "exposed", "--host", "0.0.0.0")
    assert any("rate limit: 50/s (burst 100) per token" in line for line in exposed.lines)
