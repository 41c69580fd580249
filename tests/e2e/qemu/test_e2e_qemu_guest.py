"""A real guest under QEMU, driven through the SDK: exec, files, console, screenshot, disk
growth, snapshots (disk and RAM), suspend, clones and images.

One running VM is shared by the module; a test that changes its power state puts it back.
Every response is checked against the spec (the parent conftest's clients).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from e2e_helpers import unique_name, wait_until
from qemu_e2e_helpers import GUEST, UPLOAD_LIMIT, png_size, qemu_pids, sh

import vmkit
from vmkit.errors import (
    ExecTimeoutError,
    GuestFileNotFoundError,
    ImageNotFoundError,
    PayloadTooLargeError,
    ValidationError,
    VmkitError,
    VMStateError,
)
from vmkit_server.testing import RunningServer

BOOT = 120  # seconds a boot may take on a busy 2-core machine (TCG): a deadline, not a wait


@pytest.fixture(scope="module")
def shared(server: RunningServer) -> Iterator[str]:
    """The id of one running VM for the whole module."""
    with vmkit.Client(server.url, server.token) as client:
        vm = client.vms.create(unique_name("qguest"), **GUEST, start=True, wait=True)
        yield vm.id
        with contextlib.suppress(VmkitError):
            vm.delete(force=True, wait=True, wait_timeout=BOOT)


@pytest.fixture
def vm(client: vmkit.Client, shared: str) -> vmkit.VM:
    """The shared VM through this test's client, running (brought back if a test left it)."""
    vm = client.vms.get(shared)
    if vm.state in ("paused", "suspended"):
        vm.resume(wait=True, wait_timeout=BOOT)
    elif vm.state in ("stopped", "error"):
        vm.start(wait=True, wait_timeout=BOOT)
    return vm


def test_a_booted_vm_is_ready_and_runs_commands(vm: vmkit.VM) -> None:
    """argv runs as is, a string through sh with env; stdin, exit codes, stderr and the
    1 MiB output cap all come back."""
    assert ("running", True, "10.0.2.15") == (vm.state, vm.ready, vm.ip_addresses[0])
    assert vm.extra["accelerator"] in ("kvm", "tcg")
    assert "Linux\n" == vm.exec(["uname", "-s"], check=True).stdout
    assert "$HOME\n" == vm.exec(["echo", "$HOME"]).stdout  # no shell for an argv
    assert "/root vmkit\n" == vm.exec("echo $HOME $WHO", env={"WHO": "vmkit"}).stdout
    assert "piped" == vm.exec(["cat"], stdin="piped").stdout
    assert "" == vm.exec(["cat"]).stdout  # no input: EOF at once, not a hang
    failed = vm.exec("echo out; echo err >&2; exit 3")
    assert (3, "out\n", "err\n", False) == (
        failed.exit_code,
        failed.stdout,
        failed.stderr,
        failed.ok,
    )
    assert 127 == vm.exec(["no-such-command"]).exit_code
    big = vm.exec("head -c 1100000 /dev/zero | tr '\\0' a")
    assert (1 << 20, True, False) == (len(big.stdout), big.stdout_truncated, big.stderr_truncated)


def test_an_exec_timeout_kills_the_whole_command(vm: vmkit.VM) -> None:
    """504 EXEC_TIMEOUT, and neither the command nor its children outlive it."""
    with pytest.raises(ExecTimeoutError) as timed_out:
        vm.exec("sleep 1000 & exec sleep 1001", timeout_seconds=0.5)
    assert (504, "EXEC_TIMEOUT") == (timed_out.value.status, timed_out.value.code)
    left = "ps -o args | grep -c '^sleep 100[01]' || true"
    wait_until(lambda: sh(vm, left) == "0\n" or None, timeout=10, what="the command to be gone")


