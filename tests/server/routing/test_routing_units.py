"""The pieces under the router: problem documents, path templates, fast predicates."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from starlette.types import Message

from vmkit_server._paths import PathTable
from vmkit_server._predicates import fast_predicate
from vmkit_server.problems import ProblemError, problem_body, problem_response
from vmkit_server.routing import SpecRouter


def test_problem_body_has_rfc9457_fields() -> None:
    """type is a urn from the code, title from the status, optional members only when set."""
    exc = ProblemError(404, "VM_NOT_FOUND", "no VM named 'x'")
    assert problem_body(exc, instance="/v1/vms/x", request_id=None) == {
        "type": "urn:vmkit:problem:vm-not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "no VM named 'x'",
        "instance": "/v1/vms/x",
        "code": "VM_NOT_FOUND",
    }


def test_problem_body_carries_extras() -> None:
    """request_id, metadata and errors appear when given; a title can be set."""
    errors = [{"location": "body", "pointer": "/cpus", "detail": "no", "keyword": "minimum"}]
    exc = ProblemError(
        422, "VALIDATION_FAILED", "bad", title="Bad input", metadata={"a": 1}, errors=errors
    )
    body = problem_body(exc, instance="/v1/vms", request_id="r1")
    assert (body["title"], body["request_id"]) == ("Bad input", "r1")
    assert (body["metadata"], body["errors"]) == ({"a": 1}, errors)


def test_unknown_status_gets_a_generic_title() -> None:
    """A status without a reason phrase still has a title."""
    assert ProblemError(599, "ODD", "odd").title == "Error"


def test_problem_response_media_type_and_headers() -> None:
    """The response is problem+json with the problem's own headers."""
    exc = ProblemError(429, "RATE_LIMITED", "slow down", headers={"Retry-After": "3"})
    response = problem_response(exc, instance="/v1/vms", request_id="r")
    assert response.status_code == 429
    assert response.media_type == "application/problem+json"
    assert response.headers["retry-after"] == "3"


def _table() -> PathTable[str]:
    return PathTable(
        {
            "/v1/vms": "list",
            "/v1/vms/{vm}": "get",
            "/v1/vms/{vm}:start": "start",
            "/v1/vms/{vm}/snapshots/{snapshot}:restore": "restore",
            "/v1/vms/default": "static",
        }
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/vms", ("list", {})),
        ("/v1/vms/a", ("get", {"vm": "a"})),
        ("/v1/vms/a:start", ("start", {"vm": "a"})),
        ("/v1/vms/a/snapshots/s1:restore", ("restore", {"vm": "a", "snapshot": "s1"})),
        ("/v1/vms/default", ("static", {})),
        ("/v1/vms/a%2Fb", ("get", {"vm": "a/b"})),
        ("/v1/vms/a:stat", None),
        ("/v1/vms/a:start:start", None),
        ("/v1/vms/a/snapshots/s1", None),
        ("/v1/vms/", None),
        ("/v2/vms/a", None),
    ],
)
def test_path_table_matches_exactly(path: str, expected: tuple[str, dict[str, str]] | None) -> None:
    """Params take one segment without `/` or `:`; literals and verbs match exactly."""
    assert _table().match(path) == expected


def test_path_table_keeps_decoded_paths_as_they_are() -> None:
    """With decode=False, a `%` in an already-decoded path is data."""
    assert _table().match("/v1/vms/100%25", decode=False) == ("get", {"vm": "100%25"})


def test_path_table_refuses_repeated_param_names() -> None:
    """`/a/{x}/b/{x}` is a spec mistake."""
    with pytest.raises(ValueError, match="repeats"):
        PathTable({"/a/{x}/b/{x}": 1})


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 4},
        {"type": "string", "enum": ["a", "bb"]},
        {"type": "integer", "minimum": 1, "maximum": 10},
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        {"type": "boolean"},
        {"type": "array", "maxItems": 2, "items": {"type": "string", "enum": ["x"]}},
        {"type": ["string", "integer"], "const": 3},
    ],
)
@pytest.mark.parametrize(
    "value", ["a", "bb", "abcde", "A1", 0, 1, 5, 10, 11, 0.5, 1.0, True, False, ["x"], ["x"] * 3]
)
def test_fast_predicate_never_accepts_what_the_schema_refuses(
    schema: dict[str, Any], value: Any
) -> None:
    """A predicate saying True means the full validator agrees."""
    predicate = fast_predicate(schema, lambda node: node)
    assert predicate is not None
    if predicate(value):
        assert Draft202012Validator(schema).is_valid(value)


def test_fast_predicate_declines_complex_schemas() -> None:
    """Schemas with keywords it does not know are left to the generic validator."""
    assert fast_predicate({"type": "string", "format": "date-time"}, lambda n: n) is None
    assert fast_predicate({"anyOf": [{"type": "string"}]}, lambda n: n) is None


def test_unsupported_parameter_style_fails_construction() -> None:
    """A serialization the router cannot parse is refused at start, not per request."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "getX",
                    "parameters": [
                        {"name": "f", "in": "query", "style": "deepObject", "schema": {}}
                    ],
                    "responses": {},
                }
            }
        },
    }
    with pytest.raises(ValueError, match="deepObject"):
        SpecRouter(spec, {"getX": _never})


def test_undeclared_path_parameter_fails_construction() -> None:
    """A template parameter the operation does not declare is a spec mistake."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x/{id}": {"get": {"operationId": "getX", "responses": {}}}},
    }
    with pytest.raises(ValueError, match="do not match"):
        SpecRouter(spec, {"getX": _never})


async def _never(call: Any) -> Any:
    raise AssertionError("not called")


@pytest.mark.anyio
async def test_lifespan_without_fallback_completes() -> None:
    """As the top-level app, the router answers the lifespan handshake."""
    router = SpecRouter({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}, {})
    inbox: list[Message] = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[Message] = []

    async def receive() -> Message:
        return inbox.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    await router({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
