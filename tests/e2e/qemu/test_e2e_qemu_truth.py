"""What the API says about a real guest matches what happened to it: a guest that powers
itself off is `stopped` (`shutdown`), a QEMU killed behind the server's back is `error`
(`crashed`), both found by the server's reconciler; no QEMU process outlives its VM.
"""

from __future__ import annotations

import os
import signal

from e2e_helpers import unique_name
from qemu_e2e_helpers import GUEST, qemu_pids

import vmkit

BOOT = 120  # seconds a boot may take on a busy 2-core machine (TCG): a deadline, not a wait


def test_poweroff_reads_as_shutdown_and_a_killed_qemu_as_crashed(client: vmkit.Client) -> None:
    """Typed `poweroff` -> stopped/shutdown; start again; SIGKILL to QEMU -> error/crashed;
    the console still shows the last boot; delete leaves no process."""
    vm = client.vms.create(unique_name("truth"), **GUEST, start=True, wait=True)
    vm.send_console("poweroff\n")
    off = vm.wait_for("stopped", timeout=60, poll_interval=0.1)
    assert ("stopped", "shutdown", False, []) == (
        off.state,
        off.state_reason,
        off.ready,
        qemu_pids(vm.id),
    )

    booted = vm.start(wait=True, wait_timeout=BOOT)
    pid = booted.extra["pid"]
    assert [pid] == qemu_pids(vm.id)
    os.kill(pid, signal.SIGKILL)
    crashed = vm.wait_for("error", timeout=60, poll_interval=0.1)
    assert ("error", "crashed", None) == (crashed.state, crashed.state_reason, crashed.extra["pid"])
    console = vm.console(max_bytes=1 << 20)
    assert 2 == console.data.count("VMKIT-READY")  # both boots, in one log

    vm.delete(wait=True)
    assert [] == qemu_pids(vm.id)
