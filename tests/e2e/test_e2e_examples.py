"""The examples and `make demo`'s script run for real, as a user would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vmkit_server.testing import RunningServer, start_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("examples") / "data")
    yield running
    running.stop()


def test_quickstart_runs_every_step(live: RunningServer) -> None:
    """examples/quickstart.py goes through create, start, snapshot, stop, clone, list, delete."""
    env = {**os.environ, "VMKIT_URL": live.url, "VMKIT_TOKEN": live.token}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    for step in ("create VM", "start", "snapshot it", "stop", "clone it", "list VMs", "delete"):
        assert step in result.stdout
    assert "includes_memory=True" in result.stdout
    assert "Traceback" not in result.stderr


def test_demo_script_starts_drives_and_stops_a_server(tmp_path: Path) -> None:
    """scripts/demo (what `make demo` runs) works end to end and stops its server."""
    env = {
        **os.environ,
        "VMKIT_VENV": str(Path(sys.executable).parent.parent),
        "TMPDIR": str(tmp_path),
    }
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo")],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
        cwd=ROOT,
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "ready at http://127.0.0.1:" in result.stdout
    assert "delete both" in result.stdout
    assert "stopping the server" in result.stdout
    assert [] == list(tmp_path.glob("vmkit-demo.*"))  # its data dir was cleaned up


def test_peer_lume_example_drives_lume_both_ways(tmp_path: Path) -> None:
    """examples/peer_lume.py lists Lume's VMs directly and through a vmkit server on it."""
    from fakes.lume import conformance_setup  # the faithful fake of Lume's API

    with conformance_setup(tmp_path) as setup:
        assert setup.make_outside_vm is not None
        setup.make_outside_vm("made-in-lume")
        server = start_server(
            tmp_path / "data", backend_name="lume", backend_options=setup.backend_options
        )
        try:
            env = {
                **os.environ,
                "LUME_URL": setup.backend_options["url"],
                "VMKIT_URL": server.url,
                "VMKIT_TOKEN": server.token,
            }
            result = subprocess.run(
                [sys.executable, str(ROOT / "examples" / "peer_lume.py")],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
                check=False,
            )
        finally:
            server.stop()
    assert 0 == result.returncode, result.stderr
    assert "lume:  made-in-lume" in result.stdout
    assert "vmkit: made-in-lume" in result.stdout  # adopted when the server started
    assert "created example-linux: stopped, 2048 MiB on lume" in result.stdout
    assert "CAPABILITY_NOT_SUPPORTED (501)" in result.stdout
    assert "deleted" in result.stdout
