"""The house rules of spec/vmkit.yaml (design §2), checked so a change cannot slip past them."""

from __future__ import annotations

from typing import Any

import pytest

from vmkit_server.spec import load_spec

SPEC = load_spec()
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = [
    (path, method, op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in METHODS
]
IDS = [op["operationId"] for _, _, op in OPERATIONS]


def _param_names(path: str, op: dict[str, Any]) -> set[str]:
    names = set()
    for raw in [*SPEC["paths"][path].get("parameters", []), *op.get("parameters", [])]:
        param = raw
        if "$ref" in raw:
            param = SPEC["components"]["parameters"][raw["$ref"].rsplit("/", 1)[-1]]
        names.add(param["name"])
    return names


def _has_example(node: dict[str, Any]) -> bool:
    return any(
        "example" in media or "examples" in media for media in node.get("content", {}).values()
    )


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        return dict(SPEC["components"][kind][name])
    return node


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=IDS)
def test_every_operation_is_documented_and_has_a_problem_default(
    path: str, method: str, op: dict[str, Any]
) -> None:
    """operationId, tag, summary, a default problem+json response, examples."""
    assert op.get("operationId")
    assert op.get("tags")
    assert op.get("summary")
    default = _resolve(op["responses"]["default"])
    assert ["application/problem+json"] == list(default["content"])
    success = [_resolve(r) for code, r in op["responses"].items() if code.startswith("2")]
    assert success, "an operation needs a success response"
    assert all(_has_example(r) for r in success if r.get("content"))
    if "requestBody" in op:
        assert _has_example(op["requestBody"])


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=IDS)
def test_concurrency_and_idempotency_headers_are_declared(
    path: str, method: str, op: dict[str, Any]
) -> None:
    """Every POST takes Idempotency-Key; PATCH, DELETE and VM actions take If-Match."""
    names = _param_names(path, op)
    if method == "post":
        assert "Idempotency-Key" in names
    is_action = ":" in path.rsplit("/", 1)[-1] and method == "post"
    if method in {"patch", "delete"} or (is_action and not path.startswith("/v1/operations")):
        assert "If-Match" in names


def test_operation_ids_are_unique() -> None:
    """The router and the generator key on operationId."""
    assert len(IDS) == len(set(IDS))


def test_every_schema_has_a_title() -> None:
    """Generated model names come from titles, not from where a schema happens to sit."""
    untitled = [name for name, s in SPEC["components"]["schemas"].items() if "title" not in s]
    assert [] == untitled


def test_only_health_probes_and_documents_skip_auth() -> None:
    """No operation but the probes and the API document answers without a token."""
    public = sorted(op["operationId"] for _, _, op in OPERATIONS if op.get("security") == [])
    assert ["getHealth", "getOpenapiDocument", "getReadiness"] == public
    assert [{"bearerAuth": []}] == SPEC["security"]


SCOPES = {"read", "write", "connect", "admin"}
GUEST_OPERATIONS = {
    "execVm",
    "uploadVmFile",
    "downloadVmFile",
    "getVmConsole",
    "sendVmConsole",
    "getVmScreenshot",
}


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=IDS)
def test_every_secured_operation_names_its_scope(
    path: str, method: str, op: dict[str, Any]
) -> None:
    """x-vmkit-scope on every operation with security (and only there), by the scope rules.

    GETs need `read`, changes `write`, the guest calls `connect`, tokens and webhooks `admin`; no
    change is ever allowed to a `read` token.
    """
    if op.get("security") == []:
        assert "x-vmkit-scope" not in op
        return
    scope = op.get("x-vmkit-scope")
    assert scope in SCOPES
    if op["operationId"] in GUEST_OPERATIONS:
        expected = "connect"
    elif path.startswith(("/v1/tokens", "/v1/webhooks")):
        expected = "admin"
    else:
        expected = "read" if method == "get" else "write"
    assert expected == scope


def _single_resource_gets() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path, method, op in OPERATIONS:
        ok = _resolve(op["responses"].get("200", {}))
        is_custom_method = ":" in path.rsplit("/", 1)[-1]  # e.g. the :wait long-poll
        if method == "get" and "ETag" in ok.get("headers", {}) and not is_custom_method:
            found.append((path, op))
    return found


@pytest.mark.parametrize(
    ("path", "op"),
    _single_resource_gets(),
    ids=[op["operationId"] for _, op in _single_resource_gets()],
)
def test_gets_with_an_etag_take_if_none_match_and_may_answer_304(
    path: str, op: dict[str, Any]
) -> None:
    """Every GET of one resource whose answer has an ETag declares If-None-Match and 304."""
    assert "If-None-Match" in _param_names(path, op)
    assert "304" in op["responses"]


def test_the_single_resources_all_have_conditional_gets() -> None:
    """VM, snapshot, operation, host, token and webhook reads are the conditional ones."""
    assert {"getVm", "getSnapshot", "getOperation", "getHost", "getToken", "getWebhook"} == {
        op["operationId"] for _, op in _single_resource_gets()
    }


def test_no_description_was_cut_by_yaml() -> None:
    """An unquoted comma in a `{..., description: a, b}` flow map makes YAML cut the text
    and add a junk key `b: null`; no such key may exist anywhere in the document."""
    junk: list[str] = []

    def walk(node: Any, at: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if value is None and isinstance(key, str) and " " in key:
                    junk.append(f"{at}/{key}")
                walk(value, f"{at}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{at}/{i}")

    walk(SPEC, "")
    assert [] == junk
