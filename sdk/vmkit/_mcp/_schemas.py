"""Following and inlining the local ``$ref``s of an OpenAPI document.

MCP clients (and the models behind them) want each tool's input schema to stand alone, so
every reference is replaced by what it names. OpenAPI-only keywords are dropped on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Resolver"]

_REF_PREFIX = "#/"
# Keys of OpenAPI schemas that JSON Schema validators do not know and agents do not need.
_OPENAPI_ONLY = frozenset({"example", "discriminator", "xml", "externalDocs"})
# JSON Schema keywords whose value holds subschemas: by name, in a list, or one.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMAS = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)


class Resolver:
    """Follows and inlines the local ``$ref``s of one document.

    Args:
        spec: The document.
    """

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._spec = spec

    def lookup(self, ref: str) -> Any:
        """What a reference names.

        Args:
            ref: A local reference (``#/components/...``).

        Returns:
            The node it names.

        Raises:
            ValueError: The reference is not local or names nothing.
        """
        if not ref.startswith(_REF_PREFIX):
            raise ValueError(f"only local references are supported, not {ref!r}")
        node: Any = self._spec
        for part in ref[len(_REF_PREFIX) :].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, Mapping) or part not in node:
                raise ValueError(f"unresolvable reference {ref!r}")
            node = node[part]
        return node

    def follow(self, node: Any) -> Any:
        """A parameter, body or response object, with its own ``$ref`` chain followed.

        Args:
            node: The object, or a reference to it.

        Returns:
            The object itself.

        Raises:
            ValueError: The chain cannot be resolved or loops.
        """
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"reference cycle at {ref!r}")
            seen.add(ref)
            node = self.lookup(ref)
        return node

    def inline(self, schema: Any, trail: tuple[str, ...] = ()) -> Any:
        """A schema with every ``$ref`` replaced by what it names (siblings kept, 3.1 rule).

        Args:
            schema: The schema.
            trail: The references being inlined around this schema (cycle detection).

        Returns:
            A new, self-contained schema.

        Raises:
            ValueError: A reference cannot be resolved, or a schema contains itself.
        """
        if not isinstance(schema, Mapping):
            return schema
        result: dict[str, Any] = {}
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in trail:
                raise ValueError(f"schema {ref!r} refers to itself; it cannot be inlined")
            result.update(self.inline(self.lookup(ref), (*trail, ref)))
        for key, value in schema.items():
            if key == "$ref" or key in _OPENAPI_ONLY or key.startswith("x-"):
                continue
            if key in _SCHEMA_MAPS and isinstance(value, Mapping):
                result[key] = {name: self.inline(sub, trail) for name, sub in value.items()}
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                result[key] = [self.inline(sub, trail) for sub in value]
            elif key in _SCHEMAS:
                result[key] = self.inline(value, trail)
            else:  # data (enum, default, examples, required, ...): as written
                result[key] = value
        return result
