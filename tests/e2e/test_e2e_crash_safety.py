"""kill -9 during each kind of operation, restart on the same data dir: nothing is left hanging.

For each of create, start, stop, snapshot, clone and delete:

1. A server without faults prepares a victim VM in the state the action needs, and a
   bystander (a running VM with a snapshot, so the database holds finished operations and
   events too); it is stopped cleanly.
2. A server whose simulated backend hangs that action (`--backend-opt hang=<action>`) gets
   the request; once its operation is `running`, the database is read and the process is
   killed with SIGKILL.
3. A server without faults starts on the same data dir. Then: every operation is terminal,
   the interrupted one `failed` with `SERVER_RESTARTED` and a detail that says what to do;
   every VM's state is the simulated hypervisor's (which persists in the data dir; a VM it
   does not know is `error`); every row read before the kill is still there, events in the
   same order; the restarted server can act on the victim again; and `PRAGMA
   integrity_check` says ok.

The kill in step 2 comes while the backend call is blocked, before its work. The other
window, the backend done and the record not yet written, is made by editing the simulated
hypervisor's saved state between the kill and the restart (a start that booted, a delete
that removed the VM): the records then follow the backend.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_helpers import read_only_db, wait_until
from proc_helpers import ServerProcess

TABLES = ("vms", "snapshots", "operations", "events", "tokens")
TERMINAL = {"succeeded", "failed", "cancelled"}


@dataclass(frozen=True)
class Action:
    """One kind of operation to interrupt.

    Attributes:
        hang: The simulated backend's action to hang.
        victim: How the victim VM is created first (None: not at all).
        method: The request's method.
        path: The request's path.
        body: The request's JSON body.
        after: The victim's state after the restart (None: it no longer exists in the
            backend, so its record is `error`).
    """

    hang: str
    victim: dict[str, Any] | None
    method: str
    path: str
    body: dict[str, Any] | None
    after: str | None


ACTIONS = {
    "create": Action("create", None, "POST", "/v1/vms", {"name": "victim"}, None),
    "start": Action("start", {}, "POST", "/v1/vms/victim:start", None, "stopped"),
    "stop": Action("stop", {"start": True}, "POST", "/v1/vms/victim:stop", {}, "running"),
    "snapshot": Action(
        "snapshot_create", {}, "POST", "/v1/vms/victim/snapshots", {"name": "s1"}, "stopped"
    ),
    "clone": Action("clone", {}, "POST", "/v1/vms/victim:clone", {"name": "twin"}, "stopped"),
    "delete": Action("delete", {}, "DELETE", "/v1/vms/victim", None, "stopped"),
}


@pytest.fixture
def processes() -> Iterator[list[ServerProcess]]:
    """Servers a test started; any still running at the end is killed."""
    started: list[ServerProcess] = []
    yield started
    for proc in started:
        with contextlib.suppress(Exception):
            proc.kill()


@contextlib.contextmanager
def api(processes: list[ServerProcess], data_dir: Path, *extra: str) -> Iterator[httpx.Client]:
    """A server on `data_dir` (plus `extra` options) and an httpx client with its token."""
    proc = ServerProcess.start(data_dir, "--reconcile-interval", "0.2", *extra)
    processes.append(proc)
    token = (data_dir / "admin-token").read_text().strip()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=proc.url, headers=headers, timeout=30) as http:
        yield http


def finish(http: httpx.Client, answer: httpx.Response) -> dict[str, Any]:
    """Wait for the operation `answer` started; assert it succeeded; return it."""
    assert answer.status_code == 202, answer.text
    op_id = answer.json()["id"]
    op = http.get(f"/v1/operations/{op_id}:wait", params={"timeout_seconds": 30}).json()
    assert "succeeded" == op["state"], op
    return dict(op)


def rows(data_dir: Path) -> dict[str, list[str]]:
    """The ids of every row of the tables that matter, in id order (read-only)."""
    with contextlib.closing(read_only_db(data_dir)) as db:
        return {
            table: [str(r[0]) for r in db.execute(f"SELECT id FROM {table} ORDER BY id")]
            for table in TABLES
        }


def backend_power(data_dir: Path) -> dict[str, str]:
    """What the simulated hypervisor itself has saved: VM id -> power state."""
    saved = json.loads((data_dir / "simulated" / "simulated.json").read_text())
    return {vm["id"]: str(vm["power"]) for vm in saved["vms"]}


def everything(http: httpx.Client, path: str) -> list[dict[str, Any]]:
    """Every item of a list operation (one page of up to 1000 is enough here)."""
    page = http.get(path, params={"page_size": 1000}).json()
    assert page["next_page_token"] is None
    return list(page["items"])


def _running(http: httpx.Client, op_id: str) -> str | None:
    return op_id if http.get(f"/v1/operations/{op_id}").json()["state"] == "running" else None


def prepare(processes: list[ServerProcess], data_dir: Path, action: Action) -> None:
    """Without faults: a running bystander with a snapshot, and the victim; a clean stop."""
    with api(processes, data_dir) as http:
        finish(http, http.post("/v1/vms", json={"name": "bystander", "start": True}))
        finish(http, http.post("/v1/vms/bystander/snapshots", json={"name": "keep"}))
        if action.victim is not None:
            finish(http, http.post("/v1/vms", json={"name": "victim", **action.victim}))
        assert 0 == processes[-1].terminate()


def interrupt(
    processes: list[ServerProcess], data_dir: Path, action: Action
) -> tuple[str, dict[str, list[str]]]:
    """Start the action with it hanging in the backend, read the rows, SIGKILL the server.

    Returns:
        The interrupted operation's id, and the rows read just before the kill.
    """
    with api(processes, data_dir, "--backend-opt", f"hang={action.hang}") as http:
        started = http.request(action.method, action.path, json=action.body)
        assert 202 == started.status_code, started.text
        op_id = str(started.json()["id"])
        wait_until(lambda: _running(http, op_id), timeout=15, what=f"{action.hang} to run")
        before = rows(data_dir)
        assert processes[-1].kill() < 0
    return op_id, before


def assert_failed_by_the_restart(http: httpx.Client, op_id: str) -> None:
    """The interrupted operation failed with SERVER_RESTARTED; every operation is terminal."""
    interrupted = http.get(f"/v1/operations/{op_id}").json()
    error = interrupted["error"] or {}
    assert ("failed", "SERVER_RESTARTED") == (interrupted["state"], error.get("code"))
    assert "server stopped while this operation was running" in error.get("detail", "")
    assert interrupted["finished_at"] is not None
    assert TERMINAL >= {op["state"] for op in everything(http, "/v1/operations")}


def assert_records_match_the_backend(http: httpx.Client, data_dir: Path) -> list[dict[str, Any]]:
    """Each VM is in the backend's state (`error` if the backend lacks it), none is busy."""
    power = backend_power(data_dir)
    vms = everything(http, "/v1/vms")
    for vm in vms:
        assert vm["operation"] is None, vm
        assert power.get(vm["id"], "error") == vm["state"], (vm, power)
    assert "running" == next(vm["state"] for vm in vms if vm["name"] == "bystander")
    snapshots = {s["name"]: s for s in everything(http, "/v1/vms/bystander/snapshots")}
    assert "ready" == snapshots["keep"]["state"]
    return vms


