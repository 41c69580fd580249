"""The simulated hypervisor's memory: VM records, deterministic addresses, atomic persistence."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .base import Observation, PowerState, VMSpec

__all__ = ["CONSOLE_LINES", "SimSnapshot", "SimVM", "StateFile", "load_state", "pick_lease"]

#: How many console lines each VM keeps (the tail is evidence in errors).
CONSOLE_LINES = 20
#: Leases map to 10.0.X.Y with X.Y in [0.2, 255.254]: enough for any simulated fleet.
_LEASES = 255 * 256 - 2
_STATE_FILE = "simulated.json"
_FORMAT = 1


@dataclass
class SimSnapshot:
    """One snapshot of a simulated VM.

    Attributes:
        includes_memory: True if RAM was saved (restoring resumes the guest).
        size_bytes: Its simulated size.
        power: The power state it was taken in.
        cpus: CPUs at the time (restored with it).
        memory_mib: RAM at the time (restored with it).
        boot_count: Boots so far at the time.
    """

    includes_memory: bool
    size_bytes: int
    power: PowerState
    cpus: int
    memory_mib: int
    boot_count: int


@dataclass
class SimVM:
    """One simulated VM.

    Attributes:
        id: Its id.
        name: Its name.
        cpus: Virtual CPUs.
        memory_mib: RAM in MiB.
        disk_gib: Disk in GiB.
        image: Its image.
        labels: Its labels.
        lease: Index of its deterministic address (kept for its lifetime).
        power: Its power state.
        reason: Why it is in that state.
        boot_count: How many times it booted (shown in `extra`).
        snapshots: Its snapshots by id.
        console: The last lines of its serial console.
        console_dropped: How many bytes of console output were dropped before `console`
            (the byte offset its first line starts at).
    """

    id: str
    name: str
    cpus: int
    memory_mib: int
    disk_gib: int
    image: str | None
    labels: dict[str, str]
    lease: int
    power: PowerState = PowerState.STOPPED
    reason: str | None = "created"
    boot_count: int = 0
    snapshots: dict[str, SimSnapshot] = field(default_factory=dict)
    console: list[str] = field(default_factory=list)
    console_dropped: int = 0

    @classmethod
    def from_spec(cls, spec: VMSpec, lease: int, *, reason: str) -> SimVM:
        """A new stopped VM for `spec`."""
        return cls(
            id=spec.id,
            name=spec.name,
            cpus=spec.cpus,
            memory_mib=spec.memory_mib,
            disk_gib=spec.disk_gib,
            image=spec.image,
            labels=dict(spec.labels),
            lease=lease,
            reason=reason,
        )

    @property
    def ip_address(self) -> str:
        """The address its lease maps to."""
        n = self.lease + 2
        return f"10.0.{n // 256}.{n % 256}"

    def set_power(self, power: PowerState, reason: str) -> None:
        """Move to `power` for `reason`, noting it on the console."""
        self.power = power
        self.reason = reason
        self.say(f"[{power}] {reason}")

    def say(self, line: str) -> None:
        """Append a console line, keeping only the last `CONSOLE_LINES`."""
        self.console.append(line)
        dropped = self.console[:-CONSOLE_LINES]
        self.console_dropped += sum(len(old.encode()) + 1 for old in dropped)
        del self.console[:-CONSOLE_LINES]

    def observation(self) -> Observation:
        """What the hypervisor reports: addresses while powered, ready only while running."""
        powered = self.power in (PowerState.RUNNING, PowerState.PAUSED)
        return Observation(
            state=self.power,
            reason=self.reason,
            ip_addresses=(self.ip_address,) if powered else (),
            ready=self.power is PowerState.RUNNING,
            extra={"boot_count": self.boot_count, "snapshots": len(self.snapshots)},
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SimVM:
        """The VM `to_json` wrote."""
        snaps = {
            sid: SimSnapshot(**{**s, "power": PowerState(s["power"])})
            for sid, s in raw.get("snapshots", {}).items()
        }
        return cls(**{**raw, "power": PowerState(raw["power"]), "snapshots": snaps})


def pick_lease(seed: int, vm_id: str, taken: set[int]) -> int:
    """A deterministic address index for `vm_id`, probing past those already `taken`.

    Args:
        seed: The backend's seed.
        vm_id: The VM's id.
        taken: Indexes other VMs hold.

    Returns:
        An index in `[0, 65278)` not in `taken`.

    Raises:
        RuntimeError: Every address is taken.
    """
    digest = hashlib.sha256(f"{seed}:{vm_id}".encode()).digest()
    start = int.from_bytes(digest[:8], "big") % _LEASES
    for step in range(_LEASES):
        candidate = (start + step) % _LEASES
        if candidate not in taken:
            return candidate
    raise RuntimeError("the simulated network has no free address left")


class StateFile:
    """Writes every VM to `state_dir/simulated.json` atomically (tmp + replace).

    Each VM's JSON is kept between saves and only the VMs said to have changed are
    serialised again: re-serialising a fleet of 800 on every change cost ~40 ms on the
    event loop, which set the server's p99 under load (measured by bench/load.py); joining
    the kept strings costs ~1 ms.

    The file must survive the server process being killed (as daemonized QEMU would), not
    the machine losing power: the rename is atomic for a killed process, so there is no
    fsync.

    Args:
        state_dir: The directory (created on the first save).
    """

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._json: dict[str, str] = {}

    def save(self, vms: dict[str, SimVM], changed: Iterable[SimVM]) -> None:
        """Write `vms`, re-serialising the `changed` ones (and any not written before).

        Args:
            vms: Every VM by id, in the order to write them.
            changed: The VMs whose fields changed since the last save; a VM removed from
                `vms` needs no mention.
        """
        for vm in changed:
            if vm.id in vms:
                self._json[vm.id] = _dump(vm)
        for gone in self._json.keys() - vms.keys():
            del self._json[gone]
        parts = []
        for vm_id, vm in vms.items():
            text = self._json.get(vm_id)
            if text is None:
                text = self._json[vm_id] = _dump(vm)
            parts.append(text)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        target = self.state_dir / _STATE_FILE
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(f'{{"format":{_FORMAT},"vms":[{",".join(parts)}]}}', encoding="utf-8")
        os.replace(tmp, target)


def _dump(vm: SimVM) -> str:
    return json.dumps(vm.to_json(), separators=(",", ":"))


def load_state(state_dir: Path) -> dict[str, SimVM]:
    """The VMs `save_state` wrote to `state_dir`, or none if it never wrote.

    Args:
        state_dir: The directory.

    Returns:
        The VMs by id, in the order they were saved.

    Raises:
        ValueError: The file is not a state file this version understands.
    """
    path = state_dir / _STATE_FILE
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
        raise ValueError(f"{path} is not a simulated backend state file (format {_FORMAT})")
    vms = [SimVM.from_json(item) for item in raw["vms"]]
    return {vm.id: vm for vm in vms}
