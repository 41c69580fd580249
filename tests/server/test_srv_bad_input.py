"""Bad requests over a real socket, with plain httpx: each gets the right problem+json, no 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from vmkit_server.spec import load_spec
from vmkit_server.testing import RunningServer, start_server

PROBLEM_FIELDS = {"type", "title", "status", "code", "detail"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("bad-input") / "data")
    yield running
    running.stop()


@pytest.fixture
def http(server: RunningServer) -> Iterator[httpx.Client]:
    """A plain httpx client carrying the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        yield client


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert `response` is a problem+json answer with `status` (and `code`); return its body."""
    assert status == response.status_code, response.text
    assert "application/problem+json" == response.headers["content-type"].split(";")[0]
    body: dict[str, Any] = response.json()
    assert PROBLEM_FIELDS <= body.keys(), body
    assert status == body["status"]
    if code is not None:
        assert code == body["code"]
    return body


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer vmk_not-a-real-token"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer vmk_"},
        {"Authorization": f"bearer {'x' * 5000}"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["missing", "invalid", "empty-bearer", "bare-prefix", "huge", "basic"],
)
def test_bad_credentials_are_401(server: RunningServer, headers: dict[str, str]) -> None:
    """No token, an unknown one, an empty Bearer or another scheme: 401 UNAUTHENTICATED.

    `Bearer ` with a trailing space is the same request on the wire as `Bearer`: HTTP strips
    the whitespace around a header value (and httpx refuses to send it).
    """
    with httpx.Client(base_url=server.url, headers=headers) as anonymous:
        for method, path in (("GET", "/v1/vms"), ("POST", "/v1/vms"), ("GET", "/v1/hosts")):
            response = anonymous.request(method, path, json={"name": "x"})
            problem(response, 401, "UNAUTHENTICATED")
            assert response.headers["www-authenticate"].lower().startswith("bearer")


def test_health_and_openapi_need_no_token(server: RunningServer) -> None:
    """Only /healthz and /openapi.json (and /readyz) answer without a token."""
    with httpx.Client(base_url=server.url) as anonymous:
        assert [200, 200, 200] == [
            anonymous.get(path).status_code for path in ("/healthz", "/readyz", "/openapi.json")
        ]


def test_malformed_json_is_400(http: httpx.Client) -> None:
    """A body that is not JSON: 400 MALFORMED_JSON (an empty one is a missing body: 422)."""
    empty = http.post("/v1/vms", content=b"", headers={"Content-Type": "application/json"})
    problem(empty, 422, "VALIDATION_FAILED")
    for raw in (b"{", b"{'name': 'x'}", b'{"name": "x"} trailing', b"\xff\xfe", b"NaN"):
        response = http.post("/v1/vms", content=raw, headers={"Content-Type": "application/json"})
        problem(response, 400, "MALFORMED_JSON")


def pointers(body: dict[str, Any]) -> set[str]:
    """The JSON pointers a VALIDATION_FAILED problem names."""
    return {issue["pointer"] for issue in body["errors"]}


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({"name": "ok-1", "cpus": "two"}, "/cpus"),
        ({"name": "ok-2", "cpus": 0}, "/cpus"),
        ({"name": "ok-3", "memory_mib": 1.5}, "/memory_mib"),
        ({"name": "ok-4", "labels": {"team": 1}}, "/labels/team"),
        ({"name": "ok-5", "start": "yes"}, "/start"),
        ({"name": 5}, "/name"),
        ({}, "/name"),
        ([], ""),
        ({"name": "Upper"}, "/name"),
        ({"name": "a" * 64}, "/name"),
        ({"name": "-lead"}, "/name"),
        ({"name": "trail-"}, "/name"),
        ({"name": "wéb"}, "/name"),
        ({"name": "has space"}, "/name"),
        ({"name": ""}, "/name"),
    ],
)
def test_invalid_create_bodies_are_422_with_pointers(
    http: httpx.Client, payload: Any, pointer: str
) -> None:
    """Wrong types, out-of-range values and bad names: 422 VALIDATION_FAILED at the field."""
    body = problem(http.post("/v1/vms", json=payload), 422, "VALIDATION_FAILED")
    assert pointer in pointers(body)
    assert {"body"} == {issue["location"] for issue in body["errors"]}


def test_unknown_fields_are_422(http: httpx.Client) -> None:
    """A field the schema does not know is refused, and the problem says which."""
    body = problem(http.post("/v1/vms", json={"name": "ok", "colour": "red"}), 422)
    assert "VALIDATION_FAILED" == body["code"]
    assert any("colour" in issue["pointer"] + issue["detail"] for issue in body["errors"])


def test_a_63_character_name_is_fine(http: httpx.Client) -> None:
    """The longest legal name is accepted (the 64-character one above is not)."""
    assert 202 == http.post("/v1/vms", json={"name": "a" * 63}).status_code


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "0"},
        {"page_size": "10001"},
        {"page_size": "ten"},
        {"page_token": "garbage"},
        {"page_token": "eyJub3QiOiAiYSB0b2tlbiJ9"},
        {"state": "sleeping"},
        {"label": "no-equals-sign"},
    ],
)
def test_invalid_list_parameters_are_422(http: httpx.Client, query: dict[str, str]) -> None:
    """Bad page sizes, forged page tokens and unknown filters: 422 naming the parameter."""
    body = problem(http.get("/v1/vms", params=query), 422)
    (name,) = query
    if body["code"] == "VALIDATION_FAILED":
        assert f"/{name}" in pointers(body)
        assert {"query"} == {issue["location"] for issue in body["errors"]}
    else:  # a well-formed but unknown page token may carry its own code
        assert "page_token" == name


def test_a_10_mib_body_is_413(http: httpx.Client) -> None:
    """A body over the server's limit is refused before it is parsed."""
    big = b'{"name": "big", "pad": "' + b"x" * (10 * 2**20) + b'"}'
    response = http.post("/v1/vms", content=big, headers={"Content-Type": "application/json"})
    problem(response, 413)


