"""The real `vmkit-server --backend qemu` process killed with SIGKILL: its guests keep
running, and the next server on the same data directory adopts and controls them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2e_helpers import unique_name
from proc_helpers import ServerProcess
from qemu_e2e_helpers import GUEST, delete_every_vm, kill_leftovers, qemu_pids, sh
from spec_check import SpecChecker

import vmkit

BOOT = 120  # seconds a boot may take on a busy 2-core machine (TCG): a deadline, not a wait


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh data directory; any QEMU process of it is killed at the end."""
    data = tmp_path / "data"
    yield data
    kill_leftovers(data)


@contextlib.contextmanager
def qemu_server(data_dir: Path, qemu_options: dict[str, str]) -> Iterator[ServerProcess]:
    """`vmkit-server --backend qemu` as a child process (killed if still running at the end)."""
    options = [arg for item in qemu_options.items() for arg in ("--backend-opt", "=".join(item))]
    proc = ServerProcess.start(
        data_dir, "--backend", "qemu", *options, "--reconcile-interval", "0.25", timeout=60
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(Exception):
            proc.kill()


@contextlib.contextmanager
def sdk(proc: ServerProcess, checker: SpecChecker) -> Iterator[vmkit.Client]:
    """A client of `proc` with its admin token, checking every response against the spec."""
    token = (proc.data_dir / "admin-token").read_text().strip()
    hooks = [checker.check]
    with (
        httpx.Client(base_url=proc.url, event_hooks={"response": hooks}, timeout=60) as http,
        vmkit.Client(proc.url, token, http_client=http) as client,
    ):
        yield client


def test_a_killed_server_leaves_guests_running_and_a_new_one_controls_them(
    data_dir: Path, qemu_options: dict[str, str], spec_checker: SpecChecker
) -> None:
    """SIGKILL the server: QEMU runs on, same pid and RAM; the restarted server execs in it,
    stops it gracefully and deletes it, and no QEMU process is left."""
    with qemu_server(data_dir, qemu_options) as first, sdk(first, spec_checker) as client:
        vm = client.vms.create(unique_name("adopt"), **GUEST, start=True, wait=True)
        sh(vm, "echo still-here > /tmp/mark")
        pid = vm.extra["pid"]
        assert -9 == first.kill()
    assert [pid] == qemu_pids(vm.id)

    with qemu_server(data_dir, qemu_options) as second, sdk(second, spec_checker) as client:
        try:
            adopted = client.vms.get(vm.id)
            assert ("running", pid) == (adopted.state, adopted.extra["pid"])
            assert "still-here\n" == sh(adopted, "cat /tmp/mark")
            stopped = adopted.stop(wait=True, wait_timeout=BOOT)
            assert ("stopped", "shutdown") == (stopped.state, stopped.state_reason)
            stopped.delete(wait=True)
            assert [] == qemu_pids(str(data_dir))
        finally:
            delete_every_vm(second.url, (data_dir / "admin-token").read_text().strip())
        assert 0 == second.terminate()
