"""Idempotency-Key over a real socket: replays, reuse, requests in flight, concurrency."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.testing import RunningServer, start_server

REPLAYED = "idempotent-replayed"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("idempotency") / "data")
    yield running
    running.stop()


@pytest.fixture
def admin(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        yield client


_names = iter(range(1_000_000))


def fresh(prefix: str) -> str:
    """A VM name and key no other test uses."""
    return f"{prefix}-{next(_names)}"


def key(value: str) -> dict[str, str]:
    """The Idempotency-Key header."""
    return {"Idempotency-Key": value}


def wait_op(admin: httpx.Client, response: httpx.Response) -> None:
    """Wait until the operation a 202 answered has succeeded."""
    op = response.json()["id"]
    done = admin.get(f"/v1/operations/{op}:wait", params={"timeout_seconds": 30}).json()
    assert "succeeded" == done["state"], done


def operations_of(admin: httpx.Client, vm_id: str, kind: str) -> list[str]:
    """Ids of the operations of `kind` on a VM."""
    page = admin.get("/v1/operations", params={"vm": vm_id, "kind": kind, "page_size": 1000})
    return [op["id"] for op in page.json()["items"]]


def until(probe: Callable[[], bool], what: str, limit: int = 100_000) -> None:
    """Ask `probe` until it holds (each probe is a round trip to the server's loop)."""
    for _ in range(limit):
        if probe():
            return
    raise AssertionError(f"never happened: {what}")


def test_the_same_key_and_body_replay_the_first_answer(admin: httpx.Client) -> None:
    """The retry gets the first answer byte for byte, marked replayed, and nothing runs again."""
    name, k = fresh("replay"), fresh("k")
    first = admin.post("/v1/vms", json={"name": name, "cpus": 2}, headers=key(k))
    # The same JSON object with its fields in another order and other spacing is the same body.
    raw = json.dumps({"cpus": 2, "name": name}, indent=2).encode()
    again = admin.post(
        "/v1/vms", content=raw, headers={**key(k), "Content-Type": "application/json"}
    )
    assert (202, 202) == (first.status_code, again.status_code)
    assert REPLAYED not in first.headers
    assert "true" == again.headers[REPLAYED]
    assert first.content == again.content
    for header in ("location", "etag", "content-type"):
        assert first.headers[header] == again.headers[header]
    assert first.headers["x-request-id"] != again.headers["x-request-id"]
    vm_id = first.json()["target"]["id"]
    assert [first.json()["id"]] == operations_of(admin, vm_id, "vm.create")


def test_the_same_key_for_another_request_is_422(admin: httpx.Client) -> None:
    """Another body, or another path, with a used key: 422 IDEMPOTENCY_KEY_REUSED."""
    name, k = fresh("reuse"), fresh("k")
    first = admin.post("/v1/vms", json={"name": name}, headers=key(k))
    wait_op(admin, first)
    other_body = admin.post("/v1/vms", json={"name": name, "cpus": 2}, headers=key(k))
    other_path = admin.post(f"/v1/vms/{name}:start", headers=key(k))
    for response in (other_body, other_path):
        problem = response.json()
        assert (422, "IDEMPOTENCY_KEY_REUSED") == (response.status_code, problem["code"])
        assert {"idempotency_key": k} == problem["metadata"]
    assert "stopped" == admin.get(f"/v1/vms/{name}").json()["state"]  # the start never ran
    assert first.content == admin.post("/v1/vms", json={"name": name}, headers=key(k)).content


def test_keys_belong_to_one_token(server: RunningServer, admin: httpx.Client) -> None:
    """Another token sending the same key and body is a new request, not a replay."""
    name, k = fresh("per-token"), fresh("k")
    assert 202 == admin.post("/v1/vms", json={"name": name}, headers=key(k)).status_code
    other = admin.post("/v1/tokens", json={"name": "other", "scopes": ["write"]}).json()
    headers = {**key(k), "Authorization": f"Bearer {other['secret']}"}
    response = httpx.post(f"{server.url}/v1/vms", json={"name": name}, headers=headers)
    assert (409, "VM_ALREADY_EXISTS") == (response.status_code, response.json()["code"])


def test_without_a_key_every_post_runs(admin: httpx.Client) -> None:
    """No key, no memory: the second identical create is refused as a duplicate VM."""
    name = fresh("no-key")
    assert 202 == admin.post("/v1/vms", json={"name": name}).status_code
    second = admin.post("/v1/vms", json={"name": name})
    assert (409, "VM_ALREADY_EXISTS") == (second.status_code, second.json()["code"])


def test_error_answers_are_not_kept(admin: httpx.Client) -> None:
    """A refused request changed nothing: the same key may be sent again and then runs."""
    name, k = fresh("refused"), fresh("k")
    invalid = admin.post("/v1/vms", json={"name": name, "cpus": 0}, headers=key(k))
    assert 422 == invalid.status_code
    created = admin.post("/v1/vms", json={"name": name, "cpus": 1}, headers=key(k))
    assert 202 == created.status_code
    wait_op(admin, created)
    start_key = fresh("k")
    wrong_state = admin.post(f"/v1/vms/{name}:pause", headers=key(start_key))
    assert (409, "VM_INVALID_STATE") == (wrong_state.status_code, wrong_state.json()["code"])
    wait_op(admin, admin.post(f"/v1/vms/{name}:start"))
    paused = admin.post(f"/v1/vms/{name}:pause", headers=key(start_key))
    assert (202, None) == (paused.status_code, paused.headers.get(REPLAYED))


@pytest.fixture
def hung_rename(server: RunningServer) -> Iterator[SimulatedBackend]:
    """Renames block in the backend until the test releases them."""
    sim = server.backend
    assert isinstance(sim, SimulatedBackend)
    server.call(lambda: sim.hang("rename"))
    try:
        yield sim
    finally:
        server.call(lambda: sim.release("rename"))


def test_a_duplicate_while_the_first_runs_is_409(
    server: RunningServer, admin: httpx.Client, hung_rename: SimulatedBackend
) -> None:
    """While the first request is in flight a duplicate is 409 IDEMPOTENCY_KEY_IN_FLIGHT
    (Retry-After), another body 422; once it is done the duplicate gets its answer."""
    name, k = fresh("inflight"), fresh("k")
    wait_op(admin, admin.post("/v1/vms", json={"name": name}))
    body = {"name": f"{name}-new"}
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(admin.post, f"/v1/vms/{name}:rename", json=body, headers=key(k))
        until(
            lambda: server.call(lambda: hung_rename.faults.blocked("rename")) == 1,
            "the rename to reach the backend",
        )
        duplicate = admin.post(f"/v1/vms/{name}:rename", json=body, headers=key(k))
        other = admin.post(f"/v1/vms/{name}:rename", json={"name": "x-1"}, headers=key(k))
        server.call(lambda: hung_rename.release("rename"))
        answer = first.result(timeout=30)
    assert (409, "IDEMPOTENCY_KEY_IN_FLIGHT") == (duplicate.status_code, duplicate.json()["code"])
    assert "1" == duplicate.headers["retry-after"]
    assert (422, "IDEMPOTENCY_KEY_REUSED") == (other.status_code, other.json()["code"])
    assert (200, f"{name}-new") == (answer.status_code, answer.json()["name"])
    replay = admin.post(f"/v1/vms/{name}:rename", json=body, headers=key(k))
    assert (200, "true", answer.content) == (
        replay.status_code,
        replay.headers[REPLAYED],
        replay.content,
    )


def test_concurrent_duplicates_run_the_request_once(
    server: RunningServer, admin: httpx.Client
) -> None:
    """Eight clients send the same create at the same moment: one VM, one operation; the
    others get that answer replayed, or 409 while it is in flight."""
    name, k = fresh("herd"), fresh("k")
    barrier = threading.Barrier(8)

    def send(_: int) -> httpx.Response:
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}, timeout=30
        ) as http:
            barrier.wait(timeout=30)
            return http.post("/v1/vms", json={"name": name}, headers=key(k))

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    ran = [a for a in answers if a.status_code == 202 and REPLAYED not in a.headers]
    replayed = [a for a in answers if a.headers.get(REPLAYED) == "true"]
    in_flight = [a for a in answers if a.status_code == 409]
    assert 1 == len(ran)
    assert 8 == len(ran) + len(replayed) + len(in_flight)
    assert {ran[0].content} == {a.content for a in replayed} | {ran[0].content}
    assert {"IDEMPOTENCY_KEY_IN_FLIGHT"} >= {a.json()["code"] for a in in_flight}
    vm_id = ran[0].json()["target"]["id"]
    assert [ran[0].json()["id"]] == operations_of(admin, vm_id, "vm.create")


def test_a_replayed_token_creation_never_shows_the_secret_again(
    server: RunningServer, admin: httpx.Client
) -> None:
    """The replay is the same token with `secret: null`; the stored answer has no secret."""
    k = fresh("k")
    body: dict[str, Any] = {"name": "once", "scopes": ["read"]}
    first = admin.post("/v1/tokens", json=body, headers=key(k))
    replay = admin.post("/v1/tokens", json=body, headers=key(k))
    created, replayed = first.json(), replay.json()
    assert (201, 201, "true") == (first.status_code, replay.status_code, replay.headers[REPLAYED])
    assert created["secret"].startswith("vmk_")
    assert ({**created, "secret": None}) == replayed
    assert first.headers["location"] == replay.headers["location"]
    tokens = admin.get("/v1/tokens", params={"page_size": 1000}).json()["items"]
    admin_id = next(t["id"] for t in tokens if t["name"] == "admin")
    with server.app.store.read() as tx:
        stored = tx.get_idempotency(admin_id, k)
    assert stored is not None and stored.response_body is not None
    assert created["id"] == json.loads(stored.response_body)["id"]
    assert created["secret"].encode() not in stored.response_body
