"""The `vmkit` command against a live server: JSON out, typed errors as one line, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from vmkit_server.testing import RunningServer, start_server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("cli") / "data")
    yield running
    running.stop()


def vmkit(live: RunningServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VMKIT_URL": live.url, "VMKIT_TOKEN": live.token}
    return subprocess.run(
        [sys.executable, "-m", "vmkit.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_create_start_list_delete(live: RunningServer) -> None:
    """A VM's life from the shell; every answer is JSON."""
    created = vmkit(live, "vms", "create", "cli-vm", "--label", "via=cli", "--wait")
    assert 0 == created.returncode, created.stderr
    assert "stopped" == json.loads(created.stdout)["state"]
    assert 0 == vmkit(live, "vms", "start", "cli-vm", "--wait").returncode
    listed = json.loads(vmkit(live, "vms", "list", "--label", "via=cli").stdout)
    assert [("cli-vm", "running")] == [(v["name"], v["state"]) for v in listed]
    deleted = vmkit(live, "vms", "delete", "cli-vm", "--force", "--wait")
    assert 0 == deleted.returncode, deleted.stderr


def test_errors_are_one_line_and_exit_1(live: RunningServer) -> None:
    """A 404 is a message with its code and request id, not a traceback."""
    result = vmkit(live, "vms", "get", "no-such-vm")
    assert 1 == result.returncode
    assert "VM_NOT_FOUND" in result.stderr
    assert "Traceback" not in result.stderr
    assert "" == result.stdout
