"""Tools from an OpenAPI document, and the request a call makes: no network, no ``mcp``."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from vmkit._mcp._tools import ArgumentError, ToolSpec, tools_from_spec

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "security": [{"bearerAuth": []}],
    "components": {
        "parameters": {
            "Ref": {"name": "vm", "in": "path", "required": True, "schema": {"type": "string"}},
            "IfMatch": {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
            "IfNoneMatch": {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
        },
        "schemas": {
            "Name": {"type": "string", "example": "web-1", "x-internal": True},
            "Create": {
                "type": "object",
                "properties": {"name": {"$ref": "#/components/schemas/Name"}, "example": {}},
            },
        },
    },
    "paths": {
        "/healthz": {"get": {"operationId": "getHealth", "security": []}},
        "/v1/vms": {
            "get": {
                "operationId": "listVms",
                "x-vmkit-scope": "read",
                "summary": "List VMs.",
                "parameters": [
                    {"name": "state", "in": "query", "schema": {"type": "array"}},
                    {"name": "force", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "heartbeat_seconds", "in": "query", "schema": {"type": "number"}},
                ],
            },
            "post": {
                "operationId": "createVm",
                "x-vmkit-scope": "write",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Create"}}
                    },
                },
                "responses": {"202": {"description": "accepted"}},
            },
        },
        "/v1/vms/{vm}": {
            "parameters": [{"$ref": "#/components/parameters/Ref"}],
            "get": {
                "operationId": "getVm",
                "parameters": [{"$ref": "#/components/parameters/IfNoneMatch"}],
                "responses": {"200": {"content": {"image/png": {}}}},
            },
            "put": {
                "operationId": "uploadVmFile",
                "x-vmkit-scope": "connect",
                "parameters": [{"$ref": "#/components/parameters/IfMatch"}],
                "requestBody": {"content": {"application/octet-stream": {}}},
            },
            "patch": {
                "operationId": "patchVm",
                "requestBody": {"content": {"application/xml": {}}},
            },
        },
        "/v1/live": {
            "get": {
                "operationId": "watchVms",
                "responses": {"200": {"content": {"text/event-stream": {}}}},
            }
        },
    },
}


def tool(name: str) -> ToolSpec:
    return {t.name: t for t in tools_from_spec(SPEC)}[name]


def test_public_and_unsupported_operations_are_not_tools() -> None:
    """No token needed (health), a body neither JSON nor bytes (XML), a stream: no tool."""
    assert ["listVms", "createVm", "getVm", "uploadVmFile"] == [
        t.name for t in tools_from_spec(SPEC)
    ]


def test_schema_inlines_refs_and_keeps_property_names_that_look_like_keywords() -> None:
    """`$ref`s are replaced, OpenAPI-only keys dropped, a property named `example` kept."""
    body = tool("createVm").input_schema["properties"]["body"]
    assert {"type": "string"} == body["properties"]["name"]
    assert {} == body["properties"]["example"]
    assert ["body"] == tool("createVm").input_schema["required"]


def test_arguments_are_path_query_and_the_headers_a_tool_needs() -> None:
    """If-Match is `if_match`; If-None-Match and stream-only parameters are left out."""
    assert ["state", "force"] == list(tool("listVms").input_schema["properties"])
    assert ["vm"] == list(tool("getVm").input_schema["properties"])
    upload = tool("uploadVmFile").input_schema
    assert ["vm", "if_match", "content_base64"] == list(upload["properties"])
    assert False is upload["additionalProperties"]


def test_scope_defaults_to_admin_and_admin_may_call_everything() -> None:
    """An operation without x-vmkit-scope needs admin (fail closed), as on the server."""
    assert "admin" == tool("getVm").scope
    assert tool("getVm").allowed_for({"admin"})
    assert not tool("getVm").allowed_for({"read", "write", "connect"})
    assert tool("listVms").allowed_for({"read"})


def test_description_says_how_to_follow_an_operation_and_the_scope() -> None:
    """A 202 tool points at waitOperation; every tool names the scope it needs."""
    assert "waitOperation" in tool("createVm").description
    assert "`write` scope" in tool("createVm").description
    assert "waitOperation" not in tool("listVms").description


def test_request_fills_the_path_and_spells_query_values_as_json() -> None:
    """Path values are percent-encoded; booleans are true/false; arrays repeat."""
    got = tool("listVms").request({"state": ["running", "paused"], "force": True})
    assert ("GET", "/v1/vms") == (got.method, got.path)
    assert {"state": ["running", "paused"], "force": ["true"]} == got.params
    path = tool("getVm").request({"vm": "a/b c"}).path
    assert "/v1/vms/a%2Fb%20c" == path


def test_request_carries_the_json_body_and_content_type() -> None:
    """`body` is the JSON body; Accept names what the operation answers."""
    got = tool("createVm").request({"body": {"name": "web-1"}})
    assert {"name": "web-1"} == got.json
    assert "application/json" == got.headers["Content-Type"]
    assert got.headers["Accept"].startswith("application/json")
    assert tool("getVm").request({"vm": "x"}).headers["Accept"].startswith("image/png")


def test_upload_decodes_base64_and_sends_headers() -> None:
    """`content_base64` becomes the octet-stream body; `if_match` the If-Match header."""
    data = base64.b64encode(b"\x00\x01bytes").decode()
    got = tool("uploadVmFile").request({"vm": "x", "content_base64": data, "if_match": '"e1"'})
    assert b"\x00\x01bytes" == got.content
    assert "application/octet-stream" == got.headers["Content-Type"]
    assert '"e1"' == got.headers["If-Match"]


def test_unknown_missing_and_undecodable_arguments_are_one_validation_problem() -> None:
    """Arguments that cannot make a request: a 422 VALIDATION_FAILED with pointers."""
    with pytest.raises(ArgumentError) as caught:
        tool("uploadVmFile").request({"content_base64": "not base64!", "extra": 1})
    problem = caught.value.problem()
    assert (422, "VALIDATION_FAILED") == (problem["status"], problem["code"])
    pointers = [(e["pointer"], e["keyword"]) for e in problem["errors"]]
    assert [
        ("/extra", "additionalProperties"),
        ("/vm", "required"),
        ("/content_base64", "contentEncoding"),
    ] == pointers


def test_self_referencing_schema_cannot_become_a_tool() -> None:
    """A schema that contains itself cannot be inlined: say so at start, not per call."""
    spec = {
        **SPEC,
        "components": {"schemas": {"Tree": {"items": {"$ref": "#/components/schemas/Tree"}}}},
        "paths": {
            "/t": {
                "post": {
                    "operationId": "plant",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Tree"}}
                        }
                    },
                }
            }
        },
    }
    with pytest.raises(ValueError, match="refers to itself"):
        tools_from_spec(spec)


def test_operation_id_must_be_a_valid_tool_name() -> None:
    """MCP tool names are [A-Za-z0-9_.-]{1,128}."""
    spec = {**SPEC, "paths": {"/t": {"get": {"operationId": "get thing"}}}}
    with pytest.raises(ValueError, match="not a valid MCP tool name"):
        tools_from_spec(spec)
