"""The fake `tart` against the real CLI: its JSON, its messages, its exit codes, its quirks."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from tart_helpers import MACOS, UBUNTU, FakeTart, fake_tart


@pytest.fixture
def tart(tmp_path: Path) -> Iterator[FakeTart]:
    """A fake `tart` with an empty `TART_HOME`."""
    yield from fake_tart(tmp_path)


def test_version_and_empty_list(tart: FakeTart) -> None:
    """`--version` prints a version; an empty JSON list is Swift's `[\\n\\n]`."""
    assert tart.ok("--version").strip()
    assert "[\n\n]\n" == tart.ok("list", "--format", "json")


def test_create_linux_get_and_list_shapes(tart: FakeTart) -> None:
    """`tart get`/`tart list` print the real CLI's fields, pretty-printed as Swift does."""
    tart.ok("create", "--linux", "--disk-size", "10", "lin")
    raw = tart.ok("get", "lin", "--format", "json")
    assert '"OS" : "linux"' in raw
    info = tart.json("get", "lin")
    expected = ["OS", "CPU", "Memory", "Disk", "DiskFormat", "Size", "Display", "Running", "State"]
    assert expected == list(info)
    assert (4, 4096, 10, "stopped", False) == (
        info["CPU"], info["Memory"], info["Disk"], info["State"], info["Running"],
    )  # fmt: skip
    assert isinstance(info["Size"], str)
    rows = tart.json("list")
    assert ["Source", "Name", "Disk", "Size", "Accessed", "Running", "State"] == list(rows[0])
    assert ("local", "lin") == (rows[0]["Source"], rows[0]["Name"])


def test_usage_errors_exit_64_with_usage(tart: FakeTart) -> None:
    """Refused arguments: `Error: ...`, the usage, exit 64."""
    done = tart("create", "x")
    assert 64 == done.returncode
    assert done.stderr.startswith("Error: Please specify either a --from-ipsw or --linux option!")
    assert "Usage: tart create" in done.stderr
    assert 64 == tart("get", "x", "--bogus").returncode
    assert 64 == tart("list", "--source", "nowhere").returncode


@pytest.mark.parametrize("command", ["get", "stop", "ip", "set", "run", "delete", "suspend"])
def test_unknown_vm_is_exit_2(tart: FakeTart, command: str) -> None:
    """Every command on a missing VM: `the specified VM "x" does not exist`, exit 2."""
    done = tart(command, "ghost")
    assert (2, 'the specified VM "ghost" does not exist\n') == (done.returncode, done.stderr)


def test_pull_and_clone_from_the_fake_registry(tart: FakeTart) -> None:
    """Pulling caches the image (tag → digest); cloning makes a local VM of its size."""
    out = tart.ok("pull", UBUNTU)
    assert "pulling disk" in out and "100%" in out
    names = [row["Name"] for row in tart.json("list", "--source", "oci")]
    assert UBUNTU in names and any("@sha256:" in n for n in names)
    assert '"Name" : "ghcr.io\\/cirruslabs' in tart.ok(
        "list", "--source", "oci", "--format", "json"
    )
    tart.ok("clone", UBUNTU, "u")
    assert (20, "linux") == (tart.json("get", "u")["Disk"], tart.json("get", "u")["OS"])
    unknown = tart("pull", "ghcr.io/cirruslabs/nothing:latest")
    assert 1 == unknown.returncode and "MANIFEST_UNKNOWN" in unknown.stderr
    assert 2 == tart("clone", "nothing-local", "v").returncode


def test_create_and_clone_replace_a_vm_silently(tart: FakeTart) -> None:
    """Like the real Tart, `create` and `clone` overwrite a VM of the same name."""
    tart.ok("create", "--linux", "--disk-size", "10", "same")
    tart.ok("clone", UBUNTU, "same")
    assert 20 == tart.json("get", "same")["Disk"]


def test_run_stop_and_the_stale_lease(tart: FakeTart) -> None:
    """Running while `tart run` lives; `tart stop` ends it; `tart ip` still answers after."""
    tart.ok("clone", UBUNTU, "u")
    proc = tart.popen_run("u", "--no-graphics")
    try:
        tart.wait_state("u", "running")
        assert 2 == tart("run", "u").returncode  # already running
        assert 'VM "u" is running' in tart("delete", "u").stderr
        address = tart("ip", "u", "--wait", "5").stdout.strip()
        assert address.startswith("192.168.64.")
        tart.ok("stop", "u")
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (0, "stopped") == (proc.returncode, tart.state("u"))
    assert "Stopping VM..." in out
    assert address == tart.ok("ip", "u").strip()  # a DHCP lease outlives the run
    done = tart("stop", "u")
    assert (2, 'VM "u" is not running\n') == (done.returncode, done.stderr)


