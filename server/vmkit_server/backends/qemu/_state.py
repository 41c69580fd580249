"""What the QEMU backend remembers about each VM: one `vm.json` per VM directory.

Layout under the backend's directory::

    images/<name>/<hash>/       imported images (kernel, initramfs, base disk; immutable)
    layers/<id>.qcow2           frozen disk layers shared by clones and snapshots (immutable)
    vms/<vm id>/vm.json         this record
    vms/<vm id>/disk.qcow2      the VM's own writable top layer (never anyone's backing file)
    vms/<vm id>/state.bin       RAM saved by suspend
    vms/<vm id>/snapshots/      RAM of memory snapshots (`<snapshot id>.mem`)
    vms/<vm id>/serial.log      the serial console, across boots (old output punched out)
    vms/<vm id>/serial.start    the oldest byte offset of serial.log still kept
    vms/<vm id>/qemu.pid        QEMU's pidfile; qemu.log and the sockets sit beside it
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..base import PowerState

__all__ = ["SnapRecord", "VMPaths", "VMRecord", "load_record", "save_record", "socket_dir"]

_FORMAT = 1
# sun_path holds 108 bytes; keep a margin for the longest socket name.
_MAX_SOCKET_PATH = 100


@dataclass
class SnapRecord:
    """One snapshot.

    Attributes:
        layer: The frozen disk layer it points at.
        includes_memory: True if RAM was saved (`snapshots/<id>.mem`).
        cpus: CPUs at the time (restored with it; RAM state needs the same machine).
        memory_mib: RAM at the time.
        disk_bytes: The disk's virtual size at the time.
    """

    layer: str
    includes_memory: bool
    cpus: int
    memory_mib: int
    disk_bytes: int


@dataclass
class VMRecord:
    """One VM as the backend knows it.

    Attributes:
        id: Its id.
        name: Its name.
        cpus: Virtual CPUs.
        memory_mib: RAM in MiB.
        disk_bytes: The disk's virtual size.
        image: The image's name.
        image_dir: The imported image it boots from.
        power: The power state last set by the backend (`observe` checks the process).
        reason: Why it is in that state.
        pid: The QEMU process while one runs.
        accel: The accelerator of that process.
        sock_dir: Where its sockets live (short path).
        boots: Cold boots so far.
        log_mark: The serial log's size when the current (or last) process started: what
            that process printed lies beyond it.
        ip_addresses: The guest's addresses, last seen.
        snapshots: Its snapshots by id, in creation order.
    """

    id: str
    name: str
    cpus: int
    memory_mib: int
    disk_bytes: int
    image: str
    image_dir: str
    power: PowerState = PowerState.STOPPED
    reason: str | None = "created"
    pid: int | None = None
    accel: str | None = None
    sock_dir: str = ""
    boots: int = 0
    log_mark: int = 0
    ip_addresses: list[str] = field(default_factory=list)
    snapshots: dict[str, SnapRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"format": _FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> VMRecord:
        """The record `to_json` wrote.

        Raises:
            ValueError: Not a record of this format.
        """
        if raw.pop("format", None) != _FORMAT:
            raise ValueError("not a QEMU backend VM record of format 1")
        snaps = {sid: SnapRecord(**s) for sid, s in raw.pop("snapshots", {}).items()}
        return cls(**{**raw, "power": PowerState(raw["power"]), "snapshots": snaps})


@dataclass(frozen=True)
class VMPaths:
    """The files of one VM.

    Args:
        root: The VM's directory.
        sock_dir: Where its unix sockets live.
    """

    root: Path
    sock_dir: Path

    @property
    def record(self) -> Path:
        """`vm.json`."""
        return self.root / "vm.json"

    @property
    def disk(self) -> Path:
        """The writable top layer."""
        return self.root / "disk.qcow2"

    @property
    def saved_ram(self) -> Path:
        """RAM saved by suspend."""
        return self.root / "state.bin"

    @property
    def serial_log(self) -> Path:
        """The serial console's log."""
        return self.root / "serial.log"

    @property
    def serial_start(self) -> Path:
        """The oldest byte offset of the serial log still kept (absent: 0)."""
        return self.root / "serial.start"

    @property
    def qemu_log(self) -> Path:
        """QEMU's own stderr."""
        return self.root / "qemu.log"

    @property
    def pidfile(self) -> Path:
        """QEMU's pidfile."""
        return self.root / "qemu.pid"

    @property
    def qmp(self) -> Path:
        """The QMP socket."""
        return self.sock_dir / "qmp.sock"

    @property
    def agent(self) -> Path:
        """The guest agent's socket."""
        return self.sock_dir / "qga.sock"

    @property
    def serial(self) -> Path:
        """The serial console's socket (attach a shell here for debugging)."""
        return self.sock_dir / "serial.sock"

    def snapshot_ram(self, snapshot_id: str) -> Path:
        """Where a memory snapshot's RAM lives."""
        return self.root / "snapshots" / f"{snapshot_id}.mem"


def socket_dir(vm_dir: Path) -> Path:
    """The VM's own directory if socket paths fit there, else a short per-user one in /tmp.

    Args:
        vm_dir: The VM's directory (absolute).

    Returns:
        A directory whose `serial.sock` path fits in a unix socket address.
    """
    digest = hashlib.sha256(str(vm_dir).encode()).hexdigest()[:20]
    short = f"vmkit-{os.getuid()}/{digest}"
    # $TMPDIR can itself be deep (a test's tmp_path): /tmp always fits
    for candidate in (vm_dir, Path(tempfile.gettempdir()) / short, Path("/tmp") / short):
        if len(str(candidate / "serial.sock")) <= _MAX_SOCKET_PATH:
            return candidate
    raise AssertionError("unreachable: /tmp/vmkit-<uid>/<digest> always fits")


def save_record(path: Path, record: VMRecord) -> None:
    """Write `record` to `path` atomically (tmp + fsync + replace).

    Args:
        path: The `vm.json` path (its directory must exist).
        record: The record.
    """
    tmp = path.with_suffix(".json.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(record.to_json(), fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_record(path: Path) -> VMRecord:
    """The record `save_record` wrote.

    Raises:
        OSError: It cannot be read.
        ValueError: It is not a record this version understands.
    """
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path} is not a VM record")
    return VMRecord.from_json(raw)