def test_files_round_trip_with_modes_and_clean_errors(vm: vmkit.VM) -> None:
    """Bytes and modes survive; a missing file or directory is 404, a bad path 422, too
    large either way 413."""
    blob = bytes(range(256)) * 5000
    assert len(blob) == vm.upload("/tmp/blob.bin", blob, mode=0o600)
    assert blob == vm.download("/tmp/blob.bin")
    vm.upload("/tmp/blob.bin", b"replaced")  # replacing keeps the mode
    vm.upload("/tmp/new.txt", "new")  # a new file gets 0644
    assert "600 8\n644 3\n" == sh(vm, "stat -c '%a %s' /tmp/blob.bin /tmp/new.txt")
    for missing in ("/tmp/never-written", "/tmp"):
        with pytest.raises(GuestFileNotFoundError):
            vm.download(missing)
    with pytest.raises(GuestFileNotFoundError):
        vm.upload("/no/such/dir/file", b"x")
    for bad in ("relative/path", "/tmp/../etc/passwd"):
        with pytest.raises(ValidationError) as invalid:
            vm.download(bad)
        assert "/path" == invalid.value.errors[0]["pointer"]
    with pytest.raises(PayloadTooLargeError):
        vm.upload("/tmp/huge.bin", b"x" * (UPLOAD_LIMIT + 1))
    assert "absent\n" == sh(vm, "test -e /tmp/huge.bin && echo present || echo absent")
    sh(vm, "truncate -s 65M /mnt/sparse.bin")  # past the server's 64 MiB download cap
    with pytest.raises(PayloadTooLargeError) as too_big:
        vm.download("/mnt/sparse.bin")
    assert 65 << 20 == too_big.value.problem["metadata"]["size_bytes"]


def test_the_console_reads_by_offset_and_takes_input(vm: vmkit.VM) -> None:
    """The boot log is there from offset 0; typed input runs in the serial shell and only
    what is new comes back from `next_offset`."""
    first = vm.console(max_bytes=1 << 20)
    assert (0, 0) == (first.offset, first.start_offset)
    assert "VMKIT-READY" in first.data
    end = first.next_offset
    assert len("echo console-$((6*7))\n") == vm.send_console("echo console-$((6*7))\n")

    def echoed() -> vmkit.ConsoleOutput | None:
        new = vm.console(offset=end)
        return new if "console-42" in new.data else None

    new = wait_until(echoed, timeout=10, what="the typed command's output")
    assert end == new.offset and "VMKIT-READY" not in new.data


def test_a_screenshot_is_a_valid_png(vm: vmkit.VM) -> None:
    """The VGA display comes back as a PNG whose chunks, CRCs and pixel rows all check."""
    shot = vm.screenshot()
    assert (shot.width, shot.height) == png_size(shot.data)
    assert shot.width >= 320 and shot.height >= 200


def test_resizing_a_running_vm_grows_what_the_guest_sees(vm: vmkit.VM) -> None:
    """Online growth reaches the block device and, through resize2fs, the file system."""
    target = vm.disk_gib + 1
    assert target == vm.resize_disk(target, wait=True).disk_gib
    assert f"{target << 30 >> 9}\n" == sh(vm, "cat /sys/block/vda/size")
    kib = int(sh(vm, "df -k /mnt | tail -1 | awk '{print $2}'"))
    assert kib > (target - 0.5) * (1 << 20)


def test_a_snapshot_restore_brings_a_file_back(client: vmkit.Client, vm: vmkit.VM) -> None:
    """Written, snapshot, changed, restored: the file reads as it was at the snapshot."""
    sh(vm, "echo one > /mnt/snap.txt; sync")
    snap = vm.snapshot(unique_name("file"), wait=True)
    sh(vm, "echo two > /mnt/snap.txt; sync")
    assert "two\n" == sh(vm, "cat /mnt/snap.txt")
    restored = client.snapshots.restore(vm, snap.id, wait=True)
    assert ("running", "one\n") == (restored.state, sh(restored, "cat /mnt/snap.txt"))
    client.snapshots.delete(vm, snap.id, wait=True)


def test_a_running_snapshot_restores_a_process_in_memory(
    client: vmkit.Client, vm: vmkit.VM
) -> None:
    """A process killed after the snapshot runs again, same pid, after the restore."""
    sh(vm, "setsid sh -c 'exec sleep 100000' </dev/null >/dev/null 2>&1 & echo $! > /tmp/held")
    pid = sh(vm, "cat /tmp/held").strip()
    snap = vm.snapshot(unique_name("ram"), wait=True)
    assert snap.includes_memory
    sh(vm, f"kill {pid}; rm /tmp/held")
    gone = f"test -d /proc/{pid} && echo alive || echo gone"  # init reaps it in a moment
    wait_until(lambda: sh(vm, gone) == "gone\n" or None, timeout=10, what="the process to go")
    restored = client.snapshots.restore(vm, snap.id, wait=True)
    assert f"{pid}\n" == sh(restored, "cat /tmp/held")
    assert "alive\n" == sh(restored, f"{gone}; kill {pid}")
    client.snapshots.delete(vm, snap.id, wait=True)


