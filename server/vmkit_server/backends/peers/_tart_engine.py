"""The Tart backend's core: what a Tart VM is now, booting it, powering it off.

Tart knows three states (`tart get` `State`): `running` while a `tart run` process holds
the VM, `suspended` while `state.vzvmsave` holds its RAM, `stopped` otherwise. `observe`
maps them one to one, with two refinements from evidence, never from guesses: a stopped VM
whose last `tart run` (started by this backend) exited non-zero is `error` (`failed` if it
ended during its start, `crashed` if later), with the exit code and output in `extra`; and
the reason of a stop is read from that run's output (`Stopping VM...` is `tart stop`:
`destroyed`; a clean exit without it is the guest powering off: `shutdown`). Any other
`State` is `unknown`, with Tart's word in `extra.tart_state`.

Readiness is `tart ip`: the VM is ready once Tart finds its address (see the `ip_resolver`
option; with `dhcp` a lease from an earlier boot may answer early).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..base import (
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendVMNotFoundError,
    Observation,
    OperationContext,
    PowerState,
)
from ..guest import GuestNotSupported
from ._common import HandleMap, poll_until
from ._tart_cmd import TartCLI, VMInfo, last_message
from ._tart_options import TartOptions
from ._tart_runs import RunFiles, Runs

__all__ = ["TartEngine"]

P = PowerState
_STATES = {"running": P.RUNNING, "suspended": P.SUSPENDED, "stopped": P.STOPPED}


class TartEngine(GuestNotSupported):
    """Shared state and the power moves of the Tart backend.

    Args:
        options: How to run `tart`.
        state_dir: Where the id map and the run files live.
    """

    name = "tart"

    def __init__(self, options: TartOptions, *, state_dir: Path) -> None:
        self.options = options
        self.state_dir = state_dir
        self.cli = TartCLI(options, backend=self.name)
        self.handles = HandleMap(state_dir / "handles.json", backend=self.name)
        self.runs = Runs(state_dir / "runs")
        self._reasons: dict[str, str] = {}
        self._claimed: set[str] = set()
        self._epochs: dict[str, int] = {}

    # -- bookkeeping --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _claim(self, *names: str) -> Iterator[None]:
        """Keep `names` out of `discover` while this backend makes or renames them."""
        added = [n for n in names if n not in self._claimed]
        self._claimed.update(added)
        try:
            yield
        finally:
            self._claimed.difference_update(added)

    def _epoch(self, vm_id: str) -> int:
        return self._epochs.get(vm_id, 0)

    def _preempt(self, vm_id: str) -> None:
        self._epochs[vm_id] = self._epoch(vm_id) + 1

    def _check_epoch(self, vm_id: str, epoch: int, action: str) -> None:
        if self._epoch(vm_id) != epoch:
            raise BackendOperationFailedError(
                f"the {action} of VM {vm_id} was pre-empted by a force-stop",
                metadata={"preempted_by": "force_stop"},
            )

    def _log(self, ctx: OperationContext, *args: str) -> None:
        ctx.log(f"$ {shlex.join(self.cli.argv(*args))}")

    # -- observing ------------------------------------------------------------------------------

    async def _observe(self, vm_id: str) -> Observation:
        name = self.handles.require(vm_id)
        return await self._observation(vm_id, name, await self.cli.get(name))

    async def _observation(self, vm_id: str | None, name: str, info: VMInfo) -> Observation:
        """What `info` (from `tart get`) and this backend's run files say about the VM."""
        extra: dict[str, Any] = {"tart_name": name, "tart_state": info.state, "os": info.os}
        state = _STATES.get(info.state, P.UNKNOWN)
        files = self.runs.files(vm_id) if vm_id is not None else None
        if state is P.RUNNING:
            address = await self.cli.ip(name)
            reason = None
            if files is not None and files.exists() and files.exit_code() is None:
                reason = files.meta().get("reason")
            addresses = (address,) if address else ()
            return Observation(P.RUNNING, reason, addresses, address is not None, extra)
        if state is P.SUSPENDED:
            return Observation(P.SUSPENDED, "saved", extra=extra)
        if state is P.STOPPED and files is not None and files.exit_code() is not None:
            return self._after_run(files, extra)
        reason = self._reasons.get(vm_id) if vm_id is not None and state is P.STOPPED else None
        return Observation(state, reason, extra=extra)

    @staticmethod
    def _after_run(files: RunFiles, extra: dict[str, Any]) -> Observation:
        code = files.exit_code()
        tail = files.tail()
        meta = files.meta()
        if meta.get("stopped_as"):  # this backend stopped it
            return Observation(P.STOPPED, str(meta["stopped_as"]), extra=extra)
        if "Stopping VM..." in tail.splitlines():  # `tart stop` from elsewhere
            return Observation(P.STOPPED, "destroyed", extra=extra)
        if code == 0:
            return Observation(P.STOPPED, "shutdown", extra=extra)
        reached = bool(meta.get("reached_running"))
        evidence = {**extra, "exit_code": code, "log_tail": tail}
        return Observation(P.ERROR, "crashed" if reached else "failed", extra=evidence)

    # -- booting --------------------------------------------------------------------------------

    async def _boot(self, vm_id: str, ctx: OperationContext) -> Observation:
        """`tart run` the VM detached; wait until it runs, then (a while) for its address.

        Raises:
            BackendOperationFailedError: `tart run` ended before the VM ran (its output is
                in the metadata); the VM is left as Tart left it (stopped, or suspended if
                restoring failed).
            BackendTimeoutError: It did not reach `running` within `timeout` (then stopped).
        """
        name = self.handles.require(vm_id)
        info = await self.cli.get(name)
        if info.state == "running":
            ctx.log(f"Tart VM {name} is running already")
            return await self._observation(vm_id, name, info)
        restoring = info.state == "suspended"
        suspendable = self.options.suspendable and info.os == "darwin"
        args = ["run", "--no-graphics", *(["--suspendable"] if suspendable else []), name]
        files = self.runs.files(vm_id)
        reason = "restored" if restoring else "booted"
        files.reset(name=name, suspendable=suspendable, reason=reason)
        epoch = self._epoch(vm_id)
        self._log(ctx, *args)
        ctx.log(f"(detached; its output goes to {files.log})")
        try:
            await self.runs.launch(files, self.cli.argv(*args), self.cli.env)
        except OSError as exc:
            raise self.cli.unavailable(exc) from exc

        async def running() -> VMInfo | None:
            current = await self.cli.get(name)
            self._check_epoch(vm_id, epoch, "start")
            self._raise_if_ended(files, name)
            return current if current.state == "running" else None

        try:
            await poll_until(
                running, interval=self.options.poll_interval, timeout=self.options.timeout,
                what=f"Tart VM {name} to run", ctx=ctx,
            )  # fmt: skip
        except BackendTimeoutError:
            await self._stop_quietly(name)
            raise
        ctx.log(f"Tart VM {name} is {'running again' if restoring else 'running'}")
        return await self._wait_ready(vm_id, name, files, ctx, epoch)

    async def _wait_ready(
        self, vm_id: str, name: str, files: RunFiles, ctx: OperationContext, epoch: int
    ) -> Observation:
        ctx.log(f"waiting up to {self.options.ready_timeout:g} s for its address (tart ip)")

        async def address() -> str | None:
            found = await self.cli.ip(name)
            self._check_epoch(vm_id, epoch, "start")
            self._raise_if_ended(files, name)
            return found

        try:
            found = await poll_until(
                address, interval=self.options.poll_interval,
                timeout=self.options.ready_timeout, what=f"an address of Tart VM {name}",
            )  # fmt: skip
            ctx.log(f"ready at {found}")
        except BackendTimeoutError:
            ctx.log(
                f"no address after {self.options.ready_timeout:g} s: the guest may still be "
                "booting or have no network; the VM runs, not ready yet",
                level="warning",
            )
        # a run that ends from now on crashed; before, the start failed (Tart takes the run
        # lock, so shows `running`, before Virtualization.framework refuses a VM)
        files.update_meta(reached_running=True)
        ctx.progress(1.0)
        return await self._observe(vm_id)

    def _raise_if_ended(self, files: RunFiles, name: str) -> None:
        code = files.exit_code()
        if code is None:
            return
        tail = files.tail()
        raise BackendOperationFailedError(
            f"tart run {name} exited with status {code}: {last_message(tail) or 'no output'}",
            metadata={"tart_name": name, "exit_code": code, "log_tail": tail},
        )

    # -- powering off ---------------------------------------------------------------------------

    async def _power_off(self, vm_id: str, name: str, ctx: OperationContext) -> Observation:
        """`tart stop` (SIGINT to `tart run`, SIGKILL after `timeout`); pre-empts the VM's calls.

        A suspended VM loses its saved RAM.
        """
        self._preempt(vm_id)
        args = ["stop", "--timeout", str(max(1, int(self.options.timeout))), name]
        self._log(ctx, *args)
        result = await self.cli.run(*args, timeout=self.options.timeout * 2, check=False)
        if result.exit_code != 0 and "is not running" not in last_message(result.err):
            raise self.cli.error(result)
        await self._wait_ended(vm_id, name)
        self._stopped_as(vm_id, "destroyed")
        ctx.progress(1.0)
        return await self._observe(vm_id)

    async def _shut_down(
        self, vm_id: str, name: str, ctx: OperationContext, *, timeout: float, force: bool
    ) -> Observation:
        """Ask the guest to shut down (SIGUSR2 to its `tart run`); power off after `timeout`.

        Raises:
            BackendOperationFailedError: The VM's `tart run` was not started by this backend
                (Tart has no other way to ask a guest) and `force` is False.
            BackendTimeoutError: The guest ignored the request and `force` is False; the VM
                keeps running.
        """
        files = self.runs.files(vm_id)
        pid = await self.runs.verified_pid(files, name)
        if pid is None:
            if not force:
                raise BackendOperationFailedError(
                    f"Tart VM {name} was not started by this vmkit server, and Tart offers no "
                    "other way to ask its guest to shut down; force-stop it (or stop with "
                    "force_after_timeout)",
                    metadata={"tart_name": name},
                )
            ctx.log("not started by this server: Tart can only power it off")
            return await self._power_off(vm_id, name, ctx)
        epoch = self._epoch(vm_id)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGUSR2)
        ctx.log(f"asked the guest to shut down (SIGUSR2 to tart run, pid {pid})")
        try:
            await self._wait_ended(vm_id, name, timeout=timeout, ctx=ctx, epoch=epoch)
        except BackendTimeoutError:
            if not force:
                raise BackendTimeoutError(
                    f"the guest of Tart VM {name} did not shut down within {timeout:g} s; "
                    "it is still running",
                    metadata={"tart_name": name, "timeout_seconds": timeout},
                ) from None
            ctx.log("the guest did not shut down in time; powering it off", level="warning")
            return await self._power_off(vm_id, name, ctx)
        self._stopped_as(vm_id, "shutdown")
        ctx.progress(1.0)
        return await self._observe(vm_id)

    def _stopped_as(self, vm_id: str, reason: str) -> None:
        """Remember why the VM stopped (for `observe`, also after a restart of the server)."""
        self._reasons[vm_id] = reason
        files = self.runs.files(vm_id)
        if files.exists():
            files.update_meta(stopped_as=reason)

    async def _wait_ended(
        self,
        vm_id: str,
        name: str,
        *,
        timeout: float | None = None,
        ctx: OperationContext | None = None,
        epoch: int | None = None,
    ) -> None:
        """Wait until the VM no longer runs (and its run's exit status is written)."""
        files = self.runs.files(vm_id)

        async def ended() -> bool | None:
            running = (await self.cli.get(name)).state == "running"
            if epoch is not None:  # after the look: a force-stop may have ended it meanwhile
                self._check_epoch(vm_id, epoch, "stop")
            if running:
                return None
            # our own run: wait for its exit status too, the evidence `observe` reads
            pid = files.pid()
            written = files.exit_code() is not None
            return True if pid is None or written or not _alive(pid) else None

        await poll_until(
            ended, interval=self.options.poll_interval,
            timeout=self.options.timeout if timeout is None else timeout,
            what=f"Tart VM {name} to stop", ctx=ctx,
        )  # fmt: skip

    async def _stop_quietly(self, name: str) -> None:
        with contextlib.suppress(BackendVMNotFoundError, BackendOperationFailedError):
            await self.cli.run("stop", "--timeout", "5", name, check=False)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
