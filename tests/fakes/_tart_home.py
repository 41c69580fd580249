"""The fake Tart's storage: `$TART_HOME`, VM directories, run locks, DHCP leases.

Laid out as the real Tart lays it out (cirruslabs/tart `Config.swift`, `VMDirectory.swift`,
`VMStorageLocal.swift`): `vms/<name>/{config.json,disk.img,nvram.bin}`, `state.vzvmsave`
while suspended, `tmp/` for work in progress.

What the real Tart learns from the system and the fake keeps in files of its own, all under
`$TART_HOME` so tests stay apart:

- a VM runs while a `tart run` process holds an exclusive lock on its `config.json` (the real
  one uses fcntl locks and asks the lock for the holder's pid; the fake uses flock and writes
  the pid next to the config, in `.fake-run-pid`, trusted only while the lock is held);
- `.fake-runs/<pid>.json` is what a running VM's guest is doing (booted or not);
- `.fake-dhcpd_leases.json` stands for macOS's `/var/db/dhcpd_leases`: a lease outlives the
  VM's run, as the real one does, so `tart ip` answers for a stopped VM too.

The registry and the OCI cache (`cache/OCIs`) are in `_tart_oci`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import random
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import _tart_guest as guest

GB = 1000**3
MIB = 1024**2
#: The smallest memory Virtualization.framework accepts.
MIN_MEMORY = 128 * MIB


class TartError(Exception):
    """An error the real CLI prints as is, with its exit code (a `RuntimeError` there)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class GenericError(TartError):
    """Any other error: ArgumentParser prints `Error: <message>` and exits 1."""


class UsageError(TartError):
    """A `ValidationError`: `Error: <message>`, the usage, exit 64."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 64)


def does_not_exist(name: str) -> TartError:
    """`RuntimeError.VMDoesNotExist`."""
    return TartError(f'the specified VM "{name}" does not exist', 2)


def not_running(name: str) -> TartError:
    """`RuntimeError.VMNotRunning`."""
    return TartError(f'VM "{name}" is not running', 2)


def home() -> Path:
    """`$TART_HOME` (default `~/.tart`), with its `cache` and `tmp` folders made."""
    custom = os.environ.get("TART_HOME")
    base = Path(custom) if custom else Path.home() / ".tart"
    for sub in ("cache", "tmp"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    return base


def random_mac() -> str:
    """A random locally administered unicast MAC address."""
    octets = [random.randrange(256) for _ in range(6)]
    octets[0] = (octets[0] & 0xFC) | 0x02
    return ":".join(f"{o:02x}" for o in octets)


def ip_for(mac: str) -> str:
    """The address the fake DHCP server hands the MAC `mac`."""
    return f"192.168.64.{2 + int(hashlib.sha256(mac.encode()).hexdigest(), 16) % 250}"


def new_config(os_name: str, cpu: int, memory: int, mac: str | None = None) -> dict[str, Any]:
    """A `config.json` as `VMConfig` encodes it (`memory` in bytes)."""
    config: dict[str, Any] = {
        "version": 1,
        "os": os_name,
        "arch": "arm64",
        "cpuCountMin": cpu,
        "cpuCount": cpu,
        "memorySizeMin": memory,
        "memorySize": memory,
        "macAddress": mac or random_mac(),
        "display": {"width": 1024, "height": 768},
        "diskFormat": "raw",
    }
    if os_name == "darwin":
        config["ecid"] = "AAAAAAAAAAA="
        config["hardwareModel"] = "YnBsaXN0MDDTAQIDBAUGXxAZRGF0YVJlcHJlc2VudGF0aW9uVmVyc2lvbg=="
    return config


@dataclass(frozen=True)
class VMDir:
    """One VM's directory (local, or an image in the OCI cache)."""

    base: Path

    @property
    def name(self) -> str:
        """The directory's name."""
        return self.base.name

    @property
    def config(self) -> Path:
        """`config.json` (also the run lock)."""
        return self.base / "config.json"

    @property
    def disk(self) -> Path:
        """`disk.img`."""
        return self.base / "disk.img"

    @property
    def nvram(self) -> Path:
        """`nvram.bin`."""
        return self.base / "nvram.bin"

    @property
    def saved_state(self) -> Path:
        """`state.vzvmsave`: the RAM of a suspended VM."""
        return self.base / "state.vzvmsave"

    @property
    def pidfile(self) -> Path:
        """Where the fake's `tart run` writes its pid."""
        return self.base / ".fake-run-pid"

    @property
    def initialized(self) -> bool:
        """True when config, disk and NVRAM are all there."""
        return self.config.is_file() and self.disk.is_file() and self.nvram.is_file()

    def validate(self, friendly: str) -> None:
        """Raise as `VMDirectory.validate` does for a missing or broken VM."""
        if not self.base.exists():
            raise does_not_exist(friendly)
        if not self.initialized:
            raise TartError("VM is missing some of its files (config.json, disk.img or nvram.bin)")

    def running(self) -> bool:
        """True while a `tart run` process holds the lock on `config.json`."""
        try:
            fd = os.open(self.config, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            return exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)
        finally:
            os.close(fd)
        return False

    def pid(self) -> int:
        """The running `tart run` process's pid, 0 when the VM does not run."""
        if not self.running():
            return 0
        try:
            return int(self.pidfile.read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def state(self) -> str:
        """`running`, `suspended` or `stopped`, decided as the real Tart decides it."""
        if self.running():
            return "running"
        if self.saved_state.exists():
            return "suspended"
        return "stopped"

    def load_config(self) -> dict[str, Any]:
        """The parsed `config.json`."""
        loaded: dict[str, Any] = json.loads(self.config.read_text())
        return loaded

    def save_config(self, config: dict[str, Any]) -> None:
        """Rewrite `config.json` in place (its inode carries the run lock)."""
        data = json.dumps(config, indent=2).encode()
        with open(self.config, "r+b") as f:
            f.truncate(0)
            f.write(data)

    def size_bytes(self) -> int:
        """Apparent size of config, disk and NVRAM."""
        return sum(p.stat().st_size for p in (self.config, self.disk, self.nvram))

    def allocated_bytes(self) -> int:
        """Space config, disk and NVRAM take on the host."""
        return sum(p.stat().st_blocks * 512 for p in (self.config, self.disk, self.nvram))

    def touch(self) -> None:
        """Update the access date, as opening a VM does."""
        with contextlib.suppress(OSError):
            os.utime(self.base, (time.time(), self.base.stat().st_mtime))

    def accessed(self) -> str:
        """The access date in ISO 8601, as `tart list --format json` prints it."""
        stamp = datetime.fromtimestamp(self.base.stat().st_atime, tz=UTC)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")

    def copy_to(self, target: VMDir) -> None:
        """Copy config, NVRAM, disk (sparse, the way APFS clones) and saved state."""
        target.base.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.config, target.config)
        shutil.copyfile(self.nvram, target.nvram)
        guest.copy_disk(self.disk, target.disk)
        if self.saved_state.exists():
            shutil.copyfile(self.saved_state, target.saved_state)


