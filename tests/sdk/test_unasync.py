"""scripts/unasync.py: the sync twin is current, and drift or dead rules are caught."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "unasync.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vmkit_unasync_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


unasync = _load_script()


THING = '''"""A thing."""

from __future__ import annotations

import httpx


class AsyncThing:
    """Holds a client."""

    def __init__(self) -> None:
        self.http = httpx.AsyncClient()

    async def aclose(self) -> None:
        """Close the client."""
        await self.http.aclose()
'''


def _rules() -> list[Any]:
    """The rules this test project needs, each used at least once."""
    rule = unasync.Rule
    return [
        rule.keyword("async def", "def"),
        rule.keyword("await", ""),
        rule.name("AsyncThing", "Thing"),
        rule.name("AsyncClient", "Client"),
        rule.name("aclose", "close"),
    ]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small project of our own with _async/ and its freshly generated _sync/."""
    async_dir = tmp_path / "sdk/vmkit/_async"
    async_dir.mkdir(parents=True)
    (async_dir / "__init__.py").write_text('"""Async twin."""\n')
    (async_dir / "_thing.py").write_text(THING)
    (tmp_path / "sdk/vmkit/_sync").mkdir()
    out = io.StringIO()
    assert unasync.run(tmp_path, check=False, rules=_rules(), out=out) == 0, out.getvalue()
    return tmp_path


def _check(root: Path, rules: list[Any] | None = None) -> tuple[int, str]:
    out = io.StringIO()
    status = unasync.run(root, check=True, out=out, rules=_rules() if rules is None else rules)
    return status, out.getvalue()


def test_check_passes_on_the_repository() -> None:
    """The committed _sync/ is what the script generates (the CI gate)."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert proc.stdout == ""
    assert proc.returncode == 0


def test_generated_tree_checks_clean(tree: Path) -> None:
    """Right after generation, --check finds nothing to say."""
    assert _check(tree) == (0, "")


def test_drift_is_reported_with_a_diff(tree: Path) -> None:
    """A hand edit in _sync/ fails the check and shows the difference."""
    target = tree / "sdk/vmkit/_sync/_thing.py"
    target.write_text(target.read_text() + "HAND_EDIT = 1\n")
    status, output = _check(tree)
    assert status == 1
    assert "-HAND_EDIT = 1" in output
    assert "unasync: sdk/vmkit/_sync/_thing.py is not current" in output
    (tree / "sdk/vmkit/_sync/_thing.py").unlink()
    assert "unasync: sdk/vmkit/_sync/_thing.py is missing" in _check(tree)[1]


def test_stale_sync_file_is_reported_then_removed(tree: Path) -> None:
    """A _sync/ file without an _async/ source fails the check; generation deletes it."""
    stale = tree / "sdk/vmkit/_sync/orphan.py"
    stale.write_text("x = 1\n")
    status, output = _check(tree)
    assert status == 1
    assert "sdk/vmkit/_sync/orphan.py has no source in sdk/vmkit/_async" in output
    assert unasync.run(tree, check=False, rules=_rules(), out=io.StringIO()) == 0
    assert not stale.exists()


def test_unused_rule_is_reported(tree: Path) -> None:
    """A rule no file needs fails the run."""
    rules = [*_rules(), unasync.Rule.name("AsyncNowhere", "Nowhere")]
    status, output = _check(tree, rules=rules)
    assert status == 1
    assert "rule never used, remove it from RULES: AsyncNowhere -> Nowhere" in output


def test_surviving_async_name_is_reported(tree: Path) -> None:
    """An async name without a rule fails, pointing at the ready-made spare rule."""
    source = tree / "sdk/vmkit/_async/_stream.py"
    source.write_text(
        '"""Streams."""\n\nfrom collections.abc import AsyncGenerator\n\n'
        "async def numbers() -> AsyncGenerator[int]:\n    yield 1\n"
    )
    status, output = _check(tree)
    assert status == 1
    assert (
        "sdk/vmkit/_async/_stream.py:3: 'AsyncGenerator' survived unasync; add a rule to RULES"
        " (SPARE_RULES has AsyncGenerator -> Generator)"
    ) in output


def test_generation_writes_header_and_sync_code(tree: Path) -> None:
    """The generated file has the header, the sync names and ruff's formatting."""
    assert (tree / "sdk/vmkit/_sync/_thing.py").read_text() == unasync.HEADER + (
        THING.replace("AsyncThing", "Thing")
        .replace("AsyncClient", "Client")
        .replace("async def aclose", "def close")
        .replace("await self.http.aclose()", "self.http.close()")
    )


def test_surviving_keyword_is_reported(tree: Path) -> None:
    """Dropping the 'await' rule leaves await in the output, which is caught."""
    rules = [r for r in _rules() if not r.label.startswith("await")]
    status, output = _check(tree, rules)
    assert status == 1
    assert "sdk/vmkit/_async/_thing.py:16: 'await' survived unasync" in output


def test_convert_applies_rules_by_word() -> None:
    """Rules match whole words only and count their uses."""
    counter: Counter[str] = Counter()
    text = unasync.convert(
        "async def f(c: httpx.AsyncClient) -> None:\n    await c.aclose()\n    MyAsyncClient\n",
        _rules(),
        counter,
    )
    assert text == "def f(c: httpx.Client) -> None:\n    c.close()\n    MyAsyncClient\n"
    assert counter["AsyncClient -> Client"] == 1
    assert counter["await -> (removed)"] == 1


def test_drop_async_rule() -> None:
    """drop_async strips the prefix and refuses names without one."""
    rule = unasync.Rule.drop_async("AsyncThing")
    assert (rule.label, rule.replacement) == ("AsyncThing -> Thing", "Thing")
    with pytest.raises(ValueError, match="Async"):
        unasync.Rule.drop_async("Thing")
