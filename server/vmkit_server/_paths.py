"""Matching request paths against OpenAPI path templates, `:verb` custom methods included.

A ``{param}`` matches one non-empty segment holding neither ``/`` nor ``:``; everything else in
a template (``/v1/vms/``, ``:start``) is literal and must match exactly. Templates without
parameters are found with one dict lookup; the others are grouped by how many ``/`` they have,
and each group is one compiled alternation, so a request costs at most one regex match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Generic, TypeVar
from urllib.parse import unquote

__all__ = ["PathTable", "template_params"]

T = TypeVar("T")

_PARAM = re.compile(r"\{([^{}/]+)\}")
_SEGMENT = "([^/:]+)"


def template_params(template: str) -> list[str]:
    """The parameter names of a path template, in order.

    Args:
        template: An OpenAPI path such as ``/v1/vms/{vm}:start``.

    Returns:
        The names between braces, e.g. ``["vm"]``.
    """
    return _PARAM.findall(template)


def _pattern(template: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _PARAM.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        parts.append(_SEGMENT)
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return "".join(parts)


class _Group(Generic[T]):
    """Every parameterised template with the same number of ``/``, as one regex."""

    __slots__ = ("entries", "regex")

    def __init__(self, templates: list[tuple[str, T]]) -> None:
        alternatives: list[str] = []
        # group index of each alternative's outer group -> (value, names, first param group)
        self.entries: dict[int, tuple[T, list[str], int]] = {}
        index = 1
        for template, value in templates:
            names = template_params(template)
            alternatives.append("(" + _pattern(template) + ")")
            self.entries[index] = (value, names, index + 1)
            index += 1 + len(names)
        self.regex = re.compile("|".join(alternatives))


class PathTable(Generic[T]):
    """Finds the value registered for the template a request path matches.

    Args:
        templates: Path template -> value (the router stores the template's operations by
            method). Earlier templates win when two could match the same path; a template
            without parameters always wins over one with parameters.

    Raises:
        ValueError: A template has a parameter name twice.
    """

    def __init__(self, templates: Mapping[str, T]) -> None:
        self._static: dict[str, T] = {}
        by_depth: dict[int, list[tuple[str, T]]] = {}
        for template, value in templates.items():
            names = template_params(template)
            if len(set(names)) != len(names):
                raise ValueError(f"path template {template!r} repeats a parameter name")
            if names:
                by_depth.setdefault(template.count("/"), []).append((template, value))
            else:
                self._static[template] = value
        self._groups = {depth: _Group(items) for depth, items in by_depth.items()}

    def match(self, path: str, *, decode: bool = True) -> tuple[T, dict[str, str]] | None:
        """Match one request path.

        Args:
            path: The path, without query string.
            decode: Percent-decode parameter values (pass False when ``path`` is already
                decoded, as ASGI's ``scope["path"]`` is).

        Returns:
            The template's value and its parameters by name, or None when nothing matches.
        """
        value = self._static.get(path)
        if value is not None:
            return value, {}
        group = self._groups.get(path.count("/"))
        if group is None:
            return None
        m = group.regex.fullmatch(path)
        if m is None:
            return None
        found, names, first = group.entries[m.lastindex or 0]
        params: dict[str, str] = {}
        for offset, name in enumerate(names):
            raw = m.group(first + offset)
            params[name] = unquote(raw) if decode and "%" in raw else raw
        return found, params