def test_suspend_and_resume_keep_a_counter_running(vm: vmkit.VM) -> None:
    """Suspend ends the process with RAM on disk; resume goes on counting from there."""
    step = "n=$((n+1)); echo $n > /tmp/count.new; mv /tmp/count.new /tmp/count"  # atomic
    counter = f"n=0; while :; do {step}; sleep 0.05; done"
    sh(vm, f"setsid sh -c '{counter}' </dev/null >/dev/null 2>&1 & echo $! > /tmp/counter")

    def count() -> int:
        return int(sh(vm, "cat /tmp/count 2>/dev/null || echo 0"))

    wait_until(lambda: count() > 1 or None, timeout=10, what="the counter to count")
    before = count()
    suspended = vm.suspend(wait=True)
    assert ("suspended", None) == (suspended.state, suspended.extra["pid"])
    resumed = vm.resume(wait=True)
    after = count()
    assert ("running", True) == (resumed.state, after >= before)
    wait_until(lambda: count() > after or None, timeout=10, what="the counter to go on")
    sh(vm, "kill $(cat /tmp/counter)")


def test_a_clone_boots_independently_of_its_source(client: vmkit.Client, vm: vmkit.VM) -> None:
    """The clone starts with the source's disk; after that neither sees the other's
    writes. Force-stop and delete leave no QEMU process of it."""
    sh(vm, "echo source > /mnt/who; sync")
    vm.pause(wait=True)
    clone = vm.clone(unique_name("clone"), start=True, wait=True, wait_timeout=BOOT)
    vm.resume(wait=True)
    try:
        assert ("running", True) == (clone.state, clone.ready)
        assert "source\n" == sh(clone, "cat /mnt/who")
        sh(clone, "echo clone > /mnt/who; sync")
        sh(vm, "echo changed > /mnt/who; sync")
        assert ("clone\n", "changed\n") == (sh(clone, "cat /mnt/who"), sh(vm, "cat /mnt/who"))
        assert clone.extra["pid"] != vm.refresh().extra["pid"]
        stopped = clone.force_stop(wait=True)
        assert ("stopped", "destroyed", []) == (
            stopped.state,
            stopped.state_reason,
            qemu_pids(clone.id),
        )
    finally:
        clone.delete(force=True, wait=True)


def test_a_stopped_vm_refuses_guest_calls_but_shows_its_console(client: vmkit.Client) -> None:
    """exec and screenshot on a VM that never booted are 409s; its console is empty."""
    stopped = client.vms.create(unique_name("stopped"), **GUEST, wait=True)
    try:
        with pytest.raises(VMStateError) as refused:
            stopped.exec(["true"])
        assert (409, "stopped", ["running"]) == (
            refused.value.status,
            refused.value.current_state,
            refused.value.allowed_from,
        )
        with pytest.raises(VMStateError):
            stopped.screenshot()
        console = stopped.console()
        assert ("", 0, 0) == (console.data, console.offset, console.next_offset)
    finally:
        stopped.delete(wait=True)


def test_images_list_the_test_guest_and_unknown_names_are_422(client: vmkit.Client) -> None:
    """The built test guest is the default image; a name that was never built is refused."""
    images = {image.name: image for image in client.images.list()}
    guest = images["vmkit/test-guest"]
    assert (True, "linux", "x86_64", 1) == (guest.default, guest.os, guest.arch, guest.disk_gib)
    assert guest.size_bytes is not None and guest.size_bytes > 1 << 20
    with pytest.raises(ImageNotFoundError) as unknown:
        client.vms.create(unique_name("noimage"), image="vmkit/never-built", **GUEST)
    assert "vmkit/test-guest" in unknown.value.problem["metadata"]["images"]
