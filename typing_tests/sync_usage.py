"""What a script using the sync client sees."""

from __future__ import annotations

from typing import assert_type

import vmkit
from vmkit.errors import CommandFailedError, VMStateError


def lifecycle(client: vmkit.Client) -> None:
    op = client.vms.create("web-1", image="vmkit/test-guest")
    assert_type(op, vmkit.Operation)
    vm = client.vms.create("web-2", start=True, wait=True)
    assert_type(vm, vmkit.VM)
    assert_type(vm.start(), vmkit.Operation)
    assert_type(vm.stop(wait=True), vmkit.VM)
    assert_type(vm.wait_for("running", timeout=30), vmkit.VM)
    assert_type(vm.wait_ready(progress=False), vmkit.VM)
    assert_type(client.vms.get("web-1", timeout=5, headers={"X-Trace": "1"}), vmkit.VM)
    for each in client.vms.list(state="running", label={"team": "qa"}):
        assert_type(each, vmkit.VM)
    assert_type(client.vms.list().to_list(), vmkit.ResourceList[vmkit.VM])
    assert_type(client.with_options(max_retries=5), vmkit.Client)
    with client.vms.ephemeral(image="vmkit/test-guest") as temp:
        assert_type(temp, vmkit.VM)


def guest(vm: vmkit.VM) -> None:
    result = vm.exec(["uname", "-a"])
    assert_type(result, vmkit.ExecResult)
    assert_type(result.exit_code, int)
    assert_type(vm.exec("sleep 100", wait=False), vmkit.Operation)
    assert_type(vm.download("/etc/hostname"), bytes)
    assert_type(vm.upload("/tmp/x", b"data"), int)
    assert_type(vm.screenshot(), vmkit.Screenshot)
    assert_type(vm.console(offset=0), vmkit.ConsoleOutput)
    try:
        vm.exec(["false"], check=True)
    except CommandFailedError as failed:
        assert_type(failed.exit_code, int)
    except VMStateError as refused:
        assert_type(refused.current_state, str | None)
