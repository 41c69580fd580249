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
