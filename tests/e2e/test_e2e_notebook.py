"""examples/notebook.ipynb runs top to bottom in a real Jupyter kernel against a real server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import vmkit
from vmkit_server.testing import RunningServer, start_server

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebook.ipynb"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("notebook") / "data")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def executed(
    live: RunningServer, tmp_path_factory: pytest.TempPathFactory
) -> nbformat.NotebookNode:
    """The notebook after a kernel ran it with VMKIT_URL / VMKIT_TOKEN set."""
    home = tmp_path_factory.mktemp("kernel")
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "VMKIT_PROGRESS" and not key.startswith("VMKIT_")
    }
    env |= {"VMKIT_URL": live.url, "VMKIT_TOKEN": live.token, "IPYTHONDIR": str(home / "ipython")}
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    runner = NotebookClient(
        notebook,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(home)}},
    )
    with pytest.MonkeyPatch.context() as patch:
        # The kernel's connection file goes here rather than into the user's home.
        patch.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        runner.execute(env=env)
    return notebook


def _cell(notebook: nbformat.NotebookNode, code: str) -> Any:
    """The one code cell whose source starts with ``code``."""
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(code)]
    return cell


def _html(cell: Any) -> str:
    """The text/html of a cell's result."""
    (html,) = [o.data["text/html"] for o in cell.outputs if o.output_type == "execute_result"]
    return str(html)


def test_notebook_is_stored_without_outputs() -> None:
    """The example is kept clean: no outputs, no execution counts, so diffs stay small."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [] == [c.id for c in code if c.outputs or c.execution_count is not None]


def test_every_cell_runs_without_error(executed: nbformat.NotebookNode) -> None:
    """Every code cell ran, in order, and none produced an error."""
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert list(range(1, len(code) + 1)) == [c.execution_count for c in code]
    assert [] == [o for c in code for o in c.outputs if o.output_type == "error"]


def test_the_vm_displays_as_html_with_its_name(
    executed: nbformat.NotebookNode, live: RunningServer
) -> None:
    """The created VM shows as an HTML table holding the name the server recorded."""
    with vmkit.Client(live.url, live.token) as client:
        (create,) = client.operations.list(kind="vm.create").to_list()
    name = create.target["name"]
    html = _html(_cell(executed, 'name = f"notebook-'))
    assert name.startswith("notebook-")
    assert f"<code>{name}</code>" in html
    assert "<table" in html


def test_lists_snapshots_and_logs_display_as_tables(executed: nbformat.NotebookNode) -> None:
    """Listed VMs, a snapshot, the operations and a log show as HTML; cleanup left no VM."""
    assert "<table" in _html(_cell(executed, 'client.vms.list(label={"demo": "notebook"})'))
    assert "first-boot" in _html(_cell(executed, "snapshot = vm.snapshot("))
    operations = _html(_cell(executed, "client.operations.list("))
    assert all(kind in operations for kind in ("vm.create", "vm.start", "vm.stop", "vm.clone"))
    assert "<table" in _html(_cell(executed, "op.logs().to_list()"))
    assert "no items" in _html(_cell(executed, "clone.delete(wait=True)"))


def test_waiting_draws_a_progress_bar(executed: nbformat.NotebookNode) -> None:
    """op.wait(progress=True) rendered a bar: tqdm's widget, or its text bar on stderr."""
    outputs = _cell(executed, "op = vm.start()").outputs
    widgets = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    text = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert widgets or ("vm.start" in text and "100%|" in text and "succeeded" in text)
