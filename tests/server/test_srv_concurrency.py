"""Optimistic concurrency over a real socket: If-Match (412), If-None-Match (304), races."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from vmkit_server._etags import matches_strongly, matches_weakly
from vmkit_server.spec import load_spec
from vmkit_server.testing import RunningServer, start_server

SPEC = load_spec()
STALE = '"0000000000000000"'
#: A valid body for the operations that need one (so the 412 is not hidden by a 422).
BODIES: dict[str, Any] = {
    "updateVm": {"labels": {"k": "v"}},
    "cloneVm": {"name": "cc-clone"},
    "renameVm": {"name": "cc-renamed"},
    "resizeVmDisk": {"disk_gib": 50},
    "execVm": {"command": ["true"]},
    "updateWebhook": {"description": "cc"},
}


def _declares(path: str, op: dict[str, Any], header: str) -> bool:
    params = [*SPEC["paths"][path].get("parameters", []), *op.get("parameters", [])]
    names = {
        SPEC["components"]["parameters"][p["$ref"].rsplit("/", 1)[-1]]["name"]
        if "$ref" in p
        else p["name"]
        for p in params
    }
    return header in names


CONDITIONAL = [
    (path, method.upper(), op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in {"post", "patch", "delete"} and _declares(path, op, "If-Match")
]
CACHEABLE = [
    (path, op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method == "get" and _declares(path, op, "If-None-Match")
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("concurrency") / "data")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def admin(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        yield client


def _done(admin: httpx.Client, response: httpx.Response) -> dict[str, Any]:
    assert 202 == response.status_code, response.text
    op = response.json()["id"]
    body: dict[str, Any] = admin.get(
        f"/v1/operations/{op}:wait", params={"timeout_seconds": 30}
    ).json()
    assert "succeeded" == body["state"], body
    return body


@pytest.fixture(scope="module")
def values(admin: httpx.Client) -> dict[str, str]:
    """A running VM with a snapshot, an operation, a token: something behind every path."""
    created = _done(admin, admin.post("/v1/vms", json={"name": "cc", "start": True}))
    _done(admin, admin.post("/v1/vms/cc/snapshots", json={"name": "cc-snap"}))
    token = admin.post("/v1/tokens", json={"name": "cc", "scopes": ["read"]}).json()
    hook = {"url": "http://127.0.0.1:9/cc", "types": ["nothing.happens"]}
    webhook = admin.post("/v1/webhooks", json=hook).json()
    return {
        "vm": "cc",
        "snapshot": "cc-snap",
        "operation": created["id"],
        "host": "local",
        "token": token["id"],
        "webhook": webhook["id"],
    }


def _url(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _etag_of(admin: httpx.Client, path: str, values: dict[str, str]) -> str:
    """The ETag an If-Match on `path` is compared with: its snapshot's, token's, webhook's
    or VM's."""
    if "{snapshot}" in path:
        resource = "/v1/vms/{vm}/snapshots/{snapshot}"
    elif "{token}" in path:
        resource = "/v1/tokens/{token}"
    elif "{webhook}" in path:
        resource = "/v1/webhooks/{webhook}"
    else:
        resource = "/v1/vms/{vm}"
    return str(admin.get(_url(resource, values)).headers["etag"])


@pytest.mark.parametrize(
    ("path", "method", "op"), CONDITIONAL, ids=[op["operationId"] for _, _, op in CONDITIONAL]
)
def test_if_match_mismatch_is_412_and_changes_nothing(
    admin: httpx.Client, values: dict[str, str], path: str, method: str, op: dict[str, Any]
) -> None:
    """Every PATCH, DELETE and action with a stale or weak ETag: 412 with the current one."""
    url = _url(path, values)
    current = _etag_of(admin, path, values)
    body = BODIES.get(op["operationId"])
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    for sent in (STALE, f"W/{current}", f'"{current.strip(chr(34))}x"'):
        response = admin.request(method, url, headers={"If-Match": sent}, **kwargs)
        problem = response.json()
        assert (412, "PRECONDITION_FAILED") == (response.status_code, problem["code"]), sent
        assert current == problem["metadata"]["etag"]
    assert current == _etag_of(admin, path, values)


def test_if_match_with_the_current_etag_or_star_goes_ahead(
    admin: httpx.Client, values: dict[str, str]
) -> None:
    """The current ETag, a list naming it, or `*`: the change is made."""
    for template in ("{}", STALE + ", {}", "*"):
        sent = template.format(admin.get("/v1/vms/cc").headers["etag"])
        response = admin.patch(
            "/v1/vms/cc", json={"labels": {"n": "1"}}, headers={"If-Match": sent}
        )
        assert 200 == response.status_code, (sent, response.text)


