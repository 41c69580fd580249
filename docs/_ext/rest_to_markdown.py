"""A griffe extension: render the reST habits of vmkit's docstrings as Markdown.

The docstrings are Google style (Napoleon) but name things the Sphinx way
(:class:`Operation`, :meth:`~Paginator.pages`), introduce literal blocks with ``::`` and
put doctests under ``Example:``; Markdown would show all of that as raw text or quotes.

* Each role becomes inline code wrapped in an *optional* cross-reference: a link when the
  name resolves to an object the site renders, plain code otherwise, and never a warning
  (the strict build must not depend on every name being rendered).
* A ``::`` that introduces a literal block becomes ``:`` (or goes, alone on its line); the
  indented block after it is already a code block in Markdown.
* A run of ``>>>`` lines (with their continuation and output lines) becomes a fenced
  ``pycon`` block, without ``# doctest:`` flags.

Loaded by mkdocstrings through ``extensions:`` in ``mkdocs.yml``; not part of the package.
"""

from __future__ import annotations

import html
import re
from typing import Any

from griffe import Extension, GriffeLoader, NameResolutionError, Object

__all__ = ["RestToMarkdown"]

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|data|attr|mod|exc|obj|const):`(?P<target>[^`]+)`")
_LITERAL_INTRO = re.compile(r"(?m)^(?P<indent>[ \t]*)(?P<text>.*?)::[ \t]*$")
_DOCTEST_FLAG = re.compile(r"\s*#\s*doctest:.*$")


class RestToMarkdown(Extension):
    """Rewrite every docstring once the object tree is complete (see the module docs)."""

    def on_object(self, *, obj: Object, loader: GriffeLoader, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring in place.

        Args:
            obj: The object whose docstring to rewrite.
            loader: The loader (unused).
            **kwargs: For forward compatibility.
        """
        if obj.docstring is None:
            return
        text = _ROLE.sub(lambda m: _reference(obj, m.group("target")), obj.docstring.value)
        text = _LITERAL_INTRO.sub(_literal_intro, text)
        obj.docstring.value = _fence_doctests(text)


def _reference(obj: Object, target: str) -> str:
    shown_short = target.startswith("~")
    name = target.lstrip("~.")
    shown = name.rsplit(".", 1)[-1] if shown_short else name
    identifier = _resolve(obj, name)
    return (
        f'<autoref identifier="{html.escape(identifier)}" optional>'
        f"<code>{html.escape(shown)}</code></autoref>"
    )


def _resolve(obj: Object, name: str) -> str:
    """The full path ``name`` stands for in ``obj``'s scope, else ``name`` itself."""
    head, _, rest = name.partition(".")
    try:
        resolved = obj.resolve(head)
    except (NameResolutionError, KeyError, AttributeError):
        return name
    return f"{resolved}.{rest}" if rest else resolved


def _literal_intro(match: re.Match[str]) -> str:
    text = match.group("text")
    if not text.strip():
        return ""
    return f"{match.group('indent')}{text.rstrip()}:"


def _fence_doctests(text: str) -> str:
    """Put each run of doctest lines (``>>>`` up to a blank or dedented line) in a fence."""
    out: list[str] = []
    lines = text.split("\n")
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or not stripped.startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(stripped)]
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip() and lines[i].startswith(indent):
            out.append(_DOCTEST_FLAG.sub("", lines[i]))
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)