def make_vm(base: Path, config: dict[str, Any], disk_gb: int, contents: dict[str, Any]) -> VMDir:
    """Write a complete VM directory at `base`."""
    vm = VMDir(base)
    base.mkdir(parents=True, exist_ok=True)
    vm.config.write_text(json.dumps(config, indent=2))
    vm.nvram.write_bytes(b"\0" * 64)
    guest.new_disk(vm.disk, disk_gb * GB, contents)
    return vm


def temporary() -> VMDir:
    """A fresh directory under `tmp/` to build a VM in."""
    base = home() / "tmp" / str(uuid.uuid4()).upper()
    base.mkdir()
    return VMDir(base)


# -- local VMs ------------------------------------------------------------------------------


def vms_dir() -> Path:
    """`$TART_HOME/vms`."""
    return home() / "vms"


def local(name: str) -> VMDir:
    """The directory a local VM called `name` has (or would have)."""
    return VMDir(vms_dir() / name)


def open_local(name: str) -> VMDir:
    """`VMStorageLocal.open`: the VM, which must exist; its access date is updated."""
    vm = local(name)
    vm.validate(name)
    vm.touch()
    return vm


def move_into_place(name: str, source: VMDir) -> None:
    """`VMStorageLocal.move`: replaces any VM of that name without asking, as Tart does."""
    vms_dir().mkdir(parents=True, exist_ok=True)
    target = local(name).base
    if target.exists():
        shutil.rmtree(target)
    os.replace(source.base, target)


def list_local() -> list[VMDir]:
    """Every complete local VM, sorted by name."""
    root = vms_dir()
    if not root.is_dir():
        return []
    return sorted((VMDir(p) for p in root.iterdir() if VMDir(p).initialized), key=lambda v: v.name)


# -- what a running VM's guest does -----------------------------------------------------------


def run_file(pid: int) -> Path:
    """Where the run process `pid` records its guest's progress."""
    return home() / ".fake-runs" / f"{pid}.json"


def run_info(vm: VMDir) -> dict[str, Any] | None:
    """What the running VM's guest is doing (`booted`, ...), or None if it does not run."""
    pid = vm.pid()
    if not pid:
        return None
    try:
        info: dict[str, Any] = json.loads(run_file(pid).read_text())
    except (OSError, ValueError):
        return {}
    return info


def write_run_info(pid: int, info: dict[str, Any]) -> None:
    """Record (atomically) what the run process `pid`'s guest is doing."""
    path = run_file(pid)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(info))
    os.replace(tmp, path)


def leases() -> dict[str, str]:
    """MAC address → IP address, every lease handed out so far."""
    path = home() / ".fake-dhcpd_leases.json"
    try:
        loaded: dict[str, str] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return loaded


def add_lease(mac: str) -> str:
    """Hand `mac` its address (kept after the VM stops, like a real DHCP lease)."""
    path = home() / ".fake-dhcpd_leases.json"
    with _locked(home() / ".fake-dhcpd.lock"):
        current = leases()
        current[mac] = ip_for(mac)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(current))
        os.replace(tmp, path)
    return current[mac]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield
