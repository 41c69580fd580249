"""Reading the operations out of an OpenAPI 3.1 document, once, at start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._paths import template_params
from ._validation import BodySpec, ParamSpec, SchemaCompiler, deref, json_pointer

__all__ = ["HTTP_METHODS", "OperationInfo", "OperationSpec", "load_operations"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class OperationInfo:
    """What the spec says about one operation.

    Attributes:
        operation_id: The ``operationId`` (the key of its handler).
        method: The HTTP method, upper case.
        path_template: The spec's path, e.g. ``/v1/vms/{vm}:start``.
        tags: The operation's tags.
        security: The effective security requirements (the root's unless the operation sets
            its own); empty means no authentication.
        operation: The raw operation object from the spec.
    """

    operation_id: str
    method: str
    path_template: str
    tags: tuple[str, ...]
    security: tuple[Mapping[str, Any], ...]
    operation: Mapping[str, Any]


@dataclass(slots=True)
class OperationSpec:
    """An operation compiled for the router: its info, parameters and body.

    Attributes:
        info: The public description handed to handlers.
        path: Path parameters.
        query: Query parameters by name.
        headers: Header parameters by lower-cased name (bytes, as ASGI has them).
        body: The request body, or None when the operation takes none.
    """

    info: OperationInfo
    path: list[ParamSpec]
    query: dict[str, ParamSpec]
    headers: dict[bytes, ParamSpec]
    body: BodySpec | None


def _params_of(
    compiler: SchemaCompiler,
    path_item: Mapping[str, Any],
    item_at: str,
    op: Mapping[str, Any],
    op_at: str,
) -> list[ParamSpec]:
    """Path-level parameters, overridden by operation-level ones with the same name and place."""
    merged: dict[tuple[str, str], ParamSpec] = {}
    for params, base in (
        (path_item.get("parameters", []), item_at),
        (op.get("parameters", []), op_at),
    ):
        for index, raw in enumerate(params):
            param, pointer = deref(compiler.spec, raw, f"{base}/parameters/{index}")
            where = param["in"]
            if where == "cookie":
                continue
            name = param["name"].lower() if where == "header" else param["name"]
            merged[(where, name)] = ParamSpec.build(compiler, param, pointer)
    return list(merged.values())


def load_operations(
    spec: Mapping[str, Any], compiler: SchemaCompiler
) -> dict[str, dict[str, OperationSpec]]:
    """Every operation of the spec, by path template and then upper-case method.

    Args:
        spec: The OpenAPI document.
        compiler: Builds the validators.

    Returns:
        ``{"/v1/vms/{vm}": {"GET": OperationSpec, ...}, ...}`` in the spec's order.

    Raises:
        ValueError: An operation without ``operationId``, a duplicate ``operationId``, or a
            construct the router does not support.
    """
    root_security = tuple(spec.get("security", ()))
    table: dict[str, dict[str, OperationSpec]] = {}
    seen: set[str] = set()
    for template, raw_item in spec.get("paths", {}).items():
        item_at = json_pointer(["paths", template])
        path_item, item_at = deref(spec, raw_item, item_at)
        methods: dict[str, OperationSpec] = {}
        for method in HTTP_METHODS:
            if method not in path_item:
                continue
            op = path_item[method]
            op_at = f"{item_at}/{method}"
            op_id = op.get("operationId")
            if not op_id:
                raise ValueError(f"{method.upper()} {template} has no operationId")
            if op_id in seen:
                raise ValueError(f"operationId {op_id!r} is used twice")
            seen.add(op_id)
            params = _params_of(compiler, path_item, item_at, op, op_at)
            declared = sorted(p.name for p in params if p.location == "path")
            if declared != sorted(template_params(template)):
                raise ValueError(
                    f"{method.upper()} {template}: path parameters {declared} do not match the"
                    f" template's {sorted(template_params(template))}"
                )
            body = None
            if "requestBody" in op:
                raw_body, body_at = deref(spec, op["requestBody"], op_at + "/requestBody")
                body = BodySpec.build(compiler, raw_body, body_at)
            info = OperationInfo(
                operation_id=op_id,
                method=method.upper(),
                path_template=template,
                tags=tuple(op.get("tags", ())),
                security=tuple(op["security"]) if "security" in op else root_security,
                operation=op,
            )
            methods[method.upper()] = OperationSpec(
                info=info,
                path=[p for p in params if p.location == "path"],
                query={p.name: p for p in params if p.location == "query"},
                headers={
                    p.name.lower().encode("latin-1"): p for p in params if p.location == "header"
                },
                body=body,
            )
        if methods:
            table[template] = methods
    return table
