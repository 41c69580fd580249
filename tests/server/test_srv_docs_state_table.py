"""docs/state-machine.md's table of legal moves says exactly what core/states.py ACTIONS does."""

from __future__ import annotations

import re
from pathlib import Path

from vmkit_server.core.states import ACTIONS, VMState

DOC = Path(__file__).resolve().parents[2] / "docs" / "state-machine.md"
_NONE = "—"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _names(cell: str) -> frozenset[str]:
    return frozenset(re.findall(r"`([^`]+)`", cell))


def _state(cell: str) -> str | None:
    if cell == _NONE:
        return None
    (name,) = _names(cell)
    return name


def _doc_table() -> dict[str, tuple[frozenset[str], str | None, str | None]]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- state-table:start -->", 1)[1].split("<!-- state-table:end -->", 1)[0]
    rows = [line for line in block.strip().splitlines() if line.startswith("|")]
    header, _rule, *body = rows
    assert _cells(header) == ["Key", "Request", "Allowed from", "Meanwhile", "Ends in"]
    table = {}
    for line in body:
        key, _request, allowed, meanwhile, ends = _cells(line)
        (name,) = _names(key)
        table[name] = (_names(allowed), _state(meanwhile), _state(ends))
    return table


def _code_table() -> dict[str, tuple[frozenset[str], str | None, str | None]]:
    return {
        key: (
            frozenset(str(s) for s in action.allowed_from),
            None if action.transitional is None else str(action.transitional),
            None if action.desired is None else str(action.desired),
        )
        for key, action in ACTIONS.items()
    }


def test_state_table_matches_actions() -> None:
    """Every action's allowed-from states, transitional state and target match the code."""
    assert _code_table() == _doc_table()


def test_state_list_names_every_state() -> None:
    """The page's list of states names every VMState member, in declaration order."""
    text = DOC.read_text(encoding="utf-8")
    states_section = text.split("## States", 1)[1].split("##", 1)[0]
    listed = re.findall(r"^\| `([a-z]+)`", states_section, flags=re.MULTILINE)
    assert [str(s) for s in VMState] == listed
