"""docs/backends/index.md's capability table says what each backend really declares."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import Capabilities

DOC = Path(__file__).resolve().parents[2] / "docs" / "backends" / "index.md"
START, END = "<!-- capability-matrix:start -->", "<!-- capability-matrix:end -->"
#: Each backend with the options of its default configuration (dummy URLs and tokens).
COLUMNS = {
    "simulated": {},
    "qemu": {},
    "tart": {},
    "lume": {},
    "taartenfabriek": {"token": "t"},
    "nemeton": {"token": "t"},
    "ciderstack": {"token": "csk_t"},
    "ttstack": {"url": "http://127.0.0.1:9"},
}


def render(tmp_path: Path) -> str:
    """The table, from the capabilities each backend declares."""
    declared = {
        name: load_backend(name, data_dir=tmp_path / name, options=options).capabilities
        for name, options in COLUMNS.items()
    }
    lines = [
        "| capability | " + " | ".join(COLUMNS) + " |",
        "| --- |" + " :-: |" * len(COLUMNS),
    ]
    for f in fields(Capabilities):
        marks = ["✓" if getattr(declared[name], f.name) else "—" for name in COLUMNS]
        lines.append(f"| `{f.name}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def test_the_documented_table_matches_the_code(tmp_path: Path) -> None:
    """Regenerate the block between the markers from the printed table if this fails."""
    text = DOC.read_text()
    documented = text.split(START, 1)[1].split(END, 1)[0].strip()
    expected = render(tmp_path)
    assert expected == documented, f"docs/backends/index.md should say:\n{expected}"
