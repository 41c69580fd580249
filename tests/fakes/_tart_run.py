"""The fake `tart run`, `tart stop` and `tart suspend`: a VM is running while its process lives.

As in the real Tart (`Commands/Run.swift`, `Stop.swift`, `Suspend.swift`):

- `run` stays in the foreground until the VM stops; it holds the lock on `config.json`.
  SIGINT (what `tart stop` sends) prints `Stopping VM...` and ends it; SIGUSR2 asks the
  guest to shut down (`Requesting guest OS to stop...`); SIGUSR1 (what `tart suspend`
  sends) saves the RAM to `state.vzvmsave` and ends, which works only for a macOS VM run
  with `--suspendable`: otherwise the process prints the failure and exits 1, taking the
  VM down with it. A suspended VM's next `run` restores it. At most two macOS VMs run at
  a time (Apple's limit).
- `stop` sends SIGINT, waits `--timeout` seconds (default 30), then SIGKILL; on a suspended
  VM it just discards the saved state; on a stopped one it fails (exit 2).
- `suspend` only sends SIGUSR1 and returns; for a VM that does not run it prints the real
  CLI's doubled message.

Fake-only knobs (environment of `tart run`): `TART_FAKE_BOOT_SECONDS` (0.05) until the guest
has booted (its DHCP lease, its agent), `TART_FAKE_SHUTDOWN_SECONDS` (0.05) a guest takes to
shut down when asked, `TART_FAKE_IGNORE_SHUTDOWN=1` a guest that ignores the request.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import sys
import time
from typing import Any

import _tart_guest as guest
import _tart_home as th
from _tart_home import TartError, UsageError

_TICK = 0.01


def _seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _lock(vm: th.VMDir) -> int | None:
    """Hold the run lock (a few tries: `tart list` probes it for a moment), or None."""
    fd = os.open(vm.config, os.O_RDONLY)
    deadline = time.monotonic() + 1.0
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError:
            if time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(_TICK)


def run(opts: dict[str, Any]) -> int:
    """`tart run NAME`: run the VM in the foreground until it stops."""
    name = opts["name"]
    if opts.get("graphics") and opts.get("no-graphics"):
        raise UsageError("--graphics and --no-graphics are mutually exclusive")
    vm = th.open_local(name)
    config = vm.load_config()
    suspendable = bool(opts.get("suspendable")) or vm.state() == "suspended"
    if suspendable and config["os"] != "darwin":
        raise UsageError("You can only suspend macOS VMs")
    others = [v for v in th.list_local() if v.name != vm.name and v.running()]
    if any(v.load_config()["macAddress"] == config["macAddress"] for v in others):
        print("There is already a running VM with the same MAC address!", flush=True)
        print("Resetting VM to assign a new MAC address...", flush=True)
        config["macAddress"] = th.random_mac()
        vm.saved_state.unlink(missing_ok=True)
        vm.save_config(config)
    fd = _lock(vm)
    if fd is None:
        raise TartError(f'VM "{name}" is already running!', 2)
    vm.pidfile.write_text(str(os.getpid()))
    darwin = [v.name for v in others if v.load_config()["os"] == "darwin"]
    if config["os"] == "darwin" and len(darwin) >= 2:
        hint = f" (other running VMs: {', '.join(v.name for v in others)})"
        print(f"The number of VMs exceeds the system limit{hint}", file=sys.stderr, flush=True)
        return 1
    return _Machine(vm, config, suspendable).run()


class _Machine:
    """One running VM: its signals, its guest's boot, its end."""

    def __init__(self, vm: th.VMDir, config: dict[str, Any], suspendable: bool) -> None:
        self.vm = vm
        self.config = config
        self.suspendable = suspendable
        self.pid = os.getpid()
        self.signals: list[int] = []
        self.shutdown_at: float | None = None
        self.info: dict[str, Any] = {"name": vm.name, "booted": False}
        # an empty disk (`tart create`) boots into EFI and never reaches the network
        self.has_os = bool(guest.read_guest(vm.disk).get("os"))

    def run(self) -> int:
        boot = _seconds("TART_FAKE_BOOT_SECONDS", 0.05)
        if self.vm.saved_state.exists():
            print("restoring VM state from a snapshot...", flush=True)
            self.vm.saved_state.unlink()
            print("resuming VM...", flush=True)
            boot = 0.0
        for signum in (signal.SIGINT, signal.SIGUSR1, signal.SIGUSR2):
            signal.signal(signum, lambda s, _f: self.signals.append(s))
        th.write_run_info(self.pid, self.info)
        boot_at = time.monotonic() + boot
        try:
            while True:
                code = self._step(boot_at)
                if code is not None:
                    return code
                time.sleep(_TICK)
        finally:
            th.run_file(self.pid).unlink(missing_ok=True)

    def _step(self, boot_at: float) -> int | None:
        now = time.monotonic()
        if self.has_os and not self.info["booted"] and now >= boot_at:
            self.info["booted"] = True
            self.info["ip"] = th.add_lease(self.config["macAddress"])
            th.write_run_info(self.pid, self.info)
        while self.signals:
            signum = self.signals.pop(0)
            if signum == signal.SIGINT:
                print("Stopping VM...", flush=True)
                return 0
            if signum == signal.SIGUSR1:
                return self._suspend()
            print("Requesting guest OS to stop...", flush=True)
            if os.environ.get("TART_FAKE_IGNORE_SHUTDOWN") != "1" and self.shutdown_at is None:
                self.shutdown_at = now + _seconds("TART_FAKE_SHUTDOWN_SECONDS", 0.05)
        if self.shutdown_at is not None and now >= self.shutdown_at:
            return 0
        if th.run_file(self.pid).with_suffix(".poweroff").exists():
            th.run_file(self.pid).with_suffix(".poweroff").unlink(missing_ok=True)
            return 0
        return None

    def _suspend(self) -> int:
        if not self.suspendable:
            print(
                "Failed to suspend the VM: The virtual machine configuration does not "
                "support saving and restoring its state.",
                flush=True,
            )
            return 1
        print("pausing VM to take a snapshot...", flush=True)
        print("creating a snapshot...", flush=True)
        try:
            self.vm.saved_state.write_text(json.dumps({"booted": self.info["booted"]}))
        except OSError as exc:
            print(f"Failed to suspend the VM: {exc}", flush=True)
            return 1
        print("snapshot created successfully! shutting down the VM...", flush=True)
        return 0


