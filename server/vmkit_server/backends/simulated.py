"""A deterministic, in-memory hypervisor with injectable faults and timings.

Used by unit tests, the pytest plugin, demos and load tests. Every action takes `delay`
seconds of the injected `sleep` (a start or restart takes `boot_delay`), reports progress
0.5 then 1.0 and logs what it does. With a `state_dir` the whole hypervisor is saved
atomically after every change and loaded by `open()`, so it outlives a server restart the
way daemonized QEMU does: running VMs are still running.

What remains when a call fails (injected failure, refused state, pre-emption, lost host):
the VM is exactly as it was before the call, except that a failed `start` records the
reason `failed` (a stopped VM stays stopped, a suspended one keeps its saved RAM, one in
error stays in error). A failed `create` or `clone` leaves no new VM; a failed `delete`
leaves the VM; a failed `snapshot_create` leaves no snapshot. A graceful `stop` whose
guest ignores it times out: without `force_after_timeout` the VM stays running.

A `force_stop` pre-empts every other call on the same VM: a call blocked by `hang` or
still doing its work raises `BackendOperationFailedError` (metadata `preempted_by`) and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from pathlib import Path

import anyio

from ._sim_access import SimAccess
from ._sim_faults import Faults, check_action
from ._sim_guest import SimGuest
from ._sim_options import parse_options
from ._sim_state import SimSnapshot, SimVM
from .base import (
    BackendOperationFailedError,
    BackendTimeoutError,
    Capabilities,
    HostInfo,
    NullContext,
    Observation,
    OperationContext,
    PowerState,
    SnapshotInfo,
    VMSpec,
)

__all__ = ["SIMULATED_CAPABILITIES", "SimulatedBackend"]

P = PowerState
_ANY = frozenset(P)
_POWERED = frozenset({P.RUNNING, P.PAUSED})
_MIB = 2**20
SIMULATED_CAPABILITIES = Capabilities(
    create=True, delete=True, start=True, stop=True, force_stop=True, restart=True,
    pause=True, resume=True, suspend=True, snapshots=True, memory_snapshots=True,
    clone=True, rename=True, update_resources=True, ready_signal=True, resize_disk=True,
    exec=True, files=True, console=True, screenshot=True,
)  # fmt: skip
"""Everything: the guest is a tiny in-memory shell (see `_sim_guest`)."""


class SimulatedBackend(SimAccess):
    """Deterministic simulated VMs (see the module docstring for failure semantics).

    Args:
        state_dir: Where to persist the hypervisor (`simulated.json`); None keeps it in memory.
        delay: Seconds every action takes.
        boot_delay: Seconds a boot takes (start, restart); None means `delay`.
        seed: Varies the deterministic addresses.
        sleep: How to wait (inject an instant fake in tests).
    """

    name = "simulated"
    capabilities = SIMULATED_CAPABILITIES

    def __init__(
        self,
        *,
        state_dir: Path | None = None,
        delay: float = 0.005,
        boot_delay: float | None = None,
        seed: int = 0,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self.state_dir = state_dir
        self.delay = delay
        self.boot_delay = delay if boot_delay is None else boot_delay
        self.seed = seed
        self._sleep = sleep
        self._vms: dict[str, SimVM] = {}
        self._loaded = False
        self._epochs: dict[str, int] = {}
        self._guests: dict[str, SimGuest] = {}
        self.faults = Faults()

    @classmethod
    def from_options(
        cls, options: Mapping[str, str], *, state_dir: Path | None
    ) -> SimulatedBackend:
        """A backend configured from CLI strings.

        Args:
            options: Any of `delay`, `boot_delay`, `seed`, `fail` and `hang` (comma-separated
                actions) and `unavailable` (`true`/`false`), e.g. `{"fail": "start"}`.
            state_dir: Where to persist the hypervisor.

        Returns:
            The backend, with the faults armed.

        Raises:
            ValueError: An unknown key or action, or a value that does not parse.
        """
        opts = parse_options(options)
        backend = cls(
            state_dir=state_dir, delay=opts.delay, boot_delay=opts.boot_delay, seed=opts.seed
        )
        for action in opts.fail:
            backend.fail_next(action, f"injected failure of {action} (option fail={action})")
        for action in opts.hang:
            backend.hang(action)
        backend.set_available(not opts.unavailable)
        return backend

    # -- fault injection (synchronous: call them on the backend's event loop) --------------

    def fail_next(self, action: str, detail: str = "injected failure") -> None:
        """Make the next call of `action` raise `BackendOperationFailedError` with `detail`.

        Raises:
            ValueError: Unknown action.
        """
        self.faults.failures[check_action(action)] = detail

    def hang(self, action: str) -> None:
        """Make calls of `action` block until `release(action)` (or a force-stop pre-empts).

        Raises:
            ValueError: Unknown action.
        """
        self.faults.hung.add(check_action(action))

    def release(self, action: str) -> None:
        """Let calls of `action` run again, waking those that are blocked.

        Raises:
            ValueError: Unknown action.
        """
        self.faults.release(check_action(action))

    def set_available(self, available: bool) -> None:
        """Lose (False) or regain (True) the host: while lost every call raises 503."""
        self.faults.available = available

    def ignore_shutdown(self, vm_id: str, ignore: bool = True) -> None:
        """Make the guest of `vm_id` ignore (or again obey) graceful shutdown requests."""
        if ignore:
            self.faults.ignoring_shutdown.add(vm_id)
        else:
            self.faults.ignoring_shutdown.discard(vm_id)

    def crash(self, vm_id: str) -> None:
        """The guest of a running or paused VM crashes: `error`, reason `crashed`.

        Raises:
            BackendVMNotFoundError: Unknown VM.
            ValueError: The VM is not running or paused.
        """
        self._guest_event(self._vm(vm_id), _POWERED, P.ERROR, "crashed")

    def power_off_from_guest(self, vm_id: str) -> None:
        """The guest of a running VM shuts itself down: `stopped`, reason `shutdown`.

        Raises:
            BackendVMNotFoundError: Unknown VM.
            ValueError: The VM is not running.
        """
        self._guest_event(self._vm(vm_id), {P.RUNNING}, P.STOPPED, "shutdown")

    def _guest_event(
        self, vm: SimVM, allowed: Collection[PowerState], power: PowerState, reason: str
    ) -> None:
        if vm.power not in allowed:
            raise ValueError(f"VM {vm.id} is {vm.power}; expected one of {sorted(allowed)}")
        vm.set_power(power, reason)
        self._save(vm)

    # -- lifecycle of the backend -----------------------------------------------------------

    async def open(self) -> None:
        """Load the saved hypervisor (if any); works while the host is marked unavailable."""
        self._load()

    async def close(self) -> None:
        """Save the state; simulated VMs keep running, as daemonized QEMU does."""
        if self._loaded:
            self._save(*self._vms.values())  # guest output may have changed any VM

    async def host_info(self) -> HostInfo:
        """A fixed, deterministic host."""
        self._check_available()
        return HostInfo(
            hostname=f"simulated-{self.seed}", cpus=64, memory_mib=262144,
            hypervisor="simulated", hypervisor_version="1.0", accelerator=None,
        )  # fmt: skip

    # -- VM actions -------------------------------------------------------------------------

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Define a stopped VM (reason `created`); fails if the id exists."""
        self._check_available()
        if spec.id in self._vms:
            raise BackendOperationFailedError(f"a VM with id {spec.id!r} already exists")
        await self._work("create", spec.id, ctx, f"defining VM {spec.name}")
        self._check_available()
        if spec.id in self._vms:
            raise BackendOperationFailedError(f"a VM with id {spec.id!r} already exists")
        self._fail_if_armed("create", spec.id, ctx, None)
        return self._add(SimVM.from_spec(spec, self._lease(spec.id), reason="created"), ctx)

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Remove a stopped, suspended or failed VM and its snapshots."""
        await self._act("delete", vm_id, ctx, {P.STOPPED, P.SUSPENDED, P.ERROR}, "deleting")
        del self._vms[vm_id]
        self._epochs.pop(vm_id, None)
        self._guests.pop(vm_id, None)
        self._save()
        ctx.log(f"deleted VM {vm_id}")
        ctx.progress(1.0)

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Boot (`booted`), or restore saved RAM of a suspended VM (`restored`)."""
        allowed = {P.STOPPED, P.SUSPENDED, P.ERROR}
        vm = await self._act("start", vm_id, ctx, allowed, "booting guest", boot=True)
        if vm.power is P.SUSPENDED:
            vm.set_power(P.RUNNING, "restored")
        else:
            self._boot(vm)
        return self._done(vm, ctx, f"guest ready at {vm.ip_address}")

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Shut down gracefully (`shutdown`); a guest that ignores it is killed or times out.

        Raises:
            BackendTimeoutError: The guest ignored the request for `timeout_seconds` and
                `force_after_timeout` is False; it is still running.
        """
        vm = await self._act("stop", vm_id, ctx, _POWERED, "asking the guest to shut down")
        if vm_id not in self.faults.ignoring_shutdown:
            vm.set_power(P.STOPPED, "shutdown")
            return self._done(vm, ctx, "guest powered off")
        epoch = self._epochs.get(vm_id, 0)
        ctx.log(f"the guest ignores the request; waiting up to {timeout_seconds}s", level="warning")
        await self._sleep(timeout_seconds)
        vm = self._still(vm_id, "stop", epoch, _POWERED)
        if not force_after_timeout:
            vm.say(f"[{vm.power}] shutdown request ignored")
            self._save(vm)
            raise BackendTimeoutError(
                f"the guest of VM {vm_id} did not shut down within {timeout_seconds}s",
                metadata={"timeout_seconds": timeout_seconds, "console_tail": vm.console[-5:]},
            )
        ctx.log("powering off after the timeout", level="warning")
        vm.set_power(P.STOPPED, "destroyed")
        return self._done(vm, ctx, "guest powered off")

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Power off at once (`destroyed`), pre-empting other calls; a stopped VM stays as is."""
        self._check_available()
        self._vm(vm_id)
        self._epochs[vm_id] = self._epochs.get(vm_id, 0) + 1
        self.faults.preempt(vm_id)
        vm = await self._act("force_stop", vm_id, ctx, _ANY - {P.UNKNOWN}, "powering off")
        if vm.power is not P.STOPPED:
            vm.set_power(P.STOPPED, "destroyed")
        return self._done(vm, ctx, "powered off")

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Reboot a running VM (`booted`, one more boot)."""
        vm = await self._act("restart", vm_id, ctx, {P.RUNNING}, "rebooting guest", boot=True)
        self._boot(vm)
        return self._done(vm, ctx, f"guest ready at {vm.ip_address}")

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Freeze a running VM (`paused`, reason `user`): it keeps its address, not ready."""
        vm = await self._act("pause", vm_id, ctx, {P.RUNNING}, "pausing vCPUs")
        vm.set_power(P.PAUSED, "user")
        return self._done(vm, ctx, "paused")

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Run a paused (`unpaused`) or suspended (`restored`) VM again."""
        vm = await self._act("resume", vm_id, ctx, {P.PAUSED, P.SUSPENDED}, "resuming")
        vm.set_power(P.RUNNING, "unpaused" if vm.power is P.PAUSED else "restored")
        return self._done(vm, ctx, "running")

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Save a running or paused VM's RAM (`suspended`, reason `saved`)."""
        vm = await self._act("suspend", vm_id, ctx, _POWERED, "saving RAM to disk")
        vm.set_power(P.SUSPENDED, "saved")
        return self._done(vm, ctx, "suspended")

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """Snapshot the disk, plus RAM if the VM is running or paused."""
        allowed = {P.STOPPED, *_POWERED}
        vm = await self._act("snapshot_create", vm_id, ctx, allowed, "taking a snapshot")
        if snapshot_id in vm.snapshots:
            raise BackendOperationFailedError(
                f"VM {vm_id} already has a snapshot {snapshot_id!r}",
                metadata={"vm_id": vm_id, "snapshot_id": snapshot_id},
            )
        memory = vm.power in _POWERED and self.capabilities.memory_snapshots
        size = (1 + vm.boot_count) * 16 * _MIB + (vm.memory_mib * _MIB if memory else 0)
        vm.snapshots[snapshot_id] = SimSnapshot(
            memory, size, vm.power, vm.cpus, vm.memory_mib, vm.boot_count
        )
        self._done(vm, ctx, f"snapshot {snapshot_id} taken" + (" with RAM" if memory else ""))
        return SnapshotInfo(includes_memory=memory, size_bytes=size)

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """Revert to a snapshot (`from_snapshot`): running for a memory snapshot, else stopped."""
        allowed = _ANY - {P.UNKNOWN}
        self._check_available()
        self._snapshot(self._vm(vm_id), snapshot_id)
        vm = await self._act("snapshot_restore", vm_id, ctx, allowed, "reverting the disk")
        snap = self._snapshot(vm, snapshot_id)
        vm.cpus, vm.memory_mib, vm.boot_count = snap.cpus, snap.memory_mib, snap.boot_count
        vm.set_power(P.RUNNING if snap.includes_memory else P.STOPPED, "from_snapshot")
        return self._done(vm, ctx, f"restored snapshot {snapshot_id}")

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """Delete a snapshot, in any state."""
        self._check_available()
        self._snapshot(self._vm(vm_id), snapshot_id)
        vm = await self._act("snapshot_delete", vm_id, ctx, _ANY, "deleting a snapshot")
        self._snapshot(vm, snapshot_id)
        del vm.snapshots[snapshot_id]
        self._done(vm, ctx, f"deleted snapshot {snapshot_id}")

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """Copy a stopped, paused or suspended VM's disk into a new stopped VM (`cloned`)."""
        allowed = {P.STOPPED, P.PAUSED, P.SUSPENDED}
        self._check_available()
        if target.id in self._vms:
            raise BackendOperationFailedError(f"a VM with id {target.id!r} already exists")
        await self._act("clone", source_id, ctx, allowed, f"copying the disk to {target.name}")
        if target.id in self._vms:
            raise BackendOperationFailedError(f"a VM with id {target.id!r} already exists")
        return self._add(SimVM.from_spec(target, self._lease(target.id), reason="cloned"), ctx)

    async def rename(self, vm_id: str, new_name: str) -> None:
        """Change the VM's name, in any state."""
        vm = await self._act("rename", vm_id, NullContext(), _ANY, "renaming", instant=True)
        vm.name = new_name
        self._save(vm)

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Change CPUs and/or RAM of a stopped VM (None keeps the value; both must be > 0)."""
        vm = await self._act(
            "update_resources", vm_id, NullContext(), {P.STOPPED}, "resizing", instant=True
        )
        if (cpus is not None and cpus < 1) or (memory_mib is not None and memory_mib < 1):
            raise BackendOperationFailedError(
                f"cannot give VM {vm_id} cpus={cpus}, memory_mib={memory_mib}"
            )
        vm.cpus = vm.cpus if cpus is None else cpus
        vm.memory_mib = vm.memory_mib if memory_mib is None else memory_mib
        self._save(vm)

    async def observe(self, vm_id: str) -> Observation:
        """The VM's current truth."""
        self._check_available()
        return self._vm(vm_id).observation()

    async def list_vm_ids(self) -> list[str]:
        """Every VM id, in creation order."""
        self._check_available()
        self._load()
        return list(self._vms)
