"""The Tart backend: vmkit on the Tart CLI (cirruslabs/tart), on the Mac the server runs on.

What de taartenfabriek and Cirrus Labs' Orchard wrap, driven directly: every action is a
`tart` command run with asyncio (`--format json` wherever Tart has it), with `TART_HOME`
from the `tart_home` option. A VM is known to Tart by its name; vmkit creates it under the
vmkit name and keeps the id → name map in `<data dir>/tart/handles.json`, so a rename on
either side only changes the map. `tart run` is a foreground process for as long as the VM
runs: the backend starts it detached with `--no-graphics` and keeps its pid, output and exit
status under `<data dir>/tart/runs/` (see `_tart_runs`).

Capabilities: create, clone (`tart clone`, copy-on-write), delete, start, stop (SIGUSR2 to
the VM's `tart run`: Tart's way of asking the guest), force-stop (`tart stop`), restart
(stop, then run), suspend and resume (macOS guests, macOS 14+), rename, CPUs/memory
(`tart set`), disk growth (stopped VMs), exec and files (`tart exec`, needs the Tart Guest
Agent), readiness (`tart ip`), and adoption of VMs made with `tart` directly. Tart has no
snapshots, no pause, no console and no screenshots: those answer 501.

Observation, booting and powering off are in `_tart_engine`, making VMs in `_tart_make`,
guest access in `_tart_access`. What a failed call leaves is said on each method.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping
from pathlib import Path

from ..base import (
    BackendOperationFailedError,
    BackendVMNotFoundError,
    Capabilities,
    DiscoveredVM,
    HostInfo,
    Observation,
    OperationContext,
)
from ._tart_make import TartMaker
from ._tart_options import gb_for_gib, gib_for_gb, parse_tart_options

__all__ = ["TART_CAPABILITIES", "TartBackend", "from_options", "vmkit_name"]

TART_CAPABILITIES = Capabilities(
    create=True, delete=True, start=True, stop=True, force_stop=True, restart=True,
    resume=True, suspend=True, clone=True, rename=True, update_resources=True,
    resize_disk=True, exec=True, files=True, ready_signal=True,
)  # fmt: skip
"""What `tart` can do; no pause, snapshots, console or screenshots."""

_INVALID = re.compile(r"[^a-z0-9-]+")


def from_options(options: Mapping[str, str], *, state_dir: Path) -> TartBackend:
    """The registry's factory: a Tart backend from `--backend-opt` strings.

    Args:
        options: `tart`, `tart_home`, `timeout`, `poll_interval`, `ready_timeout`,
            `ip_resolver`, `suspendable` (see `TartOptions`).
        state_dir: `<data dir>/tart`.

    Returns:
        The backend, not opened yet.

    Raises:
        ValueError: An unknown or invalid option.
    """
    return TartBackend(parse_tart_options(options), state_dir=state_dir)


def vmkit_name(tart_name: str) -> str:
    """A valid vmkit VM name for a Tart VM (lower case, `-` for anything else, 63 chars)."""
    name = _INVALID.sub("-", tart_name.lower()).strip("-")[:63].rstrip("-")
    return name or "tart-vm"


class TartBackend(TartMaker):
    """VMs of the local Tart (see the module docstring)."""

    name = "tart"
    capabilities = TART_CAPABILITIES

    # -- the backend itself ---------------------------------------------------------------------

    async def open(self) -> None:
        """Prepare the state folder; `tart` itself is first run by the first call."""
        self.state_dir.mkdir(parents=True, exist_ok=True)

    async def close(self) -> None:
        """Nothing to release: VMs keep running in their detached `tart run`."""

    async def host_info(self) -> HostInfo:
        """This Mac, and the version `tart --version` prints.

        Raises:
            BackendUnavailableError: `tart` cannot be run.
        """
        version = await self.cli.version()
        try:
            memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
        except (ValueError, OSError):
            memory = 0
        return HostInfo(
            hostname=socket.gethostname(), cpus=os.cpu_count() or 1, memory_mib=memory,
            hypervisor="tart", hypervisor_version=version, accelerator="hvf",
        )  # fmt: skip

    # -- lifecycle ------------------------------------------------------------------------------

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """`tart delete`; forgets the id (also when Tart no longer had the VM).

        Raises:
            BackendVMNotFoundError: Tart has no such VM (the id is forgotten).
            BackendOperationFailedError: It runs (`VM "x" is running`); nothing changes.
        """
        name = self.handles.require(vm_id)
        self._log(ctx, "delete", name)
        try:
            await self.cli.run("delete", name)
        except BackendVMNotFoundError:
            self._forget(vm_id)
            raise
        self._forget(vm_id)
        ctx.progress(1.0)

    def _forget(self, vm_id: str) -> None:
        self.handles.pop(vm_id)
        self.runs.files(vm_id).remove()
        self._reasons.pop(vm_id, None)

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`tart run` (detached): boots (`booted`) or restores a suspended VM (`restored`).

        A failed start leaves the VM stopped (`error`/`failed` with the run's output), or
        suspended if restoring failed.
        """
        return await self._boot(vm_id, ctx)

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Ask the guest to shut down (`shutdown`); `tart stop` after the timeout if forced.

        Only a VM this server started can be asked (Tart's request goes to its `tart run`
        process); any other one is refused unless `force_after_timeout`. A guest that
        ignores the request stays running (`BackendTimeoutError`) unless forced.
        """
        name = self.handles.require(vm_id)
        info = await self.cli.get(name)
        if info.state != "running":
            ctx.log(f"Tart VM {name} is {info.state}: nothing to stop")
            return await self._observation(vm_id, name, info)
        return await self._shut_down(
            vm_id, name, ctx, timeout=timeout_seconds, force=force_after_timeout
        )

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`tart stop`: power off now (`destroyed`); a suspended VM loses its saved RAM.

        A VM Tart already shows stopped (one in `error` after its run failed) is left as is
        and reads `stopped` from now on.
        """
        name = self.handles.require(vm_id)
        info = await self.cli.get(name)
        if info.state == "stopped":
            self._stopped_as(vm_id, "destroyed")
            return await self._observation(vm_id, name, info)
        return await self._power_off(vm_id, name, ctx)

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Shut down (powering off after `timeout` seconds), then `tart run` again.

        Tart has no reboot: this is a power cycle. If the new run fails the VM stays off.
        """
        name = self.handles.require(vm_id)
        if (await self.cli.get(name)).state == "running":
            await self._shut_down(vm_id, name, ctx, timeout=self.options.timeout, force=True)
        return await self._boot(vm_id, ctx)

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Run a suspended VM again (`tart run` restores its RAM): `restored`."""
        return await self._boot(vm_id, ctx)

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`tart suspend`: save a running macOS VM's RAM and end its run (`saved`).

        Refused without trying (the VM keeps running) for a Linux guest, and for a VM not
        started by this server with `--suspendable`: there Tart's suspend fails inside the
        `tart run` process, which then ends, taking the VM down.

        Raises:
            BackendOperationFailedError: Refused, or the suspend failed (the VM is then
                stopped; its run's output is in the metadata).
        """
        name = self.handles.require(vm_id)
        info = await self.cli.get(name)
        metadata = {"tart_name": name, "os": info.os, "tart_state": info.state}
        if info.state != "running":
            raise BackendOperationFailedError(f"Tart VM {name} is {info.state}", metadata=metadata)
        if info.os != "darwin":
            raise BackendOperationFailedError(
                "Tart suspends only macOS guests (Virtualization.framework cannot save this "
                "one); the VM keeps running",
                metadata=metadata,
            )
        files = self.runs.files(vm_id)
        pid = await self.runs.verified_pid(files, name)
        if pid is None or not files.meta().get("suspendable"):
            raise BackendOperationFailedError(
                f"Tart VM {name} was not started by this server with --suspendable; a "
                "`tart suspend` would end it: stop and start it through vmkit first",
                metadata=metadata,
            )
        self._log(ctx, "suspend", name)
        await self.cli.run("suspend", name)
        await self._wait_ended(vm_id, name, ctx=ctx)
        after = await self.cli.get(name)
        if after.state != "suspended":
            self._raise_if_ended(files, name)
            raise BackendOperationFailedError(f"Tart VM {name} is {after.state} after suspend")
        ctx.progress(1.0)
        return await self._observation(vm_id, name, after)

    # -- snapshots: Tart has none ---------------------------------------------------------------

    # -- settings -------------------------------------------------------------------------------

    async def rename(self, vm_id: str, new_name: str) -> None:
        """`tart rename` a VM that does not run (Tart would move its folder under it).

        Raises:
            BackendOperationFailedError: It runs, or Tart has a VM called `new_name`.
        """
        name = self.handles.require(vm_id)
        if name == new_name:
            return
        info = await self.cli.get(name)
        if info.state == "running":
            raise BackendOperationFailedError(
                f"Tart VM {name} is running: `tart rename` would move its folder under the "
                "running VM (a later suspend would then fail); stop it first",
                metadata={"tart_name": name},
            )
        with self._claim(name, new_name):
            await self.cli.run("rename", name, new_name)
            self.handles.put(vm_id, new_name)

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """`tart set --cpu/--memory` (Tart enforces a macOS image's minimums)."""
        name = self.handles.require(vm_id)
        args = [*(["--cpu", str(cpus)] if cpus is not None else [])]
        args += ["--memory", str(memory_mib)] if memory_mib is not None else []
        if args:
            await self.cli.run("set", name, *args)

    async def resize_disk(self, vm_id: str, disk_gib: int, ctx: OperationContext) -> Observation:
        """`tart set --disk-size` (whole GB holding `disk_gib` GiB) of a stopped VM.

        Raises:
            BackendOperationFailedError: It is not stopped (Tart resizes the disk file
                under a running guest); nothing changes.
        """
        name = self.handles.require(vm_id)
        info = await self.cli.get(name)
        if info.state != "stopped":
            raise BackendOperationFailedError(
                f"Tart grows the disk of a stopped VM only; {name} is {info.state}",
                metadata={"tart_name": name, "tart_state": info.state},
            )
        gb = gb_for_gib(disk_gib)
        if gb > info.disk_gb:
            self._log(ctx, "set", name, "--disk-size", str(gb))
            await self.cli.run("set", name, "--disk-size", str(gb))
        ctx.progress(1.0)
        return await self._observe(vm_id)

    # -- reading ------------------------------------------------------------------------------

    async def observe(self, vm_id: str) -> Observation:
        """`tart get` (and `tart ip` while it runs), mapped as `_tart_engine` says."""
        return await self._observe(vm_id)

    async def list_vm_ids(self) -> list[str]:
        """Ids of the mapped VMs Tart still lists."""
        names = {entry.name for entry in await self.cli.list_local()}
        return [vm_id for vm_id, name in self.handles.items() if name in names]

    # -- adopting VMs made with `tart` directly -----------------------------------------------

    async def discover(self) -> list[DiscoveredVM]:
        """Local Tart VMs no id maps to (and that this backend is not making right now)."""
        skip = self.handles.handles() | self._claimed
        found: list[DiscoveredVM] = []
        for entry in await self.cli.list_local():
            if entry.name in skip:
                continue
            try:
                info = await self.cli.get(entry.name)
            except (BackendVMNotFoundError, BackendOperationFailedError):
                continue  # deleted, or being made, since it was listed
            found.append(
                DiscoveredVM(
                    handle=entry.name,
                    name=vmkit_name(entry.name),
                    cpus=info.cpu,
                    memory_mib=info.memory_mib,
                    disk_gib=gib_for_gb(info.disk_gb),
                    image=None,
                    observation=await self._observation(None, entry.name, info),
                )
            )
        return found

    async def adopt(self, handle: str, vm_id: str) -> None:
        """Map `vm_id` to the Tart VM `handle`.

        Raises:
            BackendVMNotFoundError: Tart no longer has it.
            BackendOperationFailedError: Another vmkit id maps to it already.
        """
        await self.cli.get(handle)
        self.handles.adopt(vm_id, handle)
