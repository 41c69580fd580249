"""SpecRouter: JSON request bodies (media type, size, syntax, schema)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from routing_helpers import GOOD_TOKEN, SPEC, handlers
from starlette.responses import Response

from vmkit_server.routing import Call, SpecRouter

pytestmark = pytest.mark.anyio


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The problem body, after checking its status and code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


async def test_valid_body_reaches_handler(client: httpx.AsyncClient) -> None:
    """A valid body is parsed and handed over."""
    sent = {"name": "web", "cpus": 2, "not_before": "2030-01-02T03:04:05Z"}
    response = await client.post("/v1/vms", json=sent)
    assert response.status_code == 200, response.text
    assert response.json()["body"] == sent


async def test_charset_utf8_is_accepted(client: httpx.AsyncClient) -> None:
    """`application/json; charset=utf-8` is JSON."""
    response = await client.post(
        "/v1/vms",
        content='{"name": "web", "labels": {"who": "café"}}'.encode(),
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["body"]["labels"] == {"who": "café"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/json; charset=latin-1"])
async def test_wrong_media_type_is_415(client: httpx.AsyncClient, content_type: str) -> None:
    """Anything but UTF-8 JSON is refused."""
    response = await client.post(
        "/v1/vms", content=b'{"name": "web"}', headers={"Content-Type": content_type}
    )
    problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_body_without_content_type_is_415(client: httpx.AsyncClient) -> None:
    """A body with no Content-Type is not guessed at."""
    problem(await client.post("/v1/vms", content=b'{"name": "web"}'), 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_body_to_operation_without_request_body_is_415(client: httpx.AsyncClient) -> None:
    """An operation that takes no body refuses one, but not an empty one."""
    response = await client.post("/v1/vms/web-1:start", json={"now": True})
    problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    empty = await client.post("/v1/vms/web-1:start", content=b"")
    assert empty.status_code == 200


async def test_optional_body_may_be_absent(client: httpx.AsyncClient) -> None:
    """No body, no content type, optional body: body is None."""
    response = await client.post("/v1/vms/web-1:stop")
    assert response.status_code == 200, response.text
    assert response.json()["body"] is None
    given = await client.post("/v1/vms/web-1:stop", json={"timeout_seconds": 5})
    assert given.json()["body"] == {"timeout_seconds": 5}


async def test_required_body_missing_is_422(client: httpx.AsyncClient) -> None:
    """A required body that is not sent is a validation failure at the root."""
    body = problem(await client.post("/v1/vms"), 422, "VALIDATION_FAILED")
    assert body["errors"] == [
        {
            "location": "body",
            "pointer": "",
            "detail": "a JSON request body is required",
            "keyword": "required",
        }
    ]


async def test_too_large_by_content_length_is_413(client: httpx.AsyncClient) -> None:
    """A declared Content-Length over the limit is refused before reading."""
    big = b'{"name": "' + b"a" * 2000 + b'"}'
    response = await client.post(
        "/v1/vms", content=big, headers={"Content-Type": "application/json"}
    )
    body = problem(response, 413, "PAYLOAD_TOO_LARGE")
    assert body["metadata"] == {"max_bytes": 1024}


async def test_too_large_chunked_stream_is_413(client: httpx.AsyncClient) -> None:
    """A chunked body is cut off as soon as it passes the limit."""
    produced: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for index in range(100):
            produced.append(index)
            yield b" " * 300

    response = await client.post(
        "/v1/vms", content=chunks(), headers={"Content-Type": "application/json"}
    )
    problem(response, 413, "PAYLOAD_TOO_LARGE")
    assert len(produced) < 10


async def test_small_chunked_body_is_read(client: httpx.AsyncClient) -> None:
    """A chunked body under the limit is assembled and parsed."""

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": '
        yield b'"web"}'

    response = await client.post(
        "/v1/vms", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.json()["body"] == {"name": "web"}


@pytest.mark.parametrize(
    "raw", [b'{"name": ', b"{'name': 'web'}", b'{"name": NaN}', b'\xff{"name": "web"}']
)
async def test_malformed_json_is_400(client: httpx.AsyncClient, raw: bytes) -> None:
    """Broken JSON, NaN, or bytes that are not UTF-8 are a 400."""
    response = await client.post(
        "/v1/vms", content=raw, headers={"Content-Type": "application/json"}
    )
    problem(response, 400, "MALFORMED_JSON")


async def test_schema_failures_point_into_the_body(client: httpx.AsyncClient) -> None:
    """Each failure has an RFC 6901 pointer and its keyword."""
    sent = {
        "name": "Web!",
        "cpus": 0,
        "labels": {"a/b": 3},
        "not_before": "yesterday",
        "disks": [{"size_gib": 1}, {}],
        "colour": "red",
    }
    body = problem(await client.post("/v1/vms", json=sent), 422, "VALIDATION_FAILED")
    found = {(e["pointer"], e["keyword"]) for e in body["errors"]}
    assert found == {
        ("/name", "pattern"),
        ("/cpus", "minimum"),
        ("/labels/a~1b", "type"),
        ("/not_before", "format"),
        ("/disks/1/size_gib", "required"),
        ("/colour", "additionalProperties"),
    }
    assert all(e["location"] == "body" for e in body["errors"])
    cpus = next(e for e in body["errors"] if e["pointer"] == "/cpus")
    assert cpus["detail"] == "0 is less than the minimum of 1"


async def test_missing_required_property_points_at_it(client: httpx.AsyncClient) -> None:
    """`required` failures point at the missing member."""
    body = problem(await client.post("/v1/vms", json={"cpus": 1}), 422, "VALIDATION_FAILED")
    assert body["errors"] == [
        {
            "location": "body",
            "pointer": "/name",
            "detail": "'name' is a required property",
            "keyword": "required",
        }
    ]


async def test_param_and_body_problems_are_reported_together(client: httpx.AsyncClient) -> None:
    """One 422 lists header and body failures."""
    response = await client.post(
        "/v1/vms", json={"name": "web", "cpus": 100}, headers={"Idempotency-Key": "k" * 20}
    )
    body = problem(response, 422, "VALIDATION_FAILED")
    assert sorted(e["location"] for e in body["errors"]) == ["body", "header"]


async def test_handler_can_still_read_the_raw_body() -> None:
    """The body the router consumed stays readable through `request.body()`."""

    async def raw(call: Call) -> Response:
        return Response(await call.request.body())

    table = handlers()
    table["createVm"] = raw
    transport = httpx.ASGITransport(app=SpecRouter(SPEC, table))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.post(
            "/v1/vms", json={"name": "web"}, headers={"Authorization": f"Bearer {GOOD_TOKEN}"}
        )
    assert response.content == b'{"name":"web"}'
