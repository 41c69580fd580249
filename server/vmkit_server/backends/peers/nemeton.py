"""The `nemeton` backend: VMs of a Nemeton app, driven through its REST API (`/api/v1`).

Nemeton's published API (see `spec/peers/nemeton.yaml` and `docs/backends/nemeton.md`)
lists VMs and starts, stops (ACPI or forced), pauses and resumes them, keeps snapshots and
offers a serial console. It documents no way to create, delete, rename or resize a VM, so
VMs are made in Nemeton and adopted by vmkit (`Adopting`); vmkit answers 501 for the rest.

Nemeton has no task objects: an action is one call, then the adapter polls the VM every
`poll_interval` until it reaches the state the action heads for (at most `action_timeout`
seconds, default 300), reporting progress and what it sees in the operation's log. Outside
actions, `watch()` follows Nemeton's event feed (`_nemeton_events`), so a change made in
Nemeton reaches vmkit at once; the reconciler's passes over `observe()` are the safety net.

What remains when a call fails: Nemeton refused it (409) or failed it, and the VM is as
Nemeton reports it, which the runner re-observes. A graceful `stop` whose guest ignores the
ACPI request leaves the VM running unless `force_after_timeout`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from vmkit.peers.nemeton.models import Vm

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    BackendTimeoutError,
    Capabilities,
    DiscoveredVM,
    HostInfo,
    Observation,
    OperationContext,
    PowerState,
    SnapshotInfo,
)
from ..guest import ConsoleChunk, GuestNotReadyError, GuestNotSupported
from ._common import HandleMap, PeerOptions, parse_peer_options, poll_until
from ._nemeton_api import NAME, NemetonAPI, NemetonRefusedError
from ._nemeton_console import ConsoleOffsets
from ._nemeton_events import watch_vms

__all__ = ["NEMETON_CAPABILITIES", "STATES", "NemetonBackend", "from_options", "vmkit_name"]

#: What Nemeton's published REST API allows (see the module docstring).
NEMETON_CAPABILITIES = Capabilities(
    start=True, stop=True, force_stop=True, pause=True, resume=True, snapshots=True, console=True
)  # fmt: skip

P = PowerState
#: Every state Nemeton's document implies, and vmkit's; anything else is `unknown`.
STATES: Mapping[str, PowerState] = {
    "stopped": P.STOPPED,
    "running": P.RUNNING,
    "paused": P.PAUSED,
    "error": P.ERROR,
}
_DEFAULT_URL = "http://127.0.0.1:22100"
_NAME_OK = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def from_options(options: Mapping[str, str], *, state_dir: Path) -> NemetonBackend:
    """The backend, from `--backend-url`, `--backend-token-file` and `--backend-opt`.

    Args:
        options: `url` (default `http://127.0.0.1:22100`), `token` (required), `timeout`,
            `poll_interval`, and `action_timeout` (seconds an action may take, default 300).
        state_dir: Where the id-to-handle map is kept.

    Raises:
        ValueError: A missing token, an unknown key, or a value that does not parse.
    """
    opts = parse_peer_options(
        NAME, options, extra=("action_timeout",), default_url=_DEFAULT_URL, token_required=True
    )
    action_timeout = opts.seconds("action_timeout", 300)
    return NemetonBackend(opts, state_dir=state_dir, action_timeout=action_timeout)


def vmkit_name(name: str, handle: str) -> str:
    """A valid vmkit VM name for a Nemeton VM called `name` (its id when nothing is left).

    Args:
        name: The name Nemeton shows.
        handle: The Nemeton id, used when the name has no usable character.

    Returns:
        Lower case, runs of other characters as one `-`, at most 63 characters.
    """
    for raw in (name, f"nemeton-{handle}"):
        cleaned = re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")[:63].rstrip("-")
        if _NAME_OK.match(cleaned):
            return cleaned
    return "nemeton-vm"


class NemetonBackend(GuestNotSupported):
    """VMs of one Nemeton app.

    Args:
        options: Where Nemeton answers and its token.
        state_dir: Where `handles.json` (vmkit id → Nemeton id) is kept.
        action_timeout: Seconds an action may take to reach its state.
    """

    name = NAME
    capabilities = NEMETON_CAPABILITIES

    def __init__(self, options: PeerOptions, *, state_dir: Path, action_timeout: float) -> None:
        self.options = options
        self.action_timeout = action_timeout
        self.handles = HandleMap(state_dir / "handles.json", backend=NAME)
        self._api = NemetonAPI(options)
        self._console = ConsoleOffsets()
        # handle -> (Nemeton state, reason) the adapter last set; an observation keeps the
        # reason while Nemeton still shows that state, and has none once it changed elsewhere
        self._reasons: dict[str, tuple[str, str]] = {}
        self._version: str | None = None

    # -- the backend itself -----------------------------------------------------------------

    async def open(self) -> None:
        """Nothing to load: Nemeton keeps the VMs, `handles.json` the mapping."""

    async def close(self) -> None:
        """Close the HTTP connections; Nemeton's VMs keep running."""
        await self._api.close()

    async def host_info(self) -> HostInfo:
        """The Nemeton host, as far as its REST API tells (it documents no host details).

        Lists the VMs (which proves the URL and token) and reads `info.version` of Nemeton's
        OpenAPI document; CPUs and memory are 0 (unknown).
        """
        await self._api.list_vms()
        if self._version is None:
            self._version = await self._api.api_version()
        return HostInfo(
            hostname=urlsplit(self.options.url).hostname or self.options.url,
            cpus=0,
            memory_mib=0,
            hypervisor=NAME,
            hypervisor_version=self._version,
            accelerator=None,
        )

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`POST start`, then wait for `running` (`booted`).

        Raises:
            BackendOperationFailedError: Nemeton refused, or the VM went to `error` (the
                console's last lines in the metadata); it is left as Nemeton reports it.
        """
        handle = self.handles.require(vm_id)
        vm = await self._act("start", handle, ctx)
        return await self._reach(vm, "running", "booted", ctx, "to start")

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """`POST stop` (ACPI), wait for `stopped` (`shutdown`); then force-stop or time out.

        Raises:
            BackendTimeoutError: The guest did not power off within `timeout_seconds` and
                `force_after_timeout` is False; it is still running.
        """
        handle = self.handles.require(vm_id)
        vm = await self._act("stop", handle, ctx)
        try:
            return await self._reach(
                vm, "stopped", "shutdown", ctx, "to shut down", timeout=timeout_seconds
            )
        except BackendTimeoutError as exc:
            if not force_after_timeout:
                raise BackendTimeoutError(
                    f"the guest of Nemeton VM {handle} did not power off within "
                    f"{timeout_seconds:g} s of the ACPI request; it still runs",
                    metadata={"nemeton_id": handle, "timeout_seconds": timeout_seconds},
                ) from exc
            ctx.log(f"the guest ignored ACPI for {timeout_seconds:g} s: forcing", level="warning")
        return await self._power_off(handle, ctx)

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`POST force-stop`, wait for `stopped` (`destroyed`); a stopped VM stays as is."""
        handle = self.handles.require(vm_id)
        vm = await self._api.get_vm(handle)
        if vm.state != "stopped":
            return await self._power_off(handle, ctx)
        ctx.log("the VM is already stopped")
        ctx.progress(1.0)
        return self._observation(vm)

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`POST pause`, wait for `paused` (`user`)."""
        handle = self.handles.require(vm_id)
        vm = await self._act("pause", handle, ctx)
        return await self._reach(vm, "paused", "user", ctx, "to pause")

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`POST resume`, wait for `running` (`unpaused`)."""
        handle = self.handles.require(vm_id)
        vm = await self._act("resume", handle, ctx)
        return await self._reach(vm, "running", "unpaused", ctx, "to resume")

    # -- snapshots --------------------------------------------------------------------------

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """A Nemeton snapshot named after the vmkit snapshot id (disk only, as far as known)."""
        handle = self.handles.require(vm_id)
        ctx.log(f"asking Nemeton to snapshot VM {handle} as {snapshot_id!r}")
        snap = await self._api.create_snapshot(handle, snapshot_id)
        ctx.log(f"Nemeton took snapshot {snap.id}")
        ctx.progress(1.0)
        return SnapshotInfo(includes_memory=False)

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """Revert the disk (`from_snapshot`, stopped); a running or paused VM is powered off first.

        Nemeton restores stopped VMs only (see the spec), and a disk-only snapshot leaves
        vmkit's VM stopped anyway.
        """
        handle = self.handles.require(vm_id)
        sid = await self._snapshot_id(handle, snapshot_id)
        if (await self._api.get_vm(handle)).state != "stopped":
            ctx.log("Nemeton restores stopped VMs only: powering off first", level="warning")
            await self._power_off(handle, ctx)
        ctx.log(f"asking Nemeton to restore snapshot {sid}")
        vm = await self._api.restore_snapshot(handle, sid)
        return self._settle(vm, "from_snapshot", ctx)

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """Delete the Nemeton snapshot named after `snapshot_id`."""
        handle = self.handles.require(vm_id)
        sid = await self._snapshot_id(handle, snapshot_id)
        ctx.log(f"asking Nemeton to delete snapshot {sid}")
        await self._api.delete_snapshot(handle, sid)
        ctx.progress(1.0)

    async def _snapshot_id(self, handle: str, snapshot_id: str) -> str:
        for snap in await self._api.list_snapshots(handle):
            if snap.name == snapshot_id:
                return snap.id
        raise BackendSnapshotNotFoundError(
            f"Nemeton VM {handle} has no snapshot named {snapshot_id!r}",
            metadata={"nemeton_id": handle, "snapshot_id": snapshot_id},
        )

    # -- the serial console -----------------------------------------------------------------

    async def console_read(self, vm_id: str, offset: int | None, max_bytes: int) -> ConsoleChunk:
        """Nemeton's buffered console output by vmkit byte offset (see `_nemeton_console`)."""
        handle = self.handles.require(vm_id)
        text = await self._api.read_console(handle)
        return self._console.chunk(handle, text.encode("utf-8"), offset, max_bytes)

    async def console_write(self, vm_id: str, data: bytes) -> None:
        """Send `data` as text (Nemeton's console takes text: bytes are read as UTF-8).

        Raises:
            GuestNotReadyError: Nemeton refused (the VM does not run).
        """
        handle = self.handles.require(vm_id)
        try:
            await self._api.send_console(handle, data.decode("utf-8", errors="replace"))
        except NemetonRefusedError as exc:
            raise GuestNotReadyError(exc.detail, metadata=exc.metadata) from exc

    # -- the truth ----------------------------------------------------------------------------

    async def observe(self, vm_id: str) -> Observation:
        """Nemeton's state of the VM (`unknown` for a state its document does not name)."""
        return self._observation(await self._api.get_vm(self.handles.require(vm_id)))

    async def list_vm_ids(self) -> list[str]:
        """The vmkit ids of the mapped VMs Nemeton still has."""
        present = {vm.id for vm in await self._api.list_vms()}
        return [vm_id for vm_id, handle in self.handles.items() if handle in present]

    async def discover(self) -> list[DiscoveredVM]:
        """Nemeton's VMs that no vmkit id maps to yet, named after their Nemeton names."""
        known = self.handles.handles()
        return [
            DiscoveredVM(
                handle=vm.id,
                name=vmkit_name(vm.name, vm.id),
                cpus=vm.cpu_count,
                memory_mib=vm.memory_mb,
                disk_gib=vm.disk_gb,
                image=None,
                observation=self._observation(vm),
            )
            for vm in await self._api.list_vms()
            if vm.id not in known
        ]

    async def adopt(self, handle: str, vm_id: str) -> None:
        """Map `vm_id` to the Nemeton VM `handle`."""
        self.handles.adopt(vm_id, handle)

    def watch(self) -> AsyncIterator[str]:
        """Ids of mapped VMs Nemeton's event feed reports changed (see `_nemeton_events`).

        Returns:
            The ids as `vm.*` events arrive (unmapped VMs are skipped: a pass adopts them);
            iterating raises `BackendUnavailableError` if Nemeton is unreachable or says 401.
        """
        return watch_vms(self.options, self.handles)

    def _observation(self, vm: Vm) -> Observation:
        power = STATES.get(vm.state, P.UNKNOWN)
        known = self._reasons.get(vm.id)
        reason = known[1] if known is not None and known[0] == vm.state else None
        if power is P.ERROR:
            reason = reason or "failed"
        extra = {"nemeton_id": vm.id, "nemeton_name": vm.name, "nemeton_state": vm.state}
        return Observation(state=power, reason=reason, extra=extra)

    # -- acting and waiting ---------------------------------------------------------------------

    async def _act(self, action: str, handle: str, ctx: OperationContext) -> Vm:
        ctx.log(f"POST /api/v1/vms/{handle}/{action}")
        vm = await self._api.lifecycle(action, handle)
        ctx.progress(0.1)
        return vm

    async def _power_off(self, handle: str, ctx: OperationContext) -> Observation:
        """`POST force-stop` and wait for `stopped` (`destroyed`)."""
        try:
            vm = await self._act("force-stop", handle, ctx)
        except NemetonRefusedError:
            # it may have stopped in between: then there is nothing left to do
            vm = await self._api.get_vm(handle)
            if vm.state != "stopped":
                raise
        return await self._reach(vm, "stopped", "destroyed", ctx, "to power off")

    async def _reach(
        self,
        first: Vm,
        target: str,
        reason: str,
        ctx: OperationContext,
        what: str,
        *,
        timeout: float | None = None,
    ) -> Observation:
        """Poll from `first` (the action's answer) until Nemeton shows `target`.

        Raises:
            BackendOperationFailedError: The VM went to `error` on the way.
            BackendTimeoutError: It did not get there within `timeout` (`action_timeout`).
        """
        handle = first.id
        seen: list[str] = []
        answers = [first]

        async def check() -> Vm | None:
            vm = answers.pop() if answers else await self._api.get_vm(handle)
            if not seen or seen[-1] != vm.state:
                seen.append(vm.state)
                ctx.log(f"Nemeton reports VM {vm.name!r} {vm.state}")
            if vm.state == target:
                return vm
            if vm.state == "error" and target != "error":
                raise BackendOperationFailedError(
                    f"Nemeton VM {vm.name!r} went to error instead of {target}",
                    metadata={
                        "nemeton_id": handle,
                        "nemeton_state": vm.state,
                        "console_tail": await self._console_tail(handle),
                    },
                )
            return None

        vm = await poll_until(
            check,
            interval=self.options.poll_interval,
            timeout=self.action_timeout if timeout is None else timeout,
            what=f"Nemeton VM {handle} {what}",
            ctx=ctx,
        )
        return self._settle(vm, reason, ctx)

    def _settle(self, vm: Vm, reason: str, ctx: OperationContext) -> Observation:
        self._reasons[vm.id] = (vm.state, reason)
        ctx.progress(1.0)
        return self._observation(vm)

    async def _console_tail(self, handle: str) -> list[str]:
        try:
            text = await self._api.read_console(handle)
        except BackendError:
            return []
        return text.splitlines()[-5:]
