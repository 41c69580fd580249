"""How VMs, operations, snapshots and lists of them look in a notebook or an IPython shell.

Rendering only: these functions read attributes the objects already hold and never do
I/O. HTML is a small ``<table>`` with inline styles (no script, no external CSS), every
value escaped; plain text is what ``_repr_pretty_`` prints. Objects are recognised by the
fields they have, so both twins' handles (``VM`` and ``AsyncVM``, ...) and the generated
models the SDK hands out (snapshots, log entries) render alike.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

__all__ = [
    "PrettyPrinter",
    "html_of",
    "html_table",
    "pretty_repr",
    "register_ipython_formatters",
    "text_of",
    "text_table",
]

# The longest cell a plain-text table shows before cutting it with an ellipsis.
_MAX_TEXT_CELL = 40

_GREEN, _GREY, _RED, _AMBER, _BLUE = "#1a7f37", "#6e7781", "#cf222e", "#9a6700", "#0969da"
_STATE_COLOURS = {
    "running": _GREEN,
    "succeeded": _GREEN,
    "ready": _GREEN,
    "stopped": _GREY,
    "cancelled": _GREY,
    "error": _RED,
    "failed": _RED,
    "paused": _BLUE,
    "suspended": _BLUE,
}
# An operation that is "running" is still in flight: amber, like a VM that is "starting".
_OPERATION_COLOURS = {**_STATE_COLOURS, "running": _AMBER}
# States not listed (creating, starting, stopping, pending, ...) are in transition.
_TRANSITION_COLOUR = _AMBER
_UNKNOWN_COLOUR = _GREY
_KNOWN_TRANSITIONS = frozenset(
    {"creating", "starting", "stopping", "deleting", "migrating", "pending", "restoring"}
)


class PrettyPrinter(Protocol):
    """The part of IPython's ``RepresentationPrinter`` that ``_repr_pretty_`` uses."""

    def text(self, obj: str) -> None:
        """Add text to the output."""
        ...


@dataclass(frozen=True)
class _Badge:
    """A state shown as a coloured label."""

    text: str
    colour: str


@dataclass(frozen=True)
class _Field:
    """One row of an object's card (when ``card``), one column of a table (when ``column``)."""

    label: str
    get: Callable[[Any], object]
    column: bool = True
    card: bool = True


@dataclass(frozen=True)
class _Kind:
    """How to show one kind of object."""

    noun: str
    counted: tuple[str, str]  # "1 VM", "2 VMs"
    markers: tuple[str, ...]
    title: Callable[[Any], str]
    fields: tuple[_Field, ...]

    def matches(self, obj: object) -> bool:
        return all(hasattr(obj, name) for name in self.markers)

    @property
    def card(self) -> list[_Field]:
        return [field for field in self.fields if field.card]

    @property
    def columns(self) -> list[_Field]:
        return [field for field in self.fields if field.column]


def _state_badge(colours: Mapping[str, str]) -> Callable[[Any], _Badge]:
    def badge(obj: Any) -> _Badge:
        state = _plain(obj.state)
        known = state in colours or state in _KNOWN_TRANSITIONS
        colour = colours.get(state, _TRANSITION_COLOUR if known else _UNKNOWN_COLOUR)
        return _Badge(state, colour)

    return badge


def _mib(mib: int) -> str:
    return f"{mib // 1024} GiB" if mib >= 1024 and mib % 1024 == 0 else f"{mib} MiB"


def _bytes(size: int | None) -> str | None:
    if size is None:
        return None
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


def _fraction(value: float | None) -> str | None:
    return None if value is None else f"{value:.0%}"


def _target(target: Any) -> str:
    """``vm web-1`` from a handle's target dict or a generated model's target."""
    fields = target if isinstance(target, Mapping) else _as_mapping(target) or {}
    return " ".join(str(fields[key]) for key in ("type", "name") if fields.get(key))


def _problem(error: Mapping[str, Any] | None) -> str | None:
    if not error:
        return None
    code, detail = error.get("code"), error.get("detail") or error.get("title")
    return ": ".join(str(part) for part in (code, detail) if part)


