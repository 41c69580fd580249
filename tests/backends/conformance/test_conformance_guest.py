"""Exec and console on every backend that declares them."""

from __future__ import annotations

from conformance_helpers import WAIT, Target

import vmkit


def test_exec_runs_a_command_in_the_guest(target: Target, client: vmkit.Client) -> None:
    """A command's output and exit code come back."""
    target.require("start", "exec", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    if target.capabilities["ready_signal"]:
        vm.wait_ready(timeout=WAIT)
    result = vm.exec(["echo", "conformance"], timeout_seconds=60)
    assert (0, "conformance") == (result.exit_code, result.stdout.strip())
    vm.force_stop(wait=True, wait_timeout=WAIT)


def test_console_can_be_read_and_written(target: Target, client: vmkit.Client) -> None:
    """The console has output after boot, and input sent is accepted."""
    target.require("start", "console", "force_stop")
    vm = target.new_vm(client).start(wait=True, wait_timeout=WAIT)
    out = vm.console()
    assert out.next_offset >= out.offset
    vm.send_console("\n")
    vm.force_stop(wait=True, wait_timeout=WAIT)