def test_sigusr2_asks_the_guest(tart: FakeTart) -> None:
    """SIGUSR2 to `tart run` asks the guest to shut down; it exits 0 without `Stopping VM`."""
    tart.ok("clone", UBUNTU, "u")
    proc = tart.popen_run("u", "--no-graphics")
    try:
        tart.wait_state("u", "running")
        proc.send_signal(signal.SIGUSR2)
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert 0 == proc.returncode
    assert "Requesting guest OS to stop..." in out and "Stopping VM..." not in out


def test_suspend_macos_then_restore(tart: FakeTart) -> None:
    """A macOS VM run with --suspendable suspends to disk, and its next run restores it."""
    tart.ok("clone", MACOS, "mac")
    proc = tart.popen_run("mac", "--no-graphics", "--suspendable")
    try:
        tart.wait_state("mac", "running")
        tart.ok("suspend", "mac")
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (0, "suspended") == (proc.returncode, tart.state("mac"))
    assert "snapshot created successfully" in out
    tart.ok("stop", "mac")  # a suspended VM: stop discards the saved state
    assert "stopped" == tart.state("mac")


def test_suspending_linux_ends_the_vm(tart: FakeTart) -> None:
    """The real quirk: a failed suspend ends `tart run` with status 1; the VM is stopped."""
    tart.ok("clone", UBUNTU, "u")
    assert 64 == tart("run", "u", "--suspendable").returncode
    proc = tart.popen_run("u", "--no-graphics")
    try:
        tart.wait_state("u", "running")
        assert 0 == tart("suspend", "u").returncode
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (1, "stopped") == (proc.returncode, tart.state("u"))
    assert "Failed to suspend the VM" in out
    done = tart("suspend", "u")
    assert (2, 'VM "VM "u" is not running" is not running\n') == (done.returncode, done.stderr)


def test_two_macos_vms_at_most(tart: FakeTart) -> None:
    """Apple's limit: a third macOS VM does not start."""
    procs = []
    try:
        for name in ("m1", "m2", "m3"):
            tart.ok("clone", MACOS, name)
        for name in ("m1", "m2"):
            procs.append(tart.popen_run(name, "--no-graphics"))
            tart.wait_state(name, "running")
        third = tart("run", "m3", "--no-graphics")
    finally:
        tart.stop_everything()
        for proc in procs:
            proc.communicate(timeout=10)
    assert 1 == third.returncode
    assert "The number of VMs exceeds the system limit" in third.stderr


def test_set_rename_and_their_refusals(tart: FakeTart) -> None:
    """`set` enforces minimums and only grows disks; `rename` refuses taken names."""
    tart.ok("clone", MACOS, "mac")
    done = tart("set", "mac", "--cpu", "2")
    assert 1 == done.returncode and "LessThanMinimalResourcesError" in done.stderr
    tart.ok("create", "--linux", "--disk-size", "10", "lin")
    tart.ok("set", "lin", "--cpu", "1", "--memory", "512", "--disk-size", "12")
    info = tart.json("get", "lin")
    assert (1, 512, 12) == (info["CPU"], info["Memory"], info["Disk"])
    shrink = tart("set", "lin", "--disk-size", "5")
    assert 1 == shrink.returncode and "should be larger" in shrink.stderr
    taken = tart("rename", "lin", "mac")
    assert 64 == taken.returncode and "already exists" in taken.stderr
    assert 64 == tart("rename", "ghost", "x").returncode
    tart.ok("rename", "lin", "linux-2")
    assert ["linux-2", "mac"] == [r["Name"] for r in tart.json("list", "--source", "local")]


def test_exec_needs_a_running_vm_with_the_agent(tart: FakeTart) -> None:
    """`tart exec` runs commands through the agent; an empty VM has none."""
    tart.ok("clone", UBUNTU, "u")
    tart.ok("create", "--linux", "--disk-size", "10", "empty")
    assert 'VM "u" is not running\n' == tart("exec", "u", "true").stderr
    procs = [tart.popen_run("u", "--no-graphics"), tart.popen_run("empty", "--no-graphics")]
    try:
        tart.wait_state("u", "running")
        tart.wait_state("empty", "running")
        tart("ip", "u", "--wait", "5")
        done = tart("exec", "u", "sh", "-c", "echo hi; exit 3")
        assert (3, "hi\n") == (done.returncode, done.stdout)
        no_agent = tart("exec", "empty", "true")
        assert 1 == no_agent.returncode
        assert "is the Tart Guest Agent running?" in no_agent.stderr
        assert 1 == tart("ip", "empty").returncode  # an empty disk never reaches the network
    finally:
        tart.stop_everything()
        for proc in procs:
            proc.communicate(timeout=10)
