"""The checker that validates every e2e response really catches what violates the spec."""

from __future__ import annotations

import httpx
from spec_check import SpecChecker

from vmkit_server.spec import load_spec


def _response(method: str, path: str, status: int, body: bytes, media: str) -> httpx.Response:
    request = httpx.Request(method, f"http://127.0.0.1{path}")
    return httpx.Response(status, content=body, headers={"content-type": media}, request=request)


def test_the_specs_own_example_passes() -> None:
    """A VM shaped like the spec's example is accepted."""
    import json

    example = load_spec()["components"]["examples"]["VM"]["value"]
    checker = SpecChecker()
    checker.check(
        _response("GET", "/v1/vms/web-1", 200, json.dumps(example).encode(), "application/json")
    )
    assert [] == checker.failures
    assert {"getVm"} == checker.seen


def test_violations_are_caught() -> None:
    """A wrong type, an undeclared status, an error that is not problem+json, an unknown path."""
    checker = SpecChecker()
    checker.check(_response("GET", "/v1/vms/web-1", 200, b'{"id": 1}', "application/json"))
    checker.check(_response("POST", "/v1/vms/web-1:start", 200, b"{}", "application/json"))
    checker.check(_response("GET", "/v1/vms/web-1", 404, b'{"code":"X"}', "application/json"))
    checker.check(_response("GET", "/v1/nowhere", 404, b"{}", "application/problem+json"))
    text = "\n".join(checker.failures)
    assert "GET /v1/vms/web-1 -> 200" in text
    assert "error without application/problem+json" in text
    assert "no such operation in the spec" in text
    assert "POST /v1/vms/web-1:start -> 200: status not in the spec" in text
