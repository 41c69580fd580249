"""The simulated hypervisor's machinery: the steps every action shares, lookups, persistence."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from pathlib import Path
from typing import Any

from ._sim_faults import Faults
from ._sim_state import SimSnapshot, SimVM, StateFile, load_state, pick_lease
from .base import (
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    Capabilities,
    Observation,
    OperationContext,
    PowerState,
)

__all__ = ["SimEngine"]

P = PowerState


class SimEngine:
    """The part of `SimulatedBackend` that is not its public API (it sets these attributes).

    Attributes:
        state_dir: Where the state is persisted, if anywhere.
        delay: Seconds an action takes.
        boot_delay: Seconds a boot takes.
        seed: Varies the deterministic addresses.
        faults: The armed faults.
    """

    capabilities: Capabilities
    state_dir: Path | None
    delay: float
    boot_delay: float
    seed: int
    faults: Faults
    _sleep: Callable[[float], Awaitable[None]]
    _vms: dict[str, SimVM]
    _loaded: bool
    _state_file: StateFile | None = None
    # Bumped by every force_stop of a VM: work that began under an older epoch lost.
    _epochs: dict[str, int]

    async def _act(
        self,
        action: str,
        vm_id: str,
        ctx: OperationContext,
        allowed: Collection[PowerState],
        message: str,
        *,
        boot: bool = False,
        instant: bool = False,
    ) -> SimVM:
        """Everything an action does before its change: checks, hang, work, injected failure."""
        self._check_available()
        self._require(self._vm(vm_id), action, allowed)
        epoch = self._epochs.get(vm_id, 0)
        await self._work(action, vm_id, ctx, message, boot=boot, instant=instant)
        vm = self._still(vm_id, action, epoch, allowed)
        self._fail_if_armed(action, vm_id, ctx, vm)
        return vm

    def _fail_if_armed(
        self, action: str, vm_id: str, ctx: OperationContext, vm: SimVM | None
    ) -> None:
        """Raise the injected failure of `action`, if one is armed (a start notes `failed`)."""
        detail = self.faults.take_failure(action)
        if detail is None:
            return
        metadata: dict[str, Any] = {"action": action, "vm_id": vm_id}
        if vm is not None:
            if action == "start":
                vm.reason = "failed"
            vm.say(f"[{vm.power}] {action} failed: {detail}")
            self._save(vm)
            metadata["console_tail"] = vm.console[-5:]
        ctx.log(f"{action} failed: {detail}", level="error")
        raise BackendOperationFailedError(detail, metadata=metadata)

    async def _work(
        self,
        action: str,
        vm_id: str,
        ctx: OperationContext,
        message: str,
        *,
        boot: bool = False,
        instant: bool = False,
    ) -> None:
        """Log, block while `action` hangs, then spend the action's time in two halves."""
        ctx.log(message)
        if await self.faults.wait_if_hung(action, vm_id):
            raise self._preempted(action, vm_id)
        if instant:
            return
        half = (self.boot_delay if boot else self.delay) / 2
        await self._sleep(half)
        ctx.progress(0.5)
        await self._sleep(half)

    def _still(self, vm_id: str, action: str, epoch: int, allowed: Collection[PowerState]) -> SimVM:
        """The VM after awaiting: not pre-empted meanwhile, still in an allowed state."""
        self._check_available()
        vm = self._vm(vm_id)
        if action != "force_stop" and self._epochs.get(vm_id, 0) != epoch:
            raise self._preempted(action, vm_id)
        self._require(vm, action, allowed)
        return vm

    def _preempted(self, action: str, vm_id: str) -> BackendOperationFailedError:
        return BackendOperationFailedError(
            f"{action} of VM {vm_id} was pre-empted by a force-stop",
            metadata={"action": action, "vm_id": vm_id, "preempted_by": "force_stop"},
        )

    def _require(self, vm: SimVM, action: str, allowed: Collection[PowerState]) -> None:
        if vm.power not in allowed:
            raise BackendOperationFailedError(
                f"the hypervisor refuses to {action} VM {vm.id}: it is {vm.power}",
                metadata={
                    "action": action,
                    "state": str(vm.power),
                    "allowed_from": sorted(str(s) for s in allowed),
                },
            )

    def _boot(self, vm: SimVM) -> None:
        vm.boot_count += 1
        vm.set_power(P.RUNNING, "booted")

    def _done(self, vm: SimVM, ctx: OperationContext, message: str) -> Observation:
        """Persist, report completion, and return what is now observed."""
        self._save(vm)
        ctx.progress(1.0)
        ctx.log(message)
        return vm.observation()

    def _add(self, vm: SimVM, ctx: OperationContext) -> Observation:
        self._vms[vm.id] = vm
        vm.say(f"[{vm.power}] {vm.reason}")
        return self._done(vm, ctx, f"VM {vm.name} is {vm.reason}")

    def _lease(self, vm_id: str) -> int:
        return pick_lease(self.seed, vm_id, {vm.lease for vm in self._vms.values()})

    def _snapshot(self, vm: SimVM, snapshot_id: str) -> SimSnapshot:
        snap = vm.snapshots.get(snapshot_id)
        if snap is None:
            raise BackendSnapshotNotFoundError(
                f"VM {vm.id} has no snapshot {snapshot_id!r}",
                metadata={"vm_id": vm.id, "snapshot_id": snapshot_id},
            )
        return snap

    def _vm(self, vm_id: str) -> SimVM:
        self._load()
        vm = self._vms.get(vm_id)
        if vm is None:
            raise BackendVMNotFoundError(
                f"the simulated hypervisor has no VM {vm_id!r}", metadata={"vm_id": vm_id}
            )
        return vm

    def _check_available(self) -> None:
        if not self.faults.available:
            raise BackendUnavailableError("the simulated host is unavailable (injected fault)")

    def _load(self) -> None:
        """Load the saved state once (from `open()`, or lazily on first use)."""
        if self._loaded:
            return
        if self.state_dir is not None:
            self._vms = load_state(self.state_dir)
        self._loaded = True

    def _save(self, *changed: SimVM) -> None:
        """Persist, re-serialising only the `changed` VMs (a deleted VM needs no mention)."""
        if self.state_dir is None:
            return
        if self._state_file is None:
            self._state_file = StateFile(self.state_dir)
        self._state_file.save(self._vms, changed)

    def vm_count(self) -> int:
        """How many VMs the hypervisor holds (for tests and load tests)."""
        self._load()
        return len(self._vms)