_VM = _Kind(
    noun="VM",
    counted=("VM", "VMs"),
    markers=("name", "state", "memory_mib", "disk_gib", "ip_addresses"),
    title=lambda vm: vm.name,
    fields=(
        _Field("name", lambda vm: vm.name, card=False),
        _Field("state", _state_badge(_STATE_COLOURS)),
        _Field("reason", lambda vm: vm.state_reason, column=False),
        _Field("id", lambda vm: vm.id, column=False),
        _Field("cpus", lambda vm: vm.cpus),
        _Field("memory", lambda vm: _mib(vm.memory_mib)),
        _Field("disk", lambda vm: f"{vm.disk_gib} GiB"),
        _Field("image", lambda vm: vm.image),
        _Field("ip", lambda vm: vm.ip_addresses),
        _Field("ready", lambda vm: vm.ready, column=False),
        _Field("labels", lambda vm: vm.labels),
        _Field("host", lambda vm: f"{vm.host} ({vm.backend})", column=False),
        _Field("created", lambda vm: vm.created_at),
        _Field("expires", lambda vm: vm.expires_at, column=False),
    ),
)
_OPERATION = _Kind(
    noun="Operation",
    counted=("operation", "operations"),
    markers=("id", "kind", "target", "state", "progress"),
    title=lambda op: op.id,
    fields=(
        _Field("id", lambda op: op.id, card=False),
        _Field("kind", lambda op: op.kind),
        _Field("target", lambda op: _target(op.target)),
        _Field("state", _state_badge(_OPERATION_COLOURS)),
        _Field("progress", lambda op: _fraction(op.progress)),
        _Field("error", lambda op: _problem(_as_mapping(op.error)), column=False),
        _Field("created", lambda op: op.created_at),
        _Field("started", lambda op: op.started_at, column=False),
        _Field("finished", lambda op: op.finished_at),
    ),
)
_SNAPSHOT = _Kind(
    noun="Snapshot",
    counted=("snapshot", "snapshots"),
    markers=("name", "state", "vm_id", "includes_memory", "vm_state"),
    title=lambda snap: snap.name,
    fields=(
        _Field("name", lambda snap: snap.name, card=False),
        _Field("state", _state_badge(_STATE_COLOURS)),
        _Field("id", lambda snap: snap.id, column=False),
        _Field("vm", lambda snap: snap.vm_id, column=False),
        _Field("vm state", lambda snap: snap.vm_state),
        _Field("memory", lambda snap: snap.includes_memory),
        _Field("size", lambda snap: _bytes(snap.size_bytes)),
        _Field("description", lambda snap: snap.description),
        _Field("created", lambda snap: snap.created_at),
    ),
)
_LOG_ENTRY = _Kind(
    noun="Log entry",
    counted=("log entry", "log entries"),
    markers=("seq", "time", "level", "message"),
    title=lambda entry: f"#{entry.seq}",
    fields=(
        _Field("seq", lambda entry: entry.seq),
        _Field("time", lambda entry: entry.time),
        _Field("level", lambda entry: entry.level),
        _Field("message", lambda entry: entry.message),
    ),
)
# Most specific first: a VM also has a name and a state, like a snapshot.
_KINDS = (_OPERATION, _SNAPSHOT, _VM, _LOG_ENTRY)
_ANY = _Kind(
    noun="", counted=("item", "items"), markers=(), title=repr, fields=(_Field("item", repr),)
)


def _as_mapping(value: object) -> Mapping[str, Any] | None:
    if value is None or isinstance(value, Mapping):
        return value
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else None


def _kind_of(obj: object) -> _Kind:
    return next((kind for kind in _KINDS if kind.matches(obj)), _ANY)


