"""Precompiled checks for simple parameter schemas, the router's hot path.

A predicate answers True only when the schema surely accepts a value; on False the generic
validator runs to say why, so a predicate never changes what a client is told.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Predicate", "fast_predicate"]

Predicate = Callable[[Any], bool]

# Keywords a precompiled predicate understands; anything else goes to the generic validator.
_FAST_KEYWORDS = frozenset(
    {
        "type", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "enum", "const", "default", "title", "description", "example",
        "examples", "deprecated", "$comment",
    }
)  # fmt: skip
_ARRAY_KEYWORDS = frozenset({"items", "minItems", "maxItems"})
_STRING_KEYWORDS = _FAST_KEYWORDS - {
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
}
_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def fast_predicate(schema: Any, resolve: Callable[[Any], Any]) -> Predicate | None:
    """A predicate for a simple scalar schema, or an array of them.

    Args:
        schema: The schema (it may be a ``$ref``).
        resolve: Follows a node's ``$ref``s to the node they lead to.

    Returns:
        The predicate, or None when the schema uses keywords it does not understand.
    """
    schema = resolve(schema)
    if not isinstance(schema, Mapping):
        return None
    if schema.get("type") == "array" and set(schema) <= _FAST_KEYWORDS | _ARRAY_KEYWORDS:
        item = fast_predicate(schema.get("items", {}), resolve)
        if item is None:
            return None
        min_items: int = schema.get("minItems", 0)
        max_items: int | None = schema.get("maxItems")
        return lambda v: (
            isinstance(v, list)
            and len(v) >= min_items
            and (max_items is None or len(v) <= max_items)
            and all(item(x) for x in v)
        )
    if not set(schema) <= _FAST_KEYWORDS:
        return None
    return _scalar_predicate(schema)


def _scalar_predicate(schema: Mapping[str, Any]) -> Predicate | None:
    declared = schema.get("type")
    names = [declared] if isinstance(declared, str) else list(declared or [])
    if any(n not in _PY_TYPES for n in names):
        return None
    if names == ["string"] and set(schema) <= _STRING_KEYWORDS:
        return _string_predicate(schema)
    checks: list[Predicate] = []
    if names:
        py_types = tuple(t for n in names for t in _PY_TYPES[n])
        allow_bool = "boolean" in names
        checks.append(lambda v: isinstance(v, py_types) and (allow_bool or not isinstance(v, bool)))
    if "enum" in schema:
        allowed = list(schema["enum"])
        checks.append(lambda v: any(v == a and type(v) is type(a) for a in allowed))
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: v == const and type(v) is type(const))
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
    for key, compare in (("minLength", operator.ge), ("maxLength", operator.le)):
        if key in schema:
            checks.append(_length_check(compare, schema[key]))
    for key, compare in (
        ("minimum", operator.ge),
        ("maximum", operator.le),
        ("exclusiveMinimum", operator.gt),
        ("exclusiveMaximum", operator.lt),
    ):
        if key in schema:
            checks.append(_number_check(compare, schema[key]))
    return _all_of(checks)


def _all_of(checks: list[Predicate]) -> Predicate:
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for one in checks:  # noqa: SIM110 - a loop beats all() over a generator here (hot path)
            if not one(value):
                return False
        return True

    return check


def _string_predicate(schema: Mapping[str, Any]) -> Predicate:
    """The commonest parameter (a string with a pattern, bounds or enum) as one closure."""
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None
    shortest: int = schema.get("minLength", 0)
    longest: int | None = schema.get("maxLength")
    allowed = (
        frozenset(e for e in schema["enum"] if isinstance(e, str)) if "enum" in schema else None
    )

    def check(value: Any) -> bool:
        if type(value) is not str:
            return False
        size = len(value)
        if size < shortest or (longest is not None and size > longest):
            return False
        if allowed is not None and value not in allowed:
            return False
        return search is None or search(value) is not None

    return check


def _length_check(compare: Callable[[Any, Any], bool], bound: int) -> Predicate:
    def check(value: Any) -> bool:
        return not isinstance(value, str) or compare(len(value), bound)

    return check


def _number_check(compare: Callable[[Any, Any], bool], bound: float) -> Predicate:
    def check(value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return True
        return compare(value, bound)

    return check
