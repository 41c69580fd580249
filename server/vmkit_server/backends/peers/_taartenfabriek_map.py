"""Pure mappings between de taartenfabriek's objects and vmkit's: states, names, sizes, logs.

No I/O here: what the adapter reads from a `VM` or a `Task` of `vmkit.peers.taartenfabriek`,
and how it turns them into vmkit terms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from vmkit.peers.taartenfabriek.models import VM, Task, TaskStatus, VMStatus

from ..base import PowerState

__all__ = [
    "STATES",
    "TART_DEFAULTS",
    "cpus_of",
    "disk_gib_of",
    "is_base_image",
    "memory_mib_of",
    "new_lines",
    "os_of",
    "status_of",
    "task_status",
    "vm_extra",
    "vmkit_name",
]

P = PowerState
#: Every VM status the document lists; any other value is `unknown`.
STATES: Mapping[str, PowerState] = {
    "running": P.RUNNING,
    "stopped": P.STOPPED,
    "unknown": P.UNKNOWN,
}
#: What Tart gives a VM whose settings the inventory does not show (Tart's documented
#: defaults: 2 CPUs, 4 GB of memory, a 50 GB disk).
TART_DEFAULTS = {"cpus": 2, "memory_mib": 4096, "disk_gib": 50}
_REGISTRIES = ("ghcr.io", "docker.io", "gcr.io")
_NAME_OK = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$", re.IGNORECASE)
_MIB_PER = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}
_OS = {"darwin": "macos", "macos": "macos", "linux": "linux"}


def status_of(vm: VM) -> str:
    """The VM's status as the system wrote it (`running`, `stopped`, `unknown`, or other)."""
    return vm.status.value if isinstance(vm.status, VMStatus) else str(vm.status)


def task_status(task: Task) -> str:
    """The task's status as the system wrote it (`pending` ... `failed`, or other)."""
    return task.status.value if isinstance(task.status, TaskStatus) else str(task.status)


def is_base_image(vm: VM) -> bool:
    """The app's rule of `/api/vms/categorized` for a base image: pulled from an OCI registry.

    Args:
        vm: A VM of the inventory.

    Returns:
        True when its `source` is `OCI` or a registry, or its name starts with a registry.
    """
    source = vm.source or ""
    return (
        source.upper() == "OCI"
        or source.startswith(_REGISTRIES)
        or vm.name.startswith(tuple(f"{r}/" for r in _REGISTRIES))
    )


def vmkit_name(name: str) -> str:
    """A valid vmkit VM name for a Tart VM called `name`.

    Args:
        name: The Tart name (any characters).

    Returns:
        Lower case, runs of other characters as one `-`, at most 63 characters; `tart-vm`
        when nothing usable is left.
    """
    cleaned = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:63].rstrip("-")
    return cleaned if _NAME_OK.match(cleaned) else "tart-vm"


def cpus_of(vm: VM) -> int | None:
    """The VM's CPUs, if the inventory shows them."""
    return int(vm.cpu) if isinstance(vm.cpu, int | float) and vm.cpu >= 1 else None


def memory_mib_of(value: str | None) -> int | None:
    """MiB from the system's memory string (`8G`, `8GB`, `8192M`; a bare number is MiB).

    Tart keeps memory in MB of 1024 KiB and the app writes `<MB / 1024>G`, so `G` is GiB.
    """
    match = _SIZE.match(value) if value else None
    if match is None:
        return None
    unit = match.group(2).upper() or "M"
    mib = round(float(match.group(1)) * _MIB_PER[unit])
    return mib if mib >= 1 else None


def disk_gib_of(value: float | str | None) -> int | None:
    """GiB from the system's disk size: a number of GB, or a string like `50G`.

    vmkit takes Tart's disk "GB" as GiB, both ways (the adapter passes `disk_gib` as is).
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value >= 1 else None
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    unit = match.group(2).upper() or "G"
    gib = int(float(match.group(1)) * _MIB_PER[unit] / 1024)
    return gib if gib >= 1 else None


def os_of(vm: VM) -> str:
    """vmkit's name of the guest OS (`macos`, `linux`), `unknown` when the system is silent."""
    return _OS.get((vm.os or "").lower(), vm.os or "unknown")


def vm_extra(vm: VM) -> dict[str, Any]:
    """What the system says of a VM beyond its state, for the VM's `extra`."""
    extra: dict[str, Any] = {
        "taartenfabriek_name": vm.name,
        "taartenfabriek_status": status_of(vm),
        "source": vm.source,
        "os": vm.os,
        "display": vm.display,
    }
    if vm.ip_address:
        extra["vnc_url"] = f"vnc://{vm.ip_address}"
    return extra


def new_lines(before: Sequence[str], now: Sequence[str]) -> list[str]:
    """The lines of `now` not yet seen in `before` (the app keeps only the last N lines).

    Args:
        before: The task's logs at the previous poll.
        now: Its logs at this poll.

    Returns:
        What follows the longest end of `before` that starts `now`; all of `now` when the
        two do not overlap.
    """
    if list(now[: len(before)]) == list(before):
        return list(now[len(before) :])
    for overlap in range(min(len(before), len(now)), 0, -1):
        if list(before[-overlap:]) == list(now[:overlap]):
            return list(now[overlap:])
    return list(now)