def _plain(value: object) -> str:
    """One value as short text: enums by value, times to the second, maps as k=v."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, _Badge):
        return value.text
    if isinstance(value, Mapping):
        return ", ".join(f"{key}={item}" for key, item in value.items()) or "-"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value) or "-"
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value
    return str(value)


def _cell_html(value: object) -> str:
    if isinstance(value, _Badge):
        style = (
            f"background:{value.colour};color:#fff;border-radius:4px;"
            "padding:1px 6px;font-size:85%;white-space:nowrap"
        )
        return f'<span style="{style}">{html.escape(value.text)}</span>'
    return html.escape(_plain(value))


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_TEXT_CELL else text[: _MAX_TEXT_CELL - 1] + "…"


_TABLE_STYLE = "border-collapse:collapse;font-size:90%"
_HEAD_STYLE = "text-align:left;padding:2px 8px;border-bottom:1px solid #d0d7de"
_CELL_STYLE = "text-align:left;padding:2px 8px;vertical-align:top"


def html_of(obj: object) -> str:
    """An object as a small HTML card: its kind, name and state, then its fields.

    Args:
        obj: A VM, an operation, a snapshot or a log entry (other objects show their repr).

    Returns:
        An HTML fragment (a ``<div>`` holding a ``<table>``), every value escaped.
    """
    kind = _kind_of(obj)
    if kind is _ANY:
        return f"<code>{html.escape(repr(obj))}</code>"
    heading = (
        f"<strong>{html.escape(kind.noun)}</strong> <code>{html.escape(kind.title(obj))}</code>"
    )
    rows = "".join(
        f'<tr><th style="{_CELL_STYLE};color:{_GREY}">{html.escape(field.label)}</th>'
        f'<td style="{_CELL_STYLE}">{_cell_html(field.get(obj))}</td></tr>'
        for field in kind.card
    )
    return f'<div>{heading}<table style="{_TABLE_STYLE}">{rows}</table></div>'


def text_of(obj: object) -> str:
    """An object as plain text: a title line, then one indented ``label  value`` per field.

    Args:
        obj: A VM, an operation, a snapshot or a log entry (other objects give their repr).

    Returns:
        The text, several lines, no trailing newline.
    """
    kind = _kind_of(obj)
    if kind is _ANY:
        return repr(obj)
    width = max(len(field.label) for field in kind.card)
    lines = [f"{kind.noun} {kind.title(obj)}"]
    lines += [f"  {field.label:<{width}}  {_plain(field.get(obj))}" for field in kind.card]
    return "\n".join(lines)


def _table_kind(items: Sequence[object]) -> _Kind:
    kinds = {_kind_of(item) for item in items}
    return kinds.pop() if len(kinds) == 1 else _ANY


def html_table(items: Sequence[object]) -> str:
    """Items as an HTML table, one row each; the columns depend on what the items are.

    Args:
        items: VMs, operations, snapshots or log entries (mixed items show their repr).

    Returns:
        An HTML fragment: a ``<table>`` and a caption with the count (for no items, a
        sentence saying so).
    """
    kind = _table_kind(items)
    if not items:
        return f"<p><em>{html.escape(_count(0, kind))}</em></p>"
    columns = kind.columns
    head = "".join(f'<th style="{_HEAD_STYLE}">{html.escape(f.label)}</th>' for f in columns)
    body = "".join(
        "<tr>"
        + "".join(f'<td style="{_CELL_STYLE}">{_cell_html(f.get(item))}</td>' for f in columns)
        + "</tr>"
        for item in items
    )
    caption = html.escape(_count(len(items), kind))
    return (
        f'<table style="{_TABLE_STYLE}"><caption style="text-align:left">{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def text_table(items: Sequence[object]) -> str:
    """Items as an aligned plain-text table (long cells are cut with an ellipsis).

    Args:
        items: VMs, operations, snapshots or log entries (mixed items show their repr).

    Returns:
        A header line and one line per item, or a line saying the list is empty.
    """
    kind = _table_kind(items)
    if not items:
        return _count(0, kind)
    columns = kind.columns
    rows = [[_shorten(_plain(f.get(item))) for f in columns] for item in items]
    widths = [max(len(f.label), *(len(row[i]) for row in rows)) for i, f in enumerate(columns)]
    lines = [_line([f.label.upper() for f in columns], widths)]
    lines += [_line(row, widths) for row in rows]
    return "\n".join(lines)


def _line(cells: Iterable[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _count(count: int, kind: _Kind) -> str:
    one, many = kind.counted
    if count == 0:
        return f"no {many}"
    return f"1 {one}" if count == 1 else f"{count} {many}"


def pretty_repr(
    text: Callable[[], str], fallback: str, printer: PrettyPrinter, cycle: bool
) -> None:
    """The body of every ``_repr_pretty_``: print ``text()``, or ``fallback`` on a cycle.

    Args:
        text: Makes the text (called only when needed).
        fallback: What to print when IPython found a reference cycle.
        printer: IPython's printer.
        cycle: Whether IPython found a cycle.
    """
    printer.text(fallback if cycle else text())


def register_ipython_formatters(formatter: Any) -> None:
    """Teach IPython to show snapshots, which the SDK returns as generated models.

    Generated code carries no ``_repr_html_`` (it is never edited by hand), so IPython is
    told how to show it instead.

    The types are named, not imported, so this costs nothing until one is displayed.

    Args:
        formatter: IPython's ``DisplayFormatter`` (``get_ipython().display_formatter``).
    """
    module, name = "vmkit._generated.models.snapshot", "Snapshot"
    formatter.formatters["text/html"].for_type_by_name(module, name, html_of)
    formatter.formatters["text/plain"].for_type_by_name(module, name, _pretty_model)


def _pretty_model(obj: object, printer: PrettyPrinter, cycle: bool) -> None:
    pretty_repr(lambda: text_of(obj), repr(obj), printer, cycle)
