"""JSON Schema validation of parameters and bodies, compiled once from the spec.

All schemas are checked with Draft 2020-12 against one `referencing.Registry` that holds the
whole OpenAPI document, so ``$ref: "#/components/schemas/X"`` works anywhere. Parameters
arrive as strings: `ParamSpec` coerces them per their schema first. Simple parameter schemas
(a string with a pattern, an integer with bounds, an enum) get a precompiled predicate for the
happy path; the generic validator only runs to describe a failure, so messages are the same
either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from urllib.parse import quote

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ._predicates import Predicate, fast_predicate

__all__ = [
    "MISSING",
    "SPEC_URI",
    "BodySpec",
    "ParamSpec",
    "SchemaCompiler",
    "deref",
    "issue",
    "json_pointer",
]

SPEC_URI: Final = "urn:vmkit:openapi"
MISSING: Final[Any] = object()
_MAX_ISSUES = 100
_MAX_DIGITS = 4000
# An issue's detail quotes the value; a megabyte-long string need not come back in full.
_MAX_DETAIL = 512

_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})", re.ASCII
)
Issue = dict[str, Any]


def json_pointer(parts: Iterable[str | int]) -> str:
    """An RFC 6901 JSON pointer from path parts (``""`` for the root)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def deref(spec: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """Follow local ``$ref``s (``#/...``) until a node without one.

    Args:
        spec: The whole OpenAPI document.
        node: A node of it.
        pointer: Where ``node`` is in the document (JSON pointer).

    Returns:
        The node the references lead to, and its pointer.

    Raises:
        ValueError: A reference that is not local, leads nowhere, or loops.
    """
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#") or ref in seen:
            raise ValueError(f"unsupported or circular $ref {ref!r} at {pointer or '/'}")
        seen.add(ref)
        node = spec
        for raw in ref[1:].split("/")[1:]:
            key = raw.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(key)] if isinstance(node, list) else node[key]
            except (KeyError, IndexError, ValueError, TypeError):
                raise ValueError(f"$ref {ref!r} at {pointer or '/'} leads nowhere") from None
        pointer = ref[1:]
    return node, pointer


def _has_ref(node: Any) -> bool:
    if isinstance(node, Mapping):
        return "$ref" in node or "$dynamicRef" in node or any(_has_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper())
    except ValueError:
        return False
    return True


class SchemaCompiler:
    """Builds validators for schemas found anywhere in one OpenAPI document.

    Args:
        spec: The whole OpenAPI 3.1 document.
    """

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        resource: Resource[Any] = DRAFT202012.create_resource(spec)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._formats = FormatChecker()
        self._formats.checks("date-time")(_is_date_time)

    def validator(self, schema: Any, pointer: str) -> Draft202012Validator:
        """A validator for the schema at ``pointer`` (which is ``schema``).

        Args:
            schema: The schema node.
            pointer: Its JSON pointer in the document, used to resolve its ``$ref``s.

        Returns:
            A Draft 2020-12 validator with format checking.
        """
        if _has_ref(schema):
            fragment = quote(pointer, safe="/~")
            schema = {"$ref": f"{SPEC_URI}#{fragment}"}
        return Draft202012Validator(schema, registry=self._registry, format_checker=self._formats)

    def predicate(self, schema: Any, pointer: str) -> Predicate | None:
        """A fast check that says True only when the schema surely accepts the value.

        Args:
            schema: The schema node.
            pointer: Its JSON pointer in the document.

        Returns:
            The predicate, or None when the schema is not simple enough for one.
        """
        return fast_predicate(schema, lambda node: deref(self.spec, node, pointer)[0])


