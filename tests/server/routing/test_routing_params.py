"""SpecRouter: path, query and header parameters are coerced, defaulted and validated."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.anyio


def issues(response: httpx.Response) -> list[dict[str, Any]]:
    """The `errors[]` of a 422 problem, after checking it is one."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert body["type"] == "urn:vmkit:problem:validation-failed"
    errors: list[dict[str, Any]] = body["errors"]
    return errors


async def test_defaults_are_applied(client: httpx.AsyncClient) -> None:
    """Absent params with a default get it; absent optional params are left out."""
    response = await client.get("/v1/vms")
    assert response.json()["query"] == {"page_size": 50}
    wait = await client.get("/v1/operations/op_ab12:wait")
    assert wait.json()["query"] == {"timeout_seconds": 30}


async def test_query_values_are_coerced(client: httpx.AsyncClient) -> None:
    """Integers, booleans, numbers and repeated-key arrays come out typed."""
    response = await client.get(
        "/v1/vms",
        params=[
            ("page_size", "10"),
            ("state", "running"),
            ("state", "stopped"),
            ("force", "true"),
            ("ratio", "0.5"),
        ],
    )
    assert response.status_code == 200, response.text
    assert response.json()["query"] == {
        "page_size": 10,
        "state": ["running", "stopped"],
        "force": True,
        "ratio": 0.5,
    }


async def test_number_accepts_integer_text(client: httpx.AsyncClient) -> None:
    """`timeout_seconds=10` is a number."""
    response = await client.get("/v1/operations/op_ab12:wait", params={"timeout_seconds": "10"})
    assert response.json()["query"] == {"timeout_seconds": 10}


@pytest.mark.parametrize(
    ("params", "detail_part", "keyword"),
    [
        ({"page_size": "ten"}, "is not a valid integer", "type"),
        ({"page_size": "1.5"}, "is not a valid integer", "type"),
        ({"page_size": "0"}, "less than the minimum", "minimum"),
        ({"page_size": "1001"}, "greater than the maximum", "maximum"),
        ({"force": "yes"}, "is not a valid boolean", "type"),
        ({"ratio": "2"}, "greater than the maximum", "maximum"),
        ({"state": "exploding"}, "is not one of", "enum"),
    ],
)
async def test_bad_query_values_are_422(
    client: httpx.AsyncClient, params: dict[str, str], detail_part: str, keyword: str
) -> None:
    """Each failure points at the parameter and names the failed keyword."""
    [error] = issues(await client.get("/v1/vms", params=params))
    [name] = params
    assert error["location"] == "query"
    assert error["pointer"] == f"/{name}"
    assert error["keyword"] == keyword
    assert detail_part in error["detail"]


async def test_array_max_items(client: httpx.AsyncClient) -> None:
    """Repeating an array param more than maxItems times fails."""
    [error] = issues(await client.get("/v1/vms", params={"state": ["running"] * 4}))
    assert (error["pointer"], error["keyword"]) == ("/state", "maxItems")


async def test_scalar_given_twice_is_422(client: httpx.AsyncClient) -> None:
    """A non-array query param must not repeat."""
    [error] = issues(await client.get("/v1/vms", params=[("page_size", "1"), ("page_size", "2")]))
    assert error["pointer"] == "/page_size"


async def test_unknown_query_param_is_422(client: httpx.AsyncClient) -> None:
    """A typo such as `pagesize` is reported, not ignored."""
    [error] = issues(await client.get("/v1/vms", params={"pagesize": "10"}))
    assert error["location"] == "query"
    assert error["pointer"] == "/pagesize"
    assert "unknown query parameter" in error["detail"]


async def test_all_parameter_problems_are_reported_together(client: httpx.AsyncClient) -> None:
    """Several bad params give one 422 listing each."""
    errors = issues(await client.get("/v1/vms", params={"page_size": "0", "force": "maybe"}))
    assert sorted(e["pointer"] for e in errors) == ["/force", "/page_size"]


async def test_bad_path_param_is_422(client: httpx.AsyncClient) -> None:
    """A path param that breaks its pattern points at the param."""
    [error] = issues(await client.get("/v1/vms/Web_1"))
    assert error["location"] == "path"
    assert error["pointer"] == "/vm"
    assert error["keyword"] == "pattern"


async def test_path_param_via_component_schema_ref(client: httpx.AsyncClient) -> None:
    """A param whose schema is a `$ref` to components/schemas is validated by it."""
    assert (await client.get("/v1/operations/op_ab12:wait")).status_code == 200
    [error] = issues(await client.get("/v1/operations/op_nope!:wait"))
    assert (error["pointer"], error["keyword"]) == ("/operation", "pattern")


async def test_integer_path_and_header_params(client: httpx.AsyncClient) -> None:
    """Path and header params are coerced; headers are exposed by their spec name."""
    response = await client.get("/v1/pages/3", headers={"x-trace-level": "2"})
    assert response.status_code == 200, response.text
    assert response.json()["path"] == {"page": 3}
    assert response.json()["headers"] == {"X-Trace-Level": 2}


async def test_bad_header_param_is_422(client: httpx.AsyncClient) -> None:
    """A header param out of bounds points at the header by its spec name."""
    [error] = issues(await client.get("/v1/pages/3", headers={"X-Trace-Level": "9"}))
    assert error == {
        "location": "header",
        "pointer": "/X-Trace-Level",
        "detail": "9 is greater than the maximum of 3",
        "keyword": "maximum",
    }


async def test_missing_required_header_is_422(client: httpx.AsyncClient) -> None:
    """A required header that is not sent is reported as required."""
    [error] = issues(await client.get("/v1/pages/3"))
    assert (error["location"], error["pointer"], error["keyword"]) == (
        "header",
        "/X-Trace-Level",
        "required",
    )


async def test_path_and_header_problems_are_reported_together(client: httpx.AsyncClient) -> None:
    """Path and header failures arrive in one problem."""
    errors = issues(await client.get("/v1/pages/0", headers={"X-Trace-Level": "x"}))
    assert sorted((e["location"], e["pointer"]) for e in errors) == [
        ("header", "/X-Trace-Level"),
        ("path", "/page"),
    ]


async def test_optional_header_param(client: httpx.AsyncClient) -> None:
    """A declared optional header shows up when sent, by its spec name."""
    response = await client.post("/v1/vms", json={"name": "web"}, headers={"idempotency-key": "k1"})
    assert response.json()["headers"] == {"Idempotency-Key": "k1"}
    [error] = issues(
        await client.post("/v1/vms", json={"name": "web"}, headers={"Idempotency-Key": "k" * 17})
    )
    assert (error["location"], error["keyword"]) == ("header", "maxLength")
