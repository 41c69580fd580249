"""The CiderStack adapter's power actions: one call, then polls of `ListVMs` until done.

CiderStack answers `StartVM`/`StopVM`/`SuspendVM` at once and moves the VM through
`starting`/`stopping` on its own, so every action polls `ListVMs` every `poll_interval`
seconds. A force-stop pre-empts the waits of other calls on the same VM: they raise
`BackendOperationFailedError` (metadata `preempted_by`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from vmkit.peers.ciderstack.api.vms import (
    list_vms,
    start_vm,
    stop_vm,
    suspend_vm,
)
from vmkit.peers.ciderstack.models import (
    VM,
    ListVmsRequest,
    ListVmsResult,
    MutationResult,
    StartVmRequest,
    StopVmRequest,
    SuspendVmRequest,
)
from vmkit.peers.ciderstack.types import Unset

from ..base import (
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendVMNotFoundError,
    NotSupported,
    Observation,
    OperationContext,
)
from ._ciderstack_rpc import NAME, CiderStackRPC
from ._ciderstack_vms import observation
from ._common import HandleMap, poll_until

__all__ = ["CiderStackActions"]


class CiderStackActions(NotSupported):
    """Reading the node and the power actions (the base of `CiderStackBackend`'s mixins)."""

    name: str
    rpc: CiderStackRPC
    handles: HandleMap
    poll_interval: float
    task_timeout: float
    state_timeout: float
    default_image: str | None
    reasons: dict[str, tuple[str, str]]
    epochs: Counter[str]

    # -- reading the node ---------------------------------------------------------------------

    async def list_vms(self) -> list[VM]:
        """Every VM of the node (`ListVMs`)."""
        answer = await self.rpc.call("ListVMs", list_vms, ListVmsRequest(), ListVmsResult)
        return [] if isinstance(answer.vms, Unset) else list(answer.vms)

    async def find(self, handle: str) -> VM:
        """The VM CiderStack knows as `handle`.

        Raises:
            BackendVMNotFoundError: `ListVMs` does not list it.
        """
        for vm in await self.list_vms():
            if vm.id == handle:
                return vm
        raise BackendVMNotFoundError(f"CiderStack has no VM {handle!r}")

    def observed(self, vm_id: str, vm: VM, reason: str | None = None) -> Observation:
        """`vm` as an observation; a `reason` given is kept while CiderStack's state stays."""
        if reason is not None:
            self.reasons[vm_id] = (vm.state, reason)
        remembered = self.reasons.get(vm_id)
        if remembered is not None and remembered[0] != vm.state:
            del self.reasons[vm_id]
            remembered = None
        return observation(vm, remembered[1] if remembered else None)

    async def wait_state(
        self,
        vm_id: str,
        want: Collection[str],
        ctx: OperationContext,
        *,
        since: int,
        what: str,
        timeout: float,
        give_up: Collection[str] = ("error",),
    ) -> VM:
        """Poll `ListVMs` until the VM is in one of `want`.

        Args:
            vm_id: The VM.
            want: The states that end the wait.
            ctx: Told the elapsed share of `timeout` as progress.
            since: The VM's force-stop count when the action began (`epochs[vm_id]`).
            what: What is awaited, for messages.
            timeout: Seconds to wait.
            give_up: States that end the wait with an error.

        Raises:
            BackendOperationFailedError: It reached a state of `give_up`, or a force-stop of
                the VM pre-empted the wait.
            BackendTimeoutError: `timeout` seconds passed.
        """
        handle = self.handles.require(vm_id)

        async def check() -> VM | None:
            if self.epochs[vm_id] != since:
                raise BackendOperationFailedError(
                    f"pre-empted by a force-stop while waiting for {what}",
                    metadata={"preempted_by": "force_stop", "vm_id": vm_id},
                )
            vm = await self.find(handle)
            if vm.state in want:
                return vm
            if vm.state in give_up:
                raise BackendOperationFailedError(
                    f"CiderStack reports the VM {vm.state!r} while waiting for {what}",
                    metadata={"backend": NAME, "ciderstack_state": vm.state},
                )
            return None

        return await poll_until(
            check, interval=self.poll_interval, timeout=timeout, what=what, ctx=ctx
        )

    # -- power --------------------------------------------------------------------------------

    async def _call(self, method: str, vm_id: str) -> None:
        endpoint, body = {
            "StartVM": (start_vm, StartVmRequest),
            "StopVM": (stop_vm, StopVmRequest),
            "SuspendVM": (suspend_vm, SuspendVmRequest),
        }[method]
        await self.rpc.call(
            method, endpoint, body(vm_id=self.handles.require(vm_id)), MutationResult
        )

    async def boot(
        self, vm_id: str, ctx: OperationContext, *, reason: str, since: int
    ) -> Observation:
        """`StartVM` and wait for `running` (`since`: see `wait_state`)."""
        await self._call("StartVM", vm_id)
        vm = await self.wait_state(
            vm_id,
            {"running"},
            ctx,
            since=since,
            what="the VM to run",
            timeout=self.state_timeout,
            give_up=("error", "stopped"),
        )
        ctx.log("running" + (f" at {vm.ip_address}" if isinstance(vm.ip_address, str) else ""))
        return self.observed(vm_id, vm, reason)

    async def power_off(
        self, vm_id: str, ctx: OperationContext, *, timeout: float, since: int
    ) -> VM:
        """`StopVM` unless it is stopped or stopping, then wait for `stopped` (see `wait_state`)."""
        vm = await self.find(self.handles.require(vm_id))
        if vm.state == "stopped":
            return vm
        if vm.state != "stopping":
            ctx.log("asking CiderStack to stop the VM")
            await self._call("StopVM", vm_id)
        return await self.wait_state(
            vm_id, {"stopped"}, ctx, since=since, what="the VM to stop", timeout=timeout, give_up=()
        )

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Boot a stopped or failed VM (`StartVM`, reason `booted`).

        Raises:
            BackendOperationFailedError: Refused (the two-macOS-VM limit, say): the VM is as
                it was; or it went `error`/`stopped` while booting.
        """
        since = self.epochs[vm_id]
        ctx.log("asking CiderStack to start the VM")
        return await self.boot(vm_id, ctx, reason="booted", since=since)

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """`StopVM` and wait up to `timeout_seconds` for `stopped` (reason `shutdown`).

        CiderStack has one power-off, so `force_after_timeout` can only wait longer (up to
        `state_timeout`) for the one already asked for.

        Raises:
            BackendTimeoutError: Not stopped in time (and not forced): it may still stop.
        """
        since = self.epochs[vm_id]
        try:
            vm = await self.power_off(vm_id, ctx, timeout=timeout_seconds, since=since)
        except BackendTimeoutError:
            if not force_after_timeout:
                raise
            ctx.log("still stopping; CiderStack has no harder power-off, waiting", level="warning")
            vm = await self.wait_state(
                vm_id,
                {"stopped"},
                ctx,
                since=since,
                what="the VM to stop",
                timeout=self.state_timeout,
                give_up=(),
            )
        return self.observed(vm_id, vm, "shutdown")

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`StopVM` at once, pre-empting waits of other calls (reason `destroyed`).

        A stopped VM stays as it is. CiderStack's `StopVM` is its only power-off.
        """
        handle = self.handles.require(vm_id)
        self.epochs[vm_id] += 1
        since = self.epochs[vm_id]
        vm = await self.find(handle)
        if vm.state == "stopped":
            return self.observed(vm_id, vm)
        vm = await self.power_off(vm_id, ctx, timeout=self.state_timeout, since=since)
        return self.observed(vm_id, vm, "destroyed")

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`StopVM`, wait for `stopped`, `StartVM`, wait for `running` (reason `booted`)."""
        since = self.epochs[vm_id]
        await self.power_off(vm_id, ctx, timeout=self.state_timeout, since=since)
        ctx.log("stopped; starting again")
        return await self.boot(vm_id, ctx, reason="booted", since=since)

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`SuspendVM`, which pauses (RAM kept in memory): `paused`, reason `user`."""
        since = self.epochs[vm_id]
        await self._call("SuspendVM", vm_id)
        vm = await self.wait_state(
            vm_id, {"paused"}, ctx, since=since, what="the VM to pause", timeout=self.state_timeout
        )
        return self.observed(vm_id, vm, "user")

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`StartVM` on the paused VM: `running`, reason `unpaused`."""
        return await self.boot(vm_id, ctx, reason="unpaused", since=self.epochs[vm_id])