@pytest.mark.parametrize(("path", "op"), CACHEABLE, ids=[op["operationId"] for _, op in CACHEABLE])
def test_if_none_match_gives_304_while_the_etag_is_current(
    admin: httpx.Client, values: dict[str, str], path: str, op: dict[str, Any]
) -> None:
    """The current ETag (strong, weak, in a list, or `*`): 304 with the ETag and no body;
    any other tag: the full 200 answer."""
    url = _url(path, values)
    first = admin.get(url)
    etag = first.headers["etag"]
    for sent in (etag, f"W/{etag}", f"{STALE}, {etag}", "*"):
        response = admin.get(url, headers={"If-None-Match": sent})
        assert (304, etag, b"") == (
            response.status_code,
            response.headers["etag"],
            response.content,
        )
        assert "content-length" not in response.headers or "0" == response.headers["content-length"]
    changed = admin.get(url, headers={"If-None-Match": STALE})
    assert (200, etag) == (changed.status_code, changed.headers["etag"])
    head = admin.head(url, headers={"If-None-Match": etag})
    assert 304 == head.status_code


def test_a_changed_resource_answers_200_again(admin: httpx.Client, values: dict[str, str]) -> None:
    """After a PATCH the old ETag no longer matches: 200 with the new ETag."""
    old = admin.get("/v1/vms/cc").headers["etag"]
    admin.patch("/v1/vms/cc", json={"labels": {"rev": "2"}})
    response = admin.get("/v1/vms/cc", headers={"If-None-Match": old})
    assert 200 == response.status_code
    assert old != response.headers["etag"] == response.json()["etag"]


def test_if_none_match_star_on_a_missing_resource_is_404(admin: httpx.Client) -> None:
    """`*` matches only a resource that exists."""
    response = admin.get("/v1/vms/nowhere", headers={"If-None-Match": "*"})
    assert (404, "VM_NOT_FOUND") == (response.status_code, response.json()["code"])


def _race(server: RunningServer, url: str, bodies: list[dict[str, Any]], etag: str) -> list[int]:
    """PATCH `url` with each body at the same moment, all with `If-Match: etag`."""
    barrier = threading.Barrier(len(bodies))

    def patch(body: dict[str, Any]) -> int:
        headers = {"Authorization": f"Bearer {server.token}", "If-Match": etag}
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
            barrier.wait(timeout=30)
            return http.patch(url, json=body).status_code

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(patch, bodies))


@pytest.mark.parametrize("round_", range(5))
def test_two_clients_racing_a_patch_exactly_one_wins(
    server: RunningServer, admin: httpx.Client, round_: int
) -> None:
    """Both read the same ETag and PATCH at once: one 200, the other 412; the winner's
    change is what the VM has."""
    name = f"race-{round_}"
    _done(admin, admin.post("/v1/vms", json={"name": name}))
    etag = admin.get(f"/v1/vms/{name}").headers["etag"]
    bodies = [{"labels": {"writer": "a"}}, {"labels": {"writer": "b"}}]
    statuses = _race(server, f"/v1/vms/{name}", bodies, etag)
    assert [200, 412] == sorted(statuses)
    winner = bodies[statuses.index(200)]["labels"]
    assert winner == admin.get(f"/v1/vms/{name}").json()["labels"]


@pytest.mark.parametrize(
    ("header", "strong", "weak"),
    [
        ('"abc"', True, True),
        ('W/"abc"', False, True),
        ('"x", "abc"', True, True),
        ('"a,bc", W/"abc"', False, True),
        ("*", True, True),
        ("abc", False, False),
        ('junk, "abc"', True, True),
        ('"ab"c"', False, False),
        ("", False, False),
    ],
)
def test_entity_tag_lists_are_read_per_rfc_9110(header: str, strong: bool, weak: bool) -> None:
    """Quoted tags (commas inside them included), W/ for weak, `*`; junk matches nothing."""
    assert (strong, weak) == (matches_strongly(header, '"abc"'), matches_weakly(header, '"abc"'))


def test_a_conditional_patch_that_loses_the_race_mid_request_is_412(
    server: RunningServer, admin: httpx.Client
) -> None:
    """If-Match held when the PATCH started, but another write landed while the backend
    resized the VM: the loser is told 412 (its precondition), not a generic conflict."""
    from vmkit_server.backends.simulated import SimulatedBackend

    backend = server.backend
    assert isinstance(backend, SimulatedBackend)
    created = admin.post("/v1/vms", json={"name": "cc-midway"})
    _done(admin, created)
    etag = admin.get("/v1/vms/cc-midway").headers["ETag"]
    server.call(lambda: backend.hang("update_resources"))
    try:
        with ThreadPoolExecutor(1) as pool:
            slow = pool.submit(
                admin.patch, "/v1/vms/cc-midway", json={"cpus": 4}, headers={"If-Match": etag}
            )
            deadline = time.monotonic() + 30
            while not server.call(lambda: backend.faults.blocked("update_resources")):
                assert time.monotonic() < deadline, "the slow PATCH never reached the backend"
                threading.Event().wait(0.01)
            fast = admin.patch(
                "/v1/vms/cc-midway", json={"labels": {"won": "yes"}}, headers={"If-Match": etag}
            )
            assert 200 == fast.status_code
            server.call(lambda: backend.release("update_resources"))
            lost = slow.result(timeout=30)
    finally:
        server.call(lambda: backend.release("update_resources"))
    assert (412, "PRECONDITION_FAILED") == (lost.status_code, lost.json()["code"])
    assert fast.headers["ETag"] == lost.json()["metadata"]["etag"]
