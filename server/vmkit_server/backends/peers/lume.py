"""The Lume backend: macOS and Linux VMs on Apple silicon, through Lume's HTTP API.

`vmkit-server --backend lume [--backend-url http://localhost:7777/lume]`. Lume has no auth,
no events and no tasks: every action is confirmed by reading the VM back, polling every
`poll_interval` seconds. In particular Lume answers `run` with `"pending"` before it tries, and
a start that fails leaves no trace but Lume's server log; so `start` waits until Lume shows
the VM `running` and fails the operation, with the reason when one can be told (Apple's limit
of two running macOS guests), when it does not come up within `start_timeout`.

A VM is created under its vmkit name; `handles.json` under the state directory maps vmkit ids
to Lume names. What remains when a call fails: a failed `create` leaves whatever Lume made
(mapped, so deleting it through vmkit works); a failed `start` leaves the VM stopped (reason
`failed`); a `stop` that times out leaves it as Lume shows it; a refused `delete` or update
changes nothing. Options: see `_lume_options.LumeSettings`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from vmkit.peers.lume.models import CreateVMRequest, UpdateVMRequest, VMDetails
from vmkit.peers.lume.types import UNSET

from ..base import (
    BackendOperationFailedError,
    BackendVMNotFoundError,
    Capabilities,
    DiscoveredVM,
    HostInfo,
    NotSupported,
    Observation,
    OperationContext,
    PowerState,
    VMSpec,
)
from ..guest import ImageInfo
from . import _lume_sizes as sizes
from ._common import HandleMap, PeerOptions, parse_peer_options, poll_until
from ._lume_api import LumeAPI
from ._lume_options import OPTION_KEYS, LumeSettings
from ._lume_power import MACOS_LIMIT, LumePower
from ._lume_view import discovered, gib_or_none, mib_or_none, observation

__all__ = ["DEFAULT_URL", "LUME_CAPABILITIES", "MACOS_LIMIT", "LumeBackend", "from_options"]

log = logging.getLogger("vmkit_server.backends.lume")

#: Where Lume answers when no URL is given (`lume serve`'s default).
DEFAULT_URL = "http://localhost:7777/lume"
LUME_CAPABILITIES = Capabilities(
    create=True, delete=True, start=True, stop=True, force_stop=True, restart=True,
    update_resources=True, resize_disk=True,
)  # fmt: skip
"""Lume's create/run/stop/update/delete; restart is a stop then a run; no pause, snapshots, ..."""

_STOP_SECONDS = 30.0  # at least this long for the stops vmkit gives no timeout (force, restart)


def from_options(options: Mapping[str, str], *, state_dir: Path) -> LumeBackend:
    """A Lume backend configured from `key=value` options.

    Args:
        options: `url` (default `http://localhost:7777/lume`), `timeout`, `poll_interval`, and
            the Lume options of `LumeSettings` (`start_timeout`, `create_timeout`, `storage`,
            `display`, `no_display`).
        state_dir: Where the id-to-name map is kept.

    Returns:
        The backend, not opened yet.

    Raises:
        ValueError: An unknown option or a value that does not parse; the message names it.
    """
    parsed = parse_peer_options("lume", options, extra=OPTION_KEYS, default_url=DEFAULT_URL)
    return LumeBackend(parsed, state_dir=state_dir)


