"""Request bodies of the taartenfabriek fake, checked as FastAPI (pydantic, lax mode) does.

A body that does not validate is answered `422` with FastAPI's `{"detail": [items]}`, each
item naming its `type`, `loc`, `msg` and `input`; other errors are `{"detail": "..."}`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = ["error", "parse_json", "validated"]

#: Each body's fields: (type, required).
_FIELDS = {
    "pull": {"oci_url": (str, True)},
    "clone": {"new_name": (str, True), "start_after_clone": (bool, False)},
    "create": {
        "name": (str, True),
        "source_vm": (str, True),
        "cpu": (int, True),
        "memory": (int, True),
        "disk_size": (int, True),
    },
    "github-token": {"token": (str, False)},
}


def error(status: int, detail: Any) -> JSONResponse:
    """FastAPI's error answer: `{"detail": detail}` with `status`."""
    return JSONResponse({"detail": detail}, status_code=status)


def _item(kind: str, loc: list[Any], msg: str, value: Any, **extra: Any) -> dict[str, Any]:
    """One item of FastAPI's (pydantic's) 422 `detail` list."""
    return {"type": kind, "loc": loc, "msg": msg, "input": value, **extra}


def _check(name: str, kind: type, value: Any) -> tuple[Any, dict[str, Any] | None]:
    """Pydantic's lax check of one field: the value, or the error item."""
    loc = ["body", name]
    if kind is bool:
        if isinstance(value, bool):
            return value, None
        msg = "Input should be a valid boolean, unable to interpret input"
        return None, _item("bool_parsing", loc, msg, value)
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value), None
        if isinstance(value, str):
            msg = "Input should be a valid integer, unable to parse string as an integer"
            return None, _item("int_parsing", loc, msg, value)
        return None, _item("int_type", loc, "Input should be a valid integer", value)
    if isinstance(value, str):
        return value, None
    return None, _item("string_type", loc, "Input should be a valid string", value)


def parse_json(raw: bytes) -> tuple[Any, JSONResponse | None]:
    """The JSON in `raw`, or FastAPI's 422 for a body that is not JSON."""
    try:
        return json.loads(raw), None
    except ValueError as exc:
        item = _item("json_invalid", ["body", 0], "JSON decode error", {}, ctx={"error": str(exc)})
        return None, error(422, [item])


async def validated(request: Request, model: str) -> dict[str, Any] | JSONResponse:
    """The validated body for `model`, or FastAPI's 422."""
    raw = await request.body()
    if not raw:
        return error(422, [_item("missing", ["body"], "Field required", None)])
    data, refused = parse_json(raw)
    if refused is not None:
        return refused
    if not isinstance(data, dict):
        msg = "Input should be a valid dictionary or object to extract fields from"
        return error(422, [_item("model_attributes_type", ["body"], msg, data)])
    body: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for name, (kind, required) in _FIELDS[model].items():
        if name not in data or (data[name] is None and not required):
            if required:
                problems.append(_item("missing", ["body", name], "Field required", data))
            continue
        value, problem = _check(name, kind, data[name])
        if problem is None:
            body[name] = value
        else:
            problems.append(problem)
    return error(422, problems) if problems else body
