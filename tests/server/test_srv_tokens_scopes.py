"""Scopes over a real socket: every operation of the spec, called with tokens of each scope.

A `read` token gets 2xx from every read and 403 from everything else; a token of any one
scope is refused every operation that needs another; without a token only the probes and
the API document answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from vmkit_server.spec import load_spec
from vmkit_server.testing import RunningServer, start_server

SPEC = load_spec()
OPERATIONS = [
    (path, method.upper(), op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
]
SECURED = [(path, method, op) for path, method, op in OPERATIONS if op.get("security") != []]
PUBLIC = [(path, method, op) for path, method, op in OPERATIONS if op.get("security") == []]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("scopes") / "data")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def admin(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        yield client


def _token(admin: httpx.Client, *scopes: str) -> dict[str, Any]:
    created = admin.post("/v1/tokens", json={"name": "-".join(scopes), "scopes": list(scopes)})
    assert 201 == created.status_code, created.text
    body: dict[str, Any] = created.json()
    return body


def _wait(admin: httpx.Client, operation: dict[str, Any]) -> dict[str, Any]:
    done = admin.get(f"/v1/operations/{operation['id']}:wait", params={"timeout_seconds": 30})
    body: dict[str, Any] = done.json()
    assert "succeeded" == body["state"], body
    return body


@pytest.fixture(scope="module")
def values(admin: httpx.Client) -> dict[str, str]:
    """A real value for every path parameter of the spec: a VM, a snapshot, an operation..."""
    created = _wait(admin, admin.post("/v1/vms", json={"name": "scoped", "start": True}).json())
    _wait(admin, admin.post("/v1/vms/scoped/snapshots", json={"name": "snap"}).json())
    return {
        "vm": "scoped",
        "snapshot": "snap",
        "operation": created["id"],
        "host": "local",
        "token": _token(admin, "read")["id"],
        "webhook": admin.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/"}).json()["id"],
    }


def _call(
    http: httpx.Client, method: str, path: str, values: dict[str, str], **kwargs: Any
) -> httpx.Response:
    url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
    if method in {"POST", "PATCH"}:
        kwargs.setdefault("json", {})
    elif method == "PUT":
        kwargs.setdefault("content", b"data")
        kwargs.setdefault("headers", {"Content-Type": "application/octet-stream"})
    return http.request(method, url, **kwargs)


def _client(server: RunningServer, secret: str | None) -> httpx.Client:
    headers = {} if secret is None else {"Authorization": f"Bearer {secret}"}
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def test_a_read_token_reads_everything_and_changes_nothing(
    server: RunningServer, admin: httpx.Client, values: dict[str, str]
) -> None:
    """Every `read` operation answers 2xx to a read token; every other one 403, naming its scope.

    The operations a read token may call are exactly the GETs outside the guest and the
    tokens API: no mutating operation answers it.
    """
    reader = _token(admin, "read")
    allowed: set[str] = set()
    wrong: list[str] = []
    with _client(server, reader["secret"]) as http:
        for path, method, op in SECURED:
            response = _call(http, method, path, values)
            scope = op["x-vmkit-scope"]
            if 200 <= response.status_code < 300:
                allowed.add(op["operationId"])
            elif (response.status_code, response.json().get("code")) != (403, "PERMISSION_DENIED"):
                wrong.append(f"{op['operationId']}: {response.status_code} {response.text}")
            elif response.json()["metadata"] != {"required_scope": scope, "token_scopes": ["read"]}:
                wrong.append(f"{op['operationId']}: metadata {response.json()['metadata']}")
    assert [] == wrong
    reads = {op["operationId"] for _, _, op in SECURED if op["x-vmkit-scope"] == "read"}
    assert reads == allowed
    assert all(method == "GET" for _, method, op in SECURED if op["operationId"] in allowed)


@pytest.mark.parametrize("scope", ["read", "write", "connect"])
def test_a_token_is_refused_every_operation_of_another_scope(
    server: RunningServer, admin: httpx.Client, values: dict[str, str], scope: str
) -> None:
    """Scopes are independent: `write` does not imply `read`, nor `connect` anything else."""
    token = _token(admin, scope)
    others = [(p, m, op) for p, m, op in SECURED if op["x-vmkit-scope"] != scope]
    with _client(server, token["secret"]) as http:
        statuses = {op["operationId"]: _call(http, m, p, values).status_code for p, m, op in others}
    assert {403} == set(statuses.values()), statuses


def test_no_operation_but_the_probes_and_the_document_answers_without_a_token(
    server: RunningServer, values: dict[str, str]
) -> None:
    """Without a token: 401 UNAUTHENTICATED everywhere but /healthz, /readyz, /openapi.json."""
    with _client(server, None) as http:
        refused = {op["operationId"]: _call(http, m, p, values).status_code for p, m, op in SECURED}
        public = {op["operationId"]: _call(http, m, p, values).status_code for p, m, op in PUBLIC}
    assert {401} == set(refused.values()), refused
    assert {"getHealth": 200, "getOpenapiDocument": 200, "getReadiness": 200} == public


def test_an_admin_token_may_do_everything(
    server: RunningServer, admin: httpx.Client, values: dict[str, str]
) -> None:
    """`admin` passes every scope check (a read, a write, a guest call, the tokens API)."""
    token = _token(admin, "admin")
    with _client(server, token["secret"]) as http:
        assert 200 == http.get("/v1/vms/scoped").status_code
        assert 200 == http.get("/v1/vms/scoped/console").status_code
        assert 200 == http.patch("/v1/vms/scoped", json={"labels": {"by": "admin"}}).status_code
        assert 200 == http.get("/v1/tokens").status_code


def test_metrics_need_the_read_scope(server: RunningServer, admin: httpx.Client) -> None:
    """/metrics is outside the spec but follows the same rule: a token with `read`."""
    with _client(server, _token(admin, "connect")["secret"]) as http:
        denied = http.get("/metrics")
    with _client(server, _token(admin, "read")["secret"]) as http:
        allowed = http.get("/metrics")
    assert (403, "PERMISSION_DENIED") == (denied.status_code, denied.json()["code"])
    assert 200 == allowed.status_code


def test_scope_is_checked_before_the_body_is_validated(
    server: RunningServer, admin: httpx.Client
) -> None:
    """A token without the scope learns nothing about the schema: 403, not 422."""
    with _client(server, _token(admin, "read")["secret"]) as http:
        response = http.post("/v1/vms", json={"name": "UPPER", "cpus": "many"})
    assert 403 == response.status_code
    assert "errors" not in response.json()