class LumeBackend(NotSupported):
    """Drives Lume (see the module docstring for failure semantics).

    Args:
        options: The parsed options.
        state_dir: Where `handles.json` is kept.

    Raises:
        ValueError: A Lume option does not parse.
    """

    name = "lume"
    capabilities = LUME_CAPABILITIES
    requires_known_image = False

    def __init__(self, options: PeerOptions, *, state_dir: Path) -> None:
        self.options = options
        self.settings = LumeSettings.parse(options.extra)
        self.handles = HandleMap(state_dir / "handles.json", backend="lume")
        self._api = LumeAPI(
            options.url,
            timeout=options.timeout,
            long_timeout=self.settings.create_timeout,
            storage=self.settings.storage,
        )
        self._power = LumePower(
            self._api,
            poll_interval=options.poll_interval,
            start_timeout=self.settings.start_timeout,
            no_display=self.settings.no_display,
        )
        # What each VM's last action left, so `observe` can tell its reason (Lume keeps none).
        self._reasons: dict[str, tuple[PowerState, str]] = {}

    async def open(self) -> None:
        """Nothing to do: Lume is asked on each call (it need not be up yet)."""

    async def close(self) -> None:
        """Close the HTTP connections; Lume's VMs keep running."""
        await self._api.aclose()

    async def host_info(self) -> HostInfo:
        """The Mac Lume runs on, as far as Lume says (its API tells no CPUs, RAM or version)."""
        await self._api.list()
        return HostInfo(
            hostname=urlsplit(self.options.url).hostname or "localhost",
            cpus=0,
            memory_mib=0,
            hypervisor="lume",
            hypervisor_version="",
            accelerator=None,
        )

    async def list_images(self) -> list[ImageInfo]:
        """`macos` (the default) and `linux`; `macos:<ipsw>` is taken too."""
        return list(sizes.IMAGES)

    # -- lifecycle ------------------------------------------------------------------------------

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Create the VM under `spec.name` and wait until Lume shows it stopped (`created`).

        Raises:
            ImageNotFoundError: The image is not `macos`, `macos:<ipsw>` or `linux`.
            BackendOperationFailedError: Lume refused (the name exists, a size it rejects).
            BackendTimeoutError: The VM did not show up stopped within `create_timeout`.
        """
        guest = sizes.guest_for_image(spec.image)
        body = CreateVMRequest(
            name=spec.name,
            os=guest.os,
            cpu=spec.cpus,
            memory=sizes.mib_size(spec.memory_mib),
            disk_size=sizes.gib_size(spec.disk_gib),
            display=self.settings.display if self.settings.display is not None else UNSET,
            ipsw=guest.ipsw if guest.ipsw is not None else UNSET,
        )
        install = f", installing macOS from IPSW {guest.ipsw!r}" if guest.ipsw else ""
        ctx.log(
            f"asking Lume to create VM {spec.name}: {guest.os}, {spec.cpus} CPUs, "
            f"{body.memory} memory, {body.disk_size} disk{install}"
        )
        ctx.progress(0.05)
        await self._api.create(body)
        self.handles.put(spec.id, spec.name)
        ctx.log("Lume accepted it; waiting to see the VM stopped")
        vm = await poll_until(
            lambda: self._power.in_state(spec.name, "stopped"),
            interval=self.options.poll_interval,
            timeout=self.settings.create_timeout,
            what=f"Lume VM {spec.name} to be created",
            ctx=ctx,
        )
        return self._done(spec.id, vm, ctx, PowerState.STOPPED, "created")

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Delete the VM and wait until Lume no longer lists it.

        Raises:
            BackendVMNotFoundError: Lume has no such VM (the mapping is dropped).
        """
        handle = self.handles.require(vm_id)
        ctx.log(f"asking Lume to delete VM {handle}")
        try:
            await self._api.delete(handle)
        except BackendVMNotFoundError:
            self._forget(vm_id)
            raise
        await poll_until(
            lambda: self._gone(handle),
            interval=self.options.poll_interval,
            timeout=self.options.timeout,
            what=f"Lume VM {handle} to be deleted",
        )
        self._forget(vm_id)
        ctx.log(f"deleted VM {handle}")
        ctx.progress(1.0)

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Run the VM and confirm it by seeing it `running` (`booted`).

        Raises:
            BackendOperationFailedError: Lume refused, two macOS guests already run, or the VM
                did not come up within `start_timeout`; it stays stopped, reason `failed`.
        """
        handle = self.handles.require(vm_id)
        vm = await self._api.get(handle)
        if vm.state == "running":
            ctx.log(f"Lume already shows VM {handle} running")
            return self._observation(vm_id, vm)
        try:
            vm = await self._power.run(handle, vm.os, ctx)
        except BackendOperationFailedError:
            self._reasons[vm_id] = (PowerState.STOPPED, "failed")
            raise
        return self._done(vm_id, vm, ctx, PowerState.RUNNING, "booted")

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Stop the VM with Lume's only stop and wait to see it stopped (`shutdown`).

        Raises:
            BackendTimeoutError: Not stopped within `timeout_seconds`; Lume has no harder stop
                to fall back on, so `force_after_timeout` changes nothing.
        """
        handle = self.handles.require(vm_id)
        vm = await self._power.stop(handle, ctx, timeout=timeout_seconds)
        return self._done(vm_id, vm, ctx, PowerState.STOPPED, "shutdown")

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """The same Lume stop, waited for (`destroyed`)."""
        handle = self.handles.require(vm_id)
        timeout = max(self.options.timeout, _STOP_SECONDS)
        vm = await self._power.stop(handle, ctx, timeout=timeout)
        return self._done(vm_id, vm, ctx, PowerState.STOPPED, "destroyed")

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Stop the running VM, then run it again and confirm it (`booted`).

        Raises:
            BackendOperationFailedError: It is not running, or the new start failed (it is
                then stopped, reason `failed`).
        """
        handle = self.handles.require(vm_id)
        vm = await self._api.get(handle)
        if vm.state != "running":
            raise BackendOperationFailedError(
                f"Lume shows VM {handle!r} {vm.state!r}, not running: nothing to restart",
                metadata={"lume_vm": handle, "lume_state": vm.state},
            )
        ctx.log("Lume has no restart: stopping the VM, then running it again")
        timeout = max(self.options.timeout, _STOP_SECONDS)
        await self._power.stop(handle, ctx, timeout=timeout)
        self._reasons[vm_id] = (PowerState.STOPPED, "shutdown")
        return await self.start(vm_id, ctx)

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Change CPUs and/or memory with Lume's update, then check Lume shows them.

        Raises:
            BackendOperationFailedError: Lume refused, or shows other values afterwards.
        """
        handle = self.handles.require(vm_id)
        if cpus is None and memory_mib is None:
            return
        memory = sizes.mib_size(memory_mib) if memory_mib is not None else UNSET
        await self._api.update(
            handle, UpdateVMRequest(cpu=cpus if cpus is not None else UNSET, memory=memory)
        )
        vm = await self._api.get(handle)
        cpu_shown = cpus is None or vm.cpu == cpus
        memory_shown = memory_mib is None or mib_or_none(vm.memory) == memory_mib
        if not (cpu_shown and memory_shown):
            raise BackendOperationFailedError(
                f"Lume accepted the change of VM {handle!r} but shows cpu={vm.cpu}, "
                f"memory={vm.memory!r}",
                metadata={"lume_vm": handle, "cpu": vm.cpu, "memory": vm.memory},
            )

    async def resize_disk(self, vm_id: str, disk_gib: int, ctx: OperationContext) -> Observation:
        """Grow the disk of a stopped VM with Lume's update, then check Lume shows it.

        Raises:
            BackendOperationFailedError: The VM is not stopped (Lume cannot grow the disk of a
                running VM), Lume refused, or it shows a smaller disk afterwards.
        """
        handle = self.handles.require(vm_id)
        vm = await self._api.get(handle)
        if vm.state != "stopped":
            raise BackendOperationFailedError(
                f"Lume grows a disk only while its VM is stopped; VM {handle!r} is {vm.state!r}",
                metadata={"lume_vm": handle, "lume_state": vm.state},
            )
        size = sizes.gib_size(disk_gib)
        ctx.log(f"asking Lume to grow the disk of VM {handle} from {vm.disk_size} to {size}")
        await self._api.update(handle, UpdateVMRequest(disk_size=size))
        vm = await self._api.get(handle)
        if (gib_or_none(vm.disk_size) or 0) < disk_gib:
            raise BackendOperationFailedError(
                f"Lume accepted the new disk size of VM {handle!r} but shows {vm.disk_size!r}",
                metadata={"lume_vm": handle, "disk_size": vm.disk_size},
            )
        ctx.progress(1.0)
        return self._observation(vm_id, vm)

    async def observe(self, vm_id: str) -> Observation:
        """What Lume shows: `stopped`/`running`, anything else `unknown` (see `extra`)."""
        return self._observation(vm_id, await self._api.get(self.handles.require(vm_id)))

    async def list_vm_ids(self) -> list[str]:
        """The ids of the mapped VMs that Lume still lists."""
        names = {vm.name for vm in await self._api.list()}
        return [vm_id for vm_id, handle in self.handles.items() if handle in names]

    # -- adoption -------------------------------------------------------------------------------

    async def discover(self) -> list[DiscoveredVM]:
        """Lume's VMs that no vmkit id maps to (named after them, sanitised)."""
        mapped = self.handles.handles()
        found = []
        for vm in await self._api.list():
            if vm.name in mapped:
                continue
            try:
                found.append(discovered(vm))
            except ValueError as exc:
                log.warning("not adopting Lume VM %r: %s", vm.name, exc)
        return found

    async def adopt(self, handle: str, vm_id: str) -> None:
        """Map `vm_id` to the Lume VM `handle`.

        Raises:
            BackendOperationFailedError: Another vmkit VM already maps to it.
        """
        self.handles.adopt(vm_id, handle)

    # -- helpers --------------------------------------------------------------------------------

    async def _gone(self, handle: str) -> bool | None:
        return True if await self._api.find(handle) is None else None

    def _done(
        self, vm_id: str, vm: VMDetails, ctx: OperationContext, power: PowerState, reason: str
    ) -> Observation:
        self._reasons[vm_id] = (power, reason)
        at = f" at {vm.ip_address}" if power is PowerState.RUNNING and vm.ip_address else ""
        ctx.log(f"VM {vm.name} is {vm.state}{at}")
        ctx.progress(1.0)
        return self._observation(vm_id, vm)

    def _forget(self, vm_id: str) -> None:
        self.handles.pop(vm_id)
        self._reasons.pop(vm_id, None)

    def _observation(self, vm_id: str, vm: VMDetails) -> Observation:
        return observation(vm, self._reasons.get(vm_id))
