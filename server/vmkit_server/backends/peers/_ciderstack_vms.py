"""CiderStack's VMs read as vmkit sees them: states, reasons, sizes and valid names.

CiderStack reports six states (`stopped`, `starting`, `running`, `paused`, `stopping`,
`error`; the vendor SDK's `VMState`). `starting` and `stopping` have vCPUs, so they read as
`running` with that word as the reason; anything else reads as `unknown`, never a guess.
The raw state is always in `Observation.extra["ciderstack_state"]`.
"""

from __future__ import annotations

import re
from typing import Any

from vmkit.peers.ciderstack.models import VM
from vmkit.peers.ciderstack.types import Unset

from ..base import Observation, PowerState

__all__ = ["POWER", "REASONS", "observation", "sizes", "vmkit_name"]

P = PowerState
#: CiderStack's state → vmkit's power state.
POWER: dict[str, PowerState] = {
    "stopped": P.STOPPED,
    "starting": P.RUNNING,
    "running": P.RUNNING,
    "stopping": P.RUNNING,
    "paused": P.PAUSED,
    "error": P.ERROR,
}
#: The reason a state gets when no action of this adapter explains it.
REASONS: dict[str, str] = {
    "stopped": "shutdown",
    "starting": "starting",
    "running": "booted",
    "stopping": "stopping",
    "paused": "user",
    "error": "failed",
}
_INVALID = re.compile(r"[^a-z0-9-]+")


def _value(value: object) -> Any:
    return None if isinstance(value, Unset) else value


def observation(vm: VM, reason: str | None = None) -> Observation:
    """What `vm` says, as an `Observation`.

    Args:
        vm: The VM as `ListVMs` reports it.
        reason: The reason to give (the action that led here); None uses `REASONS`.

    Returns:
        The observation; `ready` is always False (CiderStack has no readiness signal).
    """
    power = POWER.get(vm.state, P.UNKNOWN)
    ip = _value(vm.ip_address)
    extra = {
        "ciderstack_id": vm.id,
        "ciderstack_name": vm.name,
        "ciderstack_state": vm.state,
        "os_version": _value(vm.os_version),
    }
    return Observation(
        state=power,
        reason=reason if reason is not None else REASONS.get(vm.state),
        ip_addresses=(ip,) if isinstance(ip, str) and ip and vm.state == "running" else (),
        extra=extra,
    )


def sizes(vm: VM) -> tuple[int, int, int]:
    """`(cpus, memory_mib, disk_gib)` of `vm` (0 where CiderStack does not say; MB read as MiB)."""
    cpus, memory, disk = _value(vm.cpu_count), _value(vm.memory_mb), _value(vm.disk_size_gb)
    return (
        int(cpus) if isinstance(cpus, int) else 0,
        int(memory) if isinstance(memory, int) else 0,
        int(disk) if isinstance(disk, int) else 0,
    )


def vmkit_name(name: str, handle: str) -> str:
    """A valid vmkit VM name for CiderStack's `name` (`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`).

    Args:
        name: The name CiderStack shows (any text: `CI Runner #2`).
        handle: The VM's CiderStack id, for a name that has nothing usable.

    Returns:
        Lower case, runs of other characters as one `-`, at most 63 characters
        (`ci-runner-2`); `vm-<first 8 of the id>` when nothing is left.
    """
    cleaned = _INVALID.sub("-", name.lower()).strip("-")[:63].rstrip("-")
    if cleaned:
        return cleaned
    return "vm-" + (_INVALID.sub("", handle.lower())[:8] or "unnamed")
