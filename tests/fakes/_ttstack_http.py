"""What the TTstack fake's daemons share: the envelope, the API key, axum-like body parsing.

TTstack's controller and agents are axum apps: JSON answers are `{"ok", "data", "error"}`,
`/api/*` needs `Authorization: Bearer <api-key>` when a key is set, and a body that does not
deserialize is refused by axum's `Json` extractor as plain text (415, 400 or 422), before
TTstack's own checks run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = [
    "ENGINES",
    "BodyError",
    "Fields",
    "authorized",
    "fail",
    "ok",
    "read_body",
    "validate_name",
]

ENGINES = ("qemu", "firecracker", "docker", "bhyve", "jail")


class BodyError(Exception):
    """A body the HTTP framework refuses before TTstack sees it (plain text, like axum)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def ok(data: Any = None, status: int = 200) -> JSONResponse:
    """The success envelope (`data` left out when None, as TTstack's serde does)."""
    body: dict[str, Any] = {"ok": True}
    if data is not None:
        body["data"] = data
    return JSONResponse(body, status_code=status)


def fail(message: str, status: int) -> JSONResponse:
    """The error envelope."""
    return JSONResponse({"ok": False, "error": message}, status_code=status)


def authorized(request: Request, api_key: str | None) -> bool:
    """Whether the request carries `Authorization: Bearer <api_key>` (always, without a key)."""
    if api_key is None:
        return True
    return request.headers.get("authorization", "") == f"Bearer {api_key}"


def validate_name(name: str, label: str) -> str | None:
    """TTstack's name check: the refusal message, or None when the name is fine."""
    if not name:
        return f"{label} cannot be empty"
    if len(name) > 128:
        return f"{label} too long (max 128 chars)"
    if ".." in name or "/" in name or "\0" in name:
        return f"{label} contains invalid characters"
    return None


# field kinds: str, uint (u32/u64), port (u16), bool, strs, ports, engine, or a nested dict
Fields = Mapping[str, tuple[Any, bool]]


async def read_body(request: Request, fields: Fields) -> dict[str, Any]:
    """Parse a JSON body the way axum's `Json` extractor with serde does.

    Raises:
        BodyError: 415 without a JSON content type, 400 for bad JSON, 422 when it does not
            deserialize (a missing field, a wrong type, an unknown engine).
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (content_type == "application/json" or content_type.endswith("+json")):
        raise BodyError(415, "Expected request with `Content-Type: application/json`")
    try:
        data = json.loads(await request.body())
    except ValueError as exc:
        raise BodyError(400, f"Failed to parse the request body as JSON: {exc}") from None
    try:
        return _deserialize(data, fields)
    except ValueError as exc:
        raise BodyError(
            422, f"Failed to deserialize the JSON body into the target type: {exc}"
        ) from None


def _deserialize(data: Any, fields: Fields) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"invalid type: {type(data).__name__}, expected struct")
    out: dict[str, Any] = {}
    for name, (kind, required) in fields.items():
        value = data.get(name)
        if value is None:
            if required and name not in data:
                raise ValueError(f"missing field `{name}`")
            if required:
                raise ValueError(f"{name}: invalid type: null")
            out[name] = None
            continue
        out[name] = _value(name, value, kind)
    return out


def _value(name: str, value: Any, kind: Any) -> Any:
    if isinstance(kind, Mapping):
        if not isinstance(value, list):
            raise ValueError(f"{name}: invalid type, expected a sequence")
        return [_deserialize(item, kind) for item in value]
    if kind == "str" and isinstance(value, str):
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind in {"uint", "port"} and isinstance(value, int) and not isinstance(value, bool):
        top = 65535 if kind == "port" else 2**32 - 1
        if not 0 <= value <= top:
            raise ValueError(f"{name}: invalid value: integer `{value}`")
        return value
    if kind == "strs" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if kind == "ports" and isinstance(value, list):
        return [_value(name, v, "port") for v in value]
    if kind == "engine" and isinstance(value, str):
        if value not in ENGINES:
            expected = ", ".join(f"`{e}`" for e in ENGINES)
            raise ValueError(f"{name}: unknown variant `{value}`, expected one of {expected}")
        return value
    raise ValueError(f"{name}: invalid type: {type(value).__name__}, expected {kind}")