def test_wrong_content_type_is_415(http: httpx.Client) -> None:
    """A JSON body sent as text/plain or a form: 415."""
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = http.post(
            "/v1/vms", content=b'{"name": "x"}', headers={"Content-Type": content_type}
        )
        problem(response, 415)


@pytest.mark.parametrize(
    "path",
    ["/v1/nothing", "/v2/vms", "/v1/vms/web-1:stat", "/v1/vms/web-1:", "/v1/vms/web-1/extra/x"],
)
def test_unknown_routes_are_404(http: httpx.Client, path: str) -> None:
    """Paths the spec does not have, a `:verb` typo included: 404 problem+json."""
    problem(http.post(path, json={}), 404)
    problem(http.get(path), 404)


def test_wrong_method_is_405_with_allow(http: httpx.Client) -> None:
    """A known path with a method it does not take: 405 listing the ones it does."""
    for method, path, allowed in (
        ("PUT", "/v1/vms", {"GET", "POST"}),
        ("DELETE", "/v1/hosts", {"GET"}),
        ("GET", "/v1/vms/web-1:start", {"POST"}),
        ("POST", "/v1/vms/web-1", {"GET", "PATCH", "DELETE"}),
    ):
        response = http.request(method, path)
        problem(response, 405)
        assert allowed == {m.strip() for m in response.headers["allow"].split(",")} - {"HEAD"}


def test_bad_path_parameters_and_headers(http: httpx.Client) -> None:
    """A malformed VM reference or If-Match header: 4xx problem+json, never 500."""
    problem(http.get("/v1/vms/NOT_A_NAME"), 422, "VALIDATION_FAILED")
    problem(http.get("/v1/operations/op_nope"), 422, "VALIDATION_FAILED")
    problem(http.get("/v1/vms/no-such-vm"), 404, "VM_NOT_FOUND")
    oversize = {"If-Match": "x" * 300}
    problem(http.patch("/v1/vms/no-such-vm", json={"cpus": 1}, headers=oversize), 422)
    problem(http.post("/v1/vms", json={"name": "x"}, headers={"Idempotency-Key": "a b"}), 422)


def test_patch_with_nothing_to_change_is_422(http: httpx.Client) -> None:
    """An empty PATCH body breaks `minProperties: 1`."""
    assert 202 == http.post("/v1/vms", json={"name": "patchme"}).status_code
    problem(http.patch("/v1/vms/patchme", json={}), 422, "VALIDATION_FAILED")


def test_no_operation_answers_500_to_junk(http: httpx.Client) -> None:
    """Every path and method of the spec, fed junk parameters and a junk body: a 4xx problem."""
    junk_query = {"page_size": "-1", "force": "maybe", "timeout_seconds": "soon", "x": "\x00"}
    for template, item in load_spec()["paths"].items():
        path = template.replace("{vm}", "zz-missing").replace("{snapshot}", "zz-missing")
        path = path.replace("{operation}", "op_" + "9" * 26).replace("{host}", "zz-missing")
        for method in ("get", "post", "patch", "delete"):
            response = http.request(
                method.upper(), path, params=junk_query, json={"junk": [1, {"deep": None}]}
            )
            if method in item and template not in {"/healthz", "/readyz", "/openapi.json"}:
                body = problem(response, response.status_code)
                assert 400 <= response.status_code < 500, (method, path, body)
            else:
                assert response.status_code < 500, (method, path, response.text)