def assert_integrity(data_dir: Path) -> None:
    """SQLite's own check of the database finds nothing."""
    with contextlib.closing(read_only_db(data_dir)) as db:
        assert [("ok",)] == db.execute("PRAGMA integrity_check").fetchall()


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_kill_9_during_an_operation_loses_nothing(
    action: Action, tmp_path: Path, processes: list[ServerProcess]
) -> None:
    """The interrupted operation ends SERVER_RESTARTED; records match the backend; no row lost."""
    data_dir = tmp_path / "data"
    prepare(processes, data_dir, action)
    op_id, before = interrupt(processes, data_dir, action)

    with api(processes, data_dir) as http:
        assert_failed_by_the_restart(http, op_id)
        vms = assert_records_match_the_backend(http, data_dir)
        victim = next(vm for vm in vms if vm["name"] == "victim")
        assert (action.after or "error") == victim["state"]
        if action.hang == "snapshot_create":  # the backend may or may not have it: say so
            assert "error" == everything(http, "/v1/vms/victim/snapshots")[0]["state"]
        after = rows(data_dir)
        for table in TABLES:
            assert set(before[table]) <= set(after[table]), table
        assert before["events"] == after["events"][: len(before["events"])]
        if action.after is not None:  # the restarted server drives the victim again
            verb = "start" if action.after == "stopped" else "stop"
            finish(http, http.post(f"/v1/vms/victim:{verb}"))
        assert 0 == processes[-1].terminate()
    assert_integrity(data_dir)


def _booted(vm: dict[str, Any]) -> dict[str, Any] | None:
    return {**vm, "power": "running", "reason": "booted", "boot_count": vm["boot_count"] + 1}


FINISHED = {"start": (ACTIONS["start"], _booted), "delete": (ACTIONS["delete"], lambda vm: None)}


@pytest.mark.parametrize(("action", "done"), FINISHED.values(), ids=FINISHED.keys())
def test_kill_9_after_the_backend_did_the_work_keeps_its_result(
    action: Action,
    done: Callable[[dict[str, Any]], dict[str, Any] | None],
    tmp_path: Path,
    processes: list[ServerProcess],
) -> None:
    """Backend done, record not yet written, then SIGKILL: the VM ends as the backend left it.

    The simulated hypervisor's saved state is edited as the work would have left it (the
    victim booted, or gone) between the kill and the restart.
    """
    data_dir = tmp_path / "data"
    prepare(processes, data_dir, action)
    op_id, before = interrupt(processes, data_dir, action)
    state_file = data_dir / "simulated" / "simulated.json"
    saved = json.loads(state_file.read_text())
    victim_id = next(vm["id"] for vm in saved["vms"] if vm["name"] == "victim")
    edited = [done(vm) if vm["id"] == victim_id else vm for vm in saved["vms"]]
    state_file.write_text(json.dumps({**saved, "vms": [vm for vm in edited if vm is not None]}))

    with api(processes, data_dir) as http:
        assert_failed_by_the_restart(http, op_id)
        vms = assert_records_match_the_backend(http, data_dir)
        if action.method == "DELETE":
            assert "victim" not in {vm["name"] for vm in vms}
            assert 404 == http.get(f"/v1/vms/{victim_id}").status_code
            with contextlib.closing(read_only_db(data_dir)) as db:
                types = [
                    t
                    for (t,) in db.execute("SELECT type FROM events WHERE vm_id = ?", (victim_id,))
                ]
            assert "vm.deleted" == types[-1]
        else:
            assert ("running", "booted") == next(
                (vm["state"], vm["state_reason"]) for vm in vms if vm["name"] == "victim"
            )
        after = rows(data_dir)
        lost = {table: set(before[table]) - set(after[table]) for table in TABLES}
        gone = {victim_id} if action.method == "DELETE" else set()
        assert {**{t: set() for t in TABLES}, "vms": gone} == lost
        assert 0 == processes[-1].terminate()
    assert_integrity(data_dir)
