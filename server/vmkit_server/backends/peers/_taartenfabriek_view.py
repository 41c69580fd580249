"""The adapter's view of Tart's VMs: the inventory it reads, and those VMs in vmkit's terms.

The app's `GET /api/vms` is a cache it refreshes now and then; `POST /api/vms/refresh` reads
Tart again, so that is what the view reads: always after an action (`fresh`), and at most once
per `poll_interval` for the reconciler's observations (`cached`, shared by concurrent callers).

It also remembers, per VM, the status it last reported and why, so that an observation keeps
the reason an action gave (`created`, `booted`, ...) and a change made outside vmkit reads as
a guest's own (`booted`, `shutdown`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

from vmkit.peers.taartenfabriek.models import VM

from ..base import BackendOperationFailedError, BackendVMNotFoundError, Observation, PowerState
from ..guest import ImageInfo
from ._taartenfabriek_api import NAME, TaartenAPI
from ._taartenfabriek_map import (
    STATES,
    TART_DEFAULTS,
    cpus_of,
    disk_gib_of,
    is_base_image,
    memory_mib_of,
    os_of,
    status_of,
    vm_extra,
)

__all__ = ["TartView", "default_image", "images", "macos_hint"]

#: The reason of a state the VM reached without vmkit asking.
_CHANGED = {"running": "booted", "stopped": "shutdown"}


class TartView:
    """Reads of the inventory, and observations of its VMs.

    Args:
        api: The system's calls.
        max_age: Seconds a read may serve `cached` callers.
    """

    def __init__(self, api: TaartenAPI, *, max_age: float) -> None:
        self._api = api
        self._max_age = max_age
        self._inventory: dict[str, VM] | None = None
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()
        #: Tart name → (the status last reported, the reason given for it).
        self._reasons: dict[str, tuple[str, str | None]] = {}

    async def fresh(self) -> dict[str, VM]:
        """The inventory read from Tart now (`POST /api/vms/refresh`), by name."""
        asked = time.monotonic()
        inventory = {vm.name: vm for vm in await self._api.refresh()}
        if asked >= self._read_at:  # an older answer never replaces a newer one
            self._inventory, self._read_at = inventory, asked
        return inventory

    async def cached(self) -> dict[str, VM]:
        """The inventory, read again when older than `max_age`."""
        async with self._lock:
            if self._inventory is not None and time.monotonic() - self._read_at < self._max_age:
                return self._inventory
            return await self.fresh()

    async def present(
        self, handle: str, *, after: str | None = None, inventory: Mapping[str, VM] | None = None
    ) -> VM:
        """The VM as Tart lists it now.

        Args:
            handle: Its Tart name.
            after: The action just done (a VM missing after it is that action failing).
            inventory: A read to use instead of a fresh one.

        Raises:
            BackendVMNotFoundError: Tart does not list it (and no action was just done).
            BackendOperationFailedError: Tart does not list it after `after`.
        """
        vm = (inventory if inventory is not None else await self.fresh()).get(handle)
        if vm is not None:
            return vm
        if after is not None:
            raise BackendOperationFailedError(
                f"{NAME} reported the task to {after} done, but Tart does not list the VM",
                metadata={"taartenfabriek_name": handle},
            )
        raise BackendVMNotFoundError(f"{NAME} has no VM {handle!r}")

    def reason(self, handle: str, status: str) -> str | None:
        """The reason last given for the VM being `status`, if that is its last status."""
        known = self._reasons.get(handle)
        return known[1] if known is not None and known[0] == status else None

    def failed(self, handle: str, status: str) -> None:
        """Remember that an action on the VM failed, leaving it `status`."""
        self._reasons[handle] = (status, "failed")

    def forget(self, handle: str) -> None:
        """The VM is gone."""
        self._reasons.pop(handle, None)

    def observation(self, vm: VM, *, reason: str | None = None) -> Observation:
        """The VM in vmkit's terms; `reason` is why it got there (remembered for its status)."""
        status = status_of(vm)
        if reason is None:
            known = self._reasons.get(vm.name)
            if known is None or known[0] == status:
                reason = known[1] if known is not None else None
            else:  # it changed without vmkit: say how, as a guest's own doing would read
                reason = _CHANGED.get(status)
        self._reasons[vm.name] = (status, reason)
        state = STATES.get(status, PowerState.UNKNOWN)
        ips = (vm.ip_address,) if state is PowerState.RUNNING and vm.ip_address else ()
        return Observation(state=state, reason=reason, ip_addresses=ips, extra=vm_extra(vm))

    def discovered(self, vm: VM) -> tuple[int, int, int, Observation]:
        """CPUs, MiB, GiB and observation of a VM to adopt; Tart's defaults where unreported.

        The observation's `extra.resources_reported` says whether all three were reported.
        """
        cpus, memory, disk = cpus_of(vm), memory_mib_of(vm.memory), disk_gib_of(vm.disk_size)
        seen = self.observation(vm)
        extra = {**seen.extra, "resources_reported": None not in (cpus, memory, disk)}
        return (
            cpus or TART_DEFAULTS["cpus"],
            memory or TART_DEFAULTS["memory_mib"],
            disk or TART_DEFAULTS["disk_gib"],
            Observation(seen.state, seen.reason, seen.ip_addresses, seen.ready, extra),
        )


def default_image(inventory: Mapping[str, VM]) -> str | None:
    """The first base image by name, or None."""
    names = sorted(vm.name for vm in inventory.values() if is_base_image(vm))
    return names[0] if names else None


def images(inventory: Mapping[str, VM]) -> list[ImageInfo]:
    """The base images as vmkit's image catalog, by name; the first is the default."""
    bases = sorted((vm for vm in inventory.values() if is_base_image(vm)), key=lambda v: v.name)
    return [
        ImageInfo(
            name=vm.name,
            description=f"Tart image {vm.name} (source {vm.source or 'unknown'})",
            os=os_of(vm),
            arch="arm64",  # Tart runs on Apple silicon only
            disk_gib=disk_gib_of(vm.disk_size) or 0,
            default=index == 0,
        )
        for index, vm in enumerate(bases)
    ]


def macos_hint(vm: VM, inventory: Mapping[str, VM]) -> str:
    """Why a macOS guest may not have started: Tart runs at most two at once."""
    if os_of(vm) != "macos":
        return ""
    others = sorted(
        v.name
        for v in inventory.values()
        if os_of(v) == "macos" and status_of(v) == "running" and v.name != vm.name
    )
    if len(others) < 2:
        return ""
    return f" (Tart runs at most two macOS guests at once; running: {', '.join(others)})"
