"""What Lume shows of a VM, as vmkit sees it: an `Observation`, a `DiscoveredVM`."""

from __future__ import annotations

from typing import Any

from vmkit.peers.lume.models import VMDetails, VMSummary

from ..base import DiscoveredVM, Observation, PowerState
from . import _lume_sizes as sizes

__all__ = ["POWER", "discovered", "gib_or_none", "mib_or_none", "observation"]

#: Lume's documented states; any other is `unknown` (with Lume's word in `extra.lume_state`).
POWER = {"stopped": PowerState.STOPPED, "running": PowerState.RUNNING}


def observation(
    vm: VMDetails | VMSummary, remembered: tuple[PowerState, str] | None
) -> Observation:
    """The observation of a VM as Lume shows it.

    Args:
        vm: Lume's view of the VM.
        remembered: The state and reason the adapter's last action on it left, if any; the
            reason is given only while Lume still shows that state (Lume keeps no reasons).

    Returns:
        The state (`unknown` for a state Lume's document does not name), the reason, the
        address while running (Lume keeps showing the last one after a stop), and `extra`
        with Lume's own fields.
    """
    power = POWER.get(vm.state, PowerState.UNKNOWN)
    reason = remembered[1] if remembered is not None and remembered[0] is power else None
    extra: dict[str, Any] = {
        "lume_name": vm.name,
        "lume_state": vm.state,
        "os": vm.os,
        "memory": vm.memory,
        "disk_size": vm.disk_size,
    }
    ips: tuple[str, ...] = ()
    if isinstance(vm, VMDetails):
        running = power is PowerState.RUNNING
        if running and isinstance(vm.ip_address, str) and vm.ip_address:
            ips = (vm.ip_address,)
        if isinstance(vm.display, str):
            extra["display"] = vm.display
        if running and isinstance(vm.vnc_port, int):
            extra["vnc_port"] = vm.vnc_port
        if isinstance(vm.shared_directories, list):
            extra["shared_directories"] = [d.to_dict() for d in vm.shared_directories]
    return Observation(state=power, reason=reason, ip_addresses=ips, extra=extra)


def discovered(vm: VMSummary) -> DiscoveredVM:
    """A Lume VM no vmkit id maps to, named after it (sanitised).

    Raises:
        ValueError: Its memory or disk size is not a size.
    """
    return DiscoveredVM(
        handle=vm.name,
        name=sizes.vmkit_name(vm.name),
        cpus=vm.cpu,
        memory_mib=sizes.memory_mib(vm.memory),
        disk_gib=sizes.disk_gib(vm.disk_size),
        image=sizes.image_for_os(vm.os),
        observation=observation(vm, None),
    )


def mib_or_none(size: str) -> int | None:
    """MiB of a Lume size, or None if it is not one."""
    try:
        return sizes.memory_mib(size)
    except ValueError:
        return None


def gib_or_none(size: str) -> int | None:
    """GiB of a Lume size, or None if it is not one."""
    try:
        return sizes.disk_gib(size)
    except ValueError:
        return None