def stop(opts: dict[str, Any]) -> int:
    """`tart stop NAME [--timeout N]`."""
    name = opts["name"]
    vm = th.open_local(name)
    state = vm.state()
    if state == "suspended":
        vm.saved_state.unlink(missing_ok=True)
        return 0
    pid = vm.pid()
    if state == "stopped" or not pid:
        raise th.not_running(name)
    _kill(pid, signal.SIGINT)
    deadline = time.monotonic() + int(opts.get("timeout", 30))
    while time.monotonic() < deadline:
        if not vm.running():
            return 0
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as exc:
        raise TartError(f'failed to forcefully terminate the VM "{name}": {exc.strerror}') from exc
    return 0


def suspend(opts: dict[str, Any]) -> int:
    """`tart suspend NAME`: signal the run process and return."""
    name = opts["name"]
    vm = th.open_local(name)
    pid = vm.pid()
    if not pid:
        # the real CLI wraps an already complete message in VMNotRunning's own wording
        raise TartError(f'VM "VM "{name}" is not running" is not running', 2)
    try:
        os.kill(pid, signal.SIGUSR1)
    except OSError as exc:
        raise TartError(
            f'Failed to suspend the VM: failed to send SIGUSR1 signal to the "tart run" '
            f'process running VM "{name}"'
        ) from exc
    return 0


def _kill(pid: int, signum: int) -> None:
    with contextlib.suppress(OSError):  # already on its way out: the real `tart stop` ignores it
        os.kill(pid, signum)


def request_poweroff(vm: th.VMDir) -> None:
    """The guest of the running `vm` powers itself off (its run process then ends)."""
    pid = vm.pid()
    if pid:
        th.run_file(pid).with_suffix(".poweroff").touch()


def guest_booted(vm: th.VMDir) -> bool:
    """True once the running `vm`'s guest has booted."""
    info = th.run_info(vm)
    return bool(info and info.get("booted"))


__all__ = ["guest_booted", "request_poweroff", "run", "stop", "suspend"]
