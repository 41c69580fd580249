"""The real `vmkit-server` process, stopped and restarted on one data directory.

A clean SIGTERM must lose nothing; a SIGKILL in the middle of an operation must leave that
operation `failed` (SERVER_RESTARTED) after the restart, the VM matching the backend and the
database intact.
"""

from __future__ import annotations

import contextlib
import json
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_helpers import read_only_db, wait_until
from proc_helpers import ServerProcess
from spec_check import SpecChecker

import vmkit


@contextlib.contextmanager
def sdk(server: ServerProcess, checker: SpecChecker) -> Iterator[vmkit.Client]:
    """A sync client of `server` with the admin token from its token file."""
    token = (server.data_dir / "admin-token").read_text().strip()
    hooks = [checker.check]
    with (
        httpx.Client(base_url=server.url, event_hooks={"response": hooks}, timeout=30) as http,
        vmkit.Client(server.url, token, http_client=http) as client,
    ):
        yield client


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data directory."""
    return tmp_path / "data"


@pytest.fixture
def processes() -> Iterator[list[ServerProcess]]:
    """Servers a test started; any still running at the end is killed."""
    started: list[ServerProcess] = []
    yield started
    for proc in started:
        with contextlib.suppress(Exception):
            proc.kill()


def launch(processes: list[ServerProcess], data_dir: Path, *extra: str) -> ServerProcess:
    """Start a server (reconciling every 0.2 s) and remember it for cleanup."""
    proc = ServerProcess.start(data_dir, "--reconcile-interval", "0.2", *extra)
    processes.append(proc)
    return proc


def stop_cleanly(proc: ServerProcess) -> None:
    """SIGTERM; the server must exit 0 within 15 s."""
    began = time.monotonic()
    assert 0 == proc.terminate(timeout=15), proc.lines
    assert time.monotonic() - began < 15
    assert not [line for line in proc.lines if "Traceback" in line], proc.lines


def event_ids(data_dir: Path) -> list[int]:
    """The ids of every durable event, in order (read-only; the server may be running)."""
    with contextlib.closing(read_only_db(data_dir)) as db:
        return [int(row[0]) for row in db.execute("SELECT id FROM events ORDER BY id")]


def backend_power(data_dir: Path) -> dict[str, str]:
    """What the simulated hypervisor itself has saved: VM id -> power state."""
    saved = json.loads((data_dir / "simulated" / "simulated.json").read_text())
    return {vm["id"]: str(vm["power"]) for vm in saved["vms"]}


def snapshot_of(client: vmkit.Client) -> dict[str, Any]:
    """Everything the API tells about VMs, their snapshots and operations."""
    vms = {vm.id: (vm.name, vm.state, vm.labels, vm.etag) for vm in client.vms.list()}
    return {
        "vms": vms,
        "snapshots": {i: [s.id for s in client.snapshots.list(i)] for i in vms},
        "operations": [(op.id, op.kind, op.state) for op in client.operations.list()],
    }


def test_sigterm_and_restart_keep_everything(
    data_dir: Path, processes: list[ServerProcess], spec_checker: SpecChecker
) -> None:
    """VMs, snapshots, operations with logs, events and the admin token survive a restart."""
    first = launch(processes, data_dir)
    token_file = data_dir / "admin-token"
    token_bytes = token_file.read_bytes()
    assert 0o600 == stat.S_IMODE(token_file.stat().st_mode)
    with sdk(first, spec_checker) as client:
        web = client.vms.create("web", labels={"tier": "web"}, start=True, wait=True)
        db = client.vms.create("db", cpus=2, wait=True)
        db.snapshot("base", description="fresh", wait=True)
        db.start(wait=True)
        db.pause(wait=True)
        before = snapshot_of(client)
        logs = {
            op[0]: [ln.message for ln in client.operations.logs(op[0])]
            for op in before["operations"]
        }
    events_before = event_ids(data_dir)
    assert events_before and all(logs.values())
    stop_cleanly(first)

    second = launch(processes, data_dir)
    assert token_bytes == token_file.read_bytes()
    assert 0o600 == stat.S_IMODE(token_file.stat().st_mode)
    with sdk(second, spec_checker) as client:
        after = snapshot_of(client)
        assert before == after
        assert logs == {
            op_id: [ln.message for ln in client.operations.logs(op_id)] for op_id in logs
        }
        assert ("running", "paused") == (client.vms.get(web.id).state, client.vms.get(db.id).state)
        client.vms.resume(db, wait=True)  # the restarted server can still drive its VMs
    events_after = event_ids(data_dir)
    assert events_before == events_after[: len(events_before)]
    assert events_after[len(events_before) :] == sorted(
        i for i in events_after if i > max(events_before)
    )
    stop_cleanly(second)


def _running_op(client: vmkit.Client, op_id: str) -> str | None:
    return op_id if client.operations.get(op_id).state == "running" else None


def test_kill_9_during_an_operation_fails_it_with_server_restarted(
    data_dir: Path, processes: list[ServerProcess], spec_checker: SpecChecker
) -> None:
    """After SIGKILL mid-start and a restart: the start failed, the VM is what the backend says."""
    first = launch(processes, data_dir, "--backend-opt", "hang=start")
    with sdk(first, spec_checker) as client:
        vm = client.vms.create("victim", wait=True)
        op = client.vms.start(vm)
        wait_until(lambda: _running_op(client, op.id), timeout=10, what="the start to run")
        assert "starting" == client.vms.get(vm.id).state
    assert first.kill() < 0

    second = launch(processes, data_dir)
    with sdk(second, spec_checker) as client:
        failed = client.operations.get(op.id)
        assert ("failed", "SERVER_RESTARTED") == (failed.state, (failed.error or {}).get("code"))
        assert "server stopped" in (failed.error or {}).get("detail", "")
        assert failed.finished_at is not None
        after = client.vms.get(vm.id)
        assert (None, None) == (after.operation_id, after.desired_state)
        assert backend_power(data_dir)[vm.id] == after.state == "stopped"
        assert "running" == after.start(wait=True, wait_timeout=10).state  # no hang any more
    stop_cleanly(second)
    with contextlib.closing(read_only_db(data_dir)) as db:
        assert [("ok",)] == db.execute("PRAGMA integrity_check").fetchall()