def issue(location: str, pointer: str, detail: str, keyword: str) -> Issue:
    """One entry of a 422 problem's ``errors[]``.

    Args:
        location: ``body``, ``query``, ``path`` or ``header``.
        pointer: RFC 6901 pointer into the body, or ``/<parameter name>``.
        detail: What is wrong there.
        keyword: The JSON Schema keyword that failed.

    Returns:
        ``{"location", "pointer", "detail", "keyword"}``.
    """
    if len(detail) > _MAX_DETAIL:
        detail = detail[: _MAX_DETAIL - 1] + "…"
    return {"location": location, "pointer": pointer, "detail": detail, "keyword": keyword}


def _issues(errors: Iterable[ValidationError], location: str, name: str | None) -> list[Issue]:
    """Problem ``errors[]`` entries for validation errors (body when ``name`` is None)."""
    issues: list[Issue] = []
    for error in errors:
        keyword = str(error.validator)
        parts = list(error.absolute_path)
        if name is not None:
            issues.append(issue(location, json_pointer([name]), error.message, keyword))
            continue
        if keyword == "additionalProperties" and isinstance(error.instance, Mapping):
            schema = error.schema if isinstance(error.schema, Mapping) else {}
            props = schema.get("properties", {})
            patterns = list(schema.get("patternProperties", {}))
            for key in error.instance:
                if key not in props and not any(re.search(p, key) for p in patterns):
                    detail = f"unexpected property {key!r}"
                    issues.append(issue(location, json_pointer([*parts, key]), detail, keyword))
            continue
        if keyword == "required" and isinstance(error.validator_value, list):
            missing = [p for p in error.validator_value if error.message.startswith(f"{p!r} ")]
            parts.extend(missing[:1])
        issues.append(issue(location, json_pointer(parts), error.message, keyword))
    issues.sort(key=lambda i: (i["pointer"], i["keyword"]))
    return issues[:_MAX_ISSUES]


def _coerce(text: str, types: tuple[str, ...]) -> Any:
    """The value a query/path/header string stands for, or MISSING if it fits no type."""
    # Python refuses int() of more than 4300 digits; no bound in the spec needs that many.
    if "integer" in types and len(text) <= _MAX_DIGITS and _INTEGER.fullmatch(text):
        return int(text)
    if "number" in types and len(text) <= _MAX_DIGITS and _NUMBER.fullmatch(text):
        return int(text) if _INTEGER.fullmatch(text) else float(text)
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if not types or "string" in types:
        return text
    return MISSING


def _types_of(schema: Any) -> tuple[str, ...]:
    declared = schema.get("type") if isinstance(schema, Mapping) else None
    if isinstance(declared, str):
        return (declared,)
    return tuple(declared or ())


