"""A small OpenAPI 3.1 document with every feature the router supports, and its handlers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from vmkit_server.problems import ProblemError
from vmkit_server.routing import Call, Handler, OperationInfo

GOOD_TOKEN = "vmk_good"

_PROBLEM = {"default": {"description": "A problem."}}
_VM_REF = {"$ref": "#/components/parameters/VMRef"}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "routing test", "version": "1"},
    "security": [{"bearerAuth": []}],
    "paths": {
        "/healthz": {
            "get": {"operationId": "getHealth", "security": [], "responses": _PROBLEM},
        },
        "/boom": {
            "get": {"operationId": "explode", "security": [], "responses": _PROBLEM},
        },
        "/v1/vms": {
            "get": {
                "operationId": "listVms",
                "parameters": [
                    {"$ref": "#/components/parameters/PageSize"},
                    {
                        "name": "state",
                        "in": "query",
                        "style": "form",
                        "explode": True,
                        "schema": {
                            "type": "array",
                            "maxItems": 3,
                            "items": {"$ref": "#/components/schemas/State"},
                        },
                    },
                    {"name": "force", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "ratio", "in": "query", "schema": {"type": "number", "maximum": 1}},
                ],
                "responses": _PROBLEM,
            },
            "post": {
                "operationId": "createVm",
                "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/VMCreate"}}
                    },
                },
                "responses": _PROBLEM,
            },
        },
        "/v1/vms/{vm}": {
            "parameters": [_VM_REF],
            "get": {"operationId": "getVm", "responses": _PROBLEM},
            "delete": {"operationId": "deleteVm", "responses": _PROBLEM},
        },
        "/v1/vms/{vm}:start": {
            "parameters": [_VM_REF],
            "post": {"operationId": "startVm", "responses": _PROBLEM},
        },
        "/v1/vms/{vm}:stop": {
            "parameters": [_VM_REF],
            "post": {
                "operationId": "stopVm",
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {"timeout_seconds": {"type": "integer"}},
                            }
                        }
                    },
                },
                "responses": _PROBLEM,
            },
        },
        "/v1/vms/{vm}:fail": {
            "parameters": [_VM_REF],
            "post": {"operationId": "failVm", "responses": _PROBLEM},
        },
        "/v1/vms/{vm}/snapshots/{snapshot}:restore": {
            "parameters": [_VM_REF, {"$ref": "#/components/parameters/SnapshotRef"}],
            "post": {"operationId": "restoreSnapshot", "responses": _PROBLEM},
        },
        "/v1/operations/{operation}:wait": {
            "get": {
                "operationId": "waitOperation",
                "parameters": [
                    {
                        "name": "operation",
                        "in": "path",
                        "required": True,
                        "schema": {"$ref": "#/components/schemas/OperationId"},
                    },
                    {
                        "name": "timeout_seconds",
                        "in": "query",
                        "schema": {"type": "number", "minimum": 0, "maximum": 60, "default": 30},
                    },
                ],
                "responses": _PROBLEM,
            },
        },
        "/v1/pages/{page}": {
            "get": {
                "operationId": "getPage",
                "security": [],
                "parameters": [
                    {
                        "name": "page",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    },
                    {
                        "name": "X-Trace-Level",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0, "maximum": 3},
                    },
                ],
                "responses": _PROBLEM,
            },
        },
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "parameters": {
            "VMRef": {
                "name": "vm",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"},
            },
            "SnapshotRef": {
                "name": "snapshot",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "minLength": 1, "maxLength": 63},
            },
            "PageSize": {
                "name": "page_size",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50},
            },
            "IdempotencyKey": {
                "name": "Idempotency-Key",
                "in": "header",
                "schema": {"type": "string", "minLength": 1, "maxLength": 16},
            },
        },
        "schemas": {
            "State": {"type": "string", "enum": ["running", "stopped"]},
            "OperationId": {"type": "string", "pattern": "^op_[0-9a-z]{4}$"},
            "VMName": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$", "maxLength": 63},
            "VMCreate": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": {"$ref": "#/components/schemas/VMName"},
                    "cpus": {"type": "integer", "minimum": 1, "maximum": 64},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "not_before": {"type": "string", "format": "date-time"},
                    "disks": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["size_gib"],
                            "properties": {"size_gib": {"type": "integer", "minimum": 1}},
                        },
                    },
                },
            },
        },
    },
}


def operation_ids() -> list[str]:
    """Every operationId of SPEC."""
    ids = []
    for item in SPEC["paths"].values():
        for key, op in item.items():
            if key != "parameters":
                ids.append(op["operationId"])
    return ids


async def echo(call: Call) -> Response:
    """Answers with everything the router handed over."""
    return JSONResponse(
        {
            "operation": call.operation.operation_id,
            "path": call.path,
            "query": call.query,
            "headers": call.headers,
            "body": call.body,
            "principal": call.principal,
            "request_id": call.request_id,
        }
    )


async def explode(call: Call) -> Response:
    """Fails the way a bug would."""
    raise RuntimeError("secret database password is hunter2")


async def fail_vm(call: Call) -> Response:
    """Fails the way the core does."""
    raise ProblemError(
        409,
        "VM_INVALID_STATE",
        f"cannot frobnicate VM {call.path['vm']!r}",
        metadata={"allowed_from": ["stopped"]},
    )


async def authenticate(request: Request, operation: OperationInfo) -> str:
    """Accepts only GOOD_TOKEN."""
    if request.headers.get("authorization") != f"Bearer {GOOD_TOKEN}":
        raise ProblemError(
            401,
            "UNAUTHENTICATED",
            "missing or unknown token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return "alice"


def handlers() -> dict[str, Handler]:
    """A handler for every operation of SPEC."""
    table: dict[str, Handler] = {op_id: echo for op_id in operation_ids()}
    table["explode"] = explode
    table["failVm"] = fail_vm
    return table


ErrorLog = list[tuple[BaseException, Request]]