@dataclass(slots=True)
class ParamSpec:
    """One declared path, query or header parameter, ready to parse and check.

    Attributes:
        name: The parameter's name in the spec (its key in `Call`).
        location: ``path``, ``query`` or ``header``.
        required: Whether a value must be sent.
        default: The schema's ``default`` or `MISSING`.
        is_array: Whether values are collected into a list.
        explode: For arrays: repeated keys (True) or one comma-separated value (False).
        types: JSON types a single value (or array item) may be coerced to.
        fast: The precompiled predicate, if the schema is simple.
        validator: The generic validator.
    """

    name: str
    location: str
    required: bool
    default: Any
    is_array: bool
    explode: bool
    types: tuple[str, ...]
    fast: Predicate | None
    validator: Draft202012Validator

    @classmethod
    def build(cls, compiler: SchemaCompiler, param: Mapping[str, Any], pointer: str) -> ParamSpec:
        """Compile a (dereferenced) OpenAPI parameter object found at ``pointer``.

        Raises:
            ValueError: The parameter uses a serialization this router does not support.
        """
        location = param["in"]
        raw_schema = param.get("schema", {})
        schema, _ = deref(compiler.spec, raw_schema, pointer + "/schema")
        is_array = "array" in _types_of(schema)
        style = param.get("style", "form" if location == "query" else "simple")
        if style not in ("form", "simple"):
            raise ValueError(f"parameter {param['name']!r}: style {style!r} is not supported")
        item_schema, _ = deref(compiler.spec, schema.get("items", {}), pointer)
        return cls(
            name=param["name"],
            location=location,
            required=bool(param.get("required", location == "path")),
            default=schema.get("default", MISSING),
            is_array=is_array,
            explode=bool(param.get("explode", style == "form")),
            types=_types_of(item_schema) if is_array else _types_of(schema),
            fast=compiler.predicate(raw_schema, pointer + "/schema"),
            validator=compiler.validator(raw_schema, pointer + "/schema"),
        )

    def load(self, raws: list[str], issues: list[Issue]) -> Any:
        """Parse and check the raw strings sent for this parameter.

        Args:
            raws: Every value sent (several only for repeated query keys); may be empty.
            issues: Where failures are appended.

        Returns:
            The coerced value, its default, or `MISSING` (absent or invalid).
        """
        if not raws:
            if self.default is not MISSING:
                return list(self.default) if isinstance(self.default, list) else self.default
            if self.required:
                detail = f"{self.name!r} is a required {self.location} parameter"
                self._fail(issues, detail, "required")
            return MISSING
        if self.is_array:
            texts = raws if self.explode else raws[-1].split(",")
            value: Any = [_coerce(t, self.types) for t in texts]
            bad = [t for t, v in zip(texts, value, strict=True) if v is MISSING]
        elif len(raws) > 1:
            self._fail(issues, f"{self.name!r} was given {len(raws)} times", "type")
            return MISSING
        else:
            value = _coerce(raws[0], self.types)
            bad = raws if value is MISSING else []
        if bad:
            self._fail(issues, f"{bad[0]!r} is not a valid {' or '.join(self.types)}", "type")
            return MISSING
        if self.fast is not None and self.fast(value):
            return value
        errors = list(self.validator.iter_errors(value))
        if errors:
            issues.extend(_issues(errors, self.location, self.name))
            return MISSING
        return value

    def load_one(self, text: str, issues: list[Issue]) -> Any:
        """`load` for exactly one sent string (a path parameter): the hot path of a GET."""
        if not self.is_array:
            value = _coerce(text, self.types)
            if value is not MISSING and self.fast is not None and self.fast(value):
                return value
        return self.load([text], issues)

    def _fail(self, issues: list[Issue], detail: str, keyword: str) -> None:
        issues.append(issue(self.location, json_pointer([self.name]), detail, keyword))


@dataclass(slots=True)
class BodySpec:
    """An operation's request body: JSON checked against a schema, or raw bytes.

    Attributes:
        required: Whether a body must be sent.
        validator: The compiled schema, or None when the spec gives none (or for bytes).
        binary: True for an ``application/octet-stream`` body, handed over as bytes.
    """

    required: bool
    validator: Draft202012Validator | None
    binary: bool = False

    @classmethod
    def build(cls, compiler: SchemaCompiler, body: Mapping[str, Any], pointer: str) -> BodySpec:
        """Compile a (dereferenced) OpenAPI request body object found at ``pointer``.

        Raises:
            ValueError: The body is offered neither as ``application/json`` nor as
                ``application/octet-stream``.
        """
        content = body.get("content", {})
        required = bool(body.get("required", False))
        if "application/octet-stream" in content and "application/json" not in content:
            return cls(required=required, validator=None, binary=True)
        if "application/json" not in content:
            raise ValueError(
                f"request body at {pointer}: only application/json and "
                "application/octet-stream are supported"
            )
        media = content["application/json"]
        validator = None
        if "schema" in media:
            at = pointer + "/content/application~1json/schema"
            validator = compiler.validator(media["schema"], at)
        return cls(required=required, validator=validator)

    def check(self, value: Any) -> list[Issue]:
        """The problems with a parsed body (empty when it is valid)."""
        if self.validator is None:
            return []
        return _issues(self.validator.iter_errors(value), "body", None)
