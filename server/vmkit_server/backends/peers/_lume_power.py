"""Starting and stopping Lume VMs, each confirmed by reading the VM back.

Lume's `run` answers `"pending"` before it tries, and a start that fails (Apple's limit of two
running macOS guests, a VM that is already running, ...) leaves the VM `stopped` with the reason
only in Lume's server log. So a start counts only once Lume shows the VM `running`; the macOS
limit is checked before asking (and again while waiting), so that failure has its reason.
"""

from __future__ import annotations

import anyio

from vmkit.peers.lume.models import RunResponse, RunVMRequest, VMDetails

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendTimeoutError,
    OperationContext,
)
from ._common import poll_until
from ._lume_api import LumeAPI

__all__ = ["MACOS_LIMIT", "LumePower"]

#: Apple's Virtualization framework runs at most this many macOS guests at once.
MACOS_LIMIT = 2


class LumePower:
    """Runs and stops Lume VMs and waits to see the result.

    Args:
        api: Lume's calls.
        poll_interval: Seconds between reads of the VM.
        start_timeout: Seconds to wait to see a run come up.
        no_display: Run VMs without opening a VNC client.
    """

    def __init__(
        self, api: LumeAPI, *, poll_interval: float, start_timeout: float, no_display: bool
    ) -> None:
        self._api = api
        self._interval = poll_interval
        self._start_timeout = start_timeout
        self._no_display = no_display

    async def run(self, handle: str, os: str, ctx: OperationContext) -> VMDetails:
        """Ask Lume to run the VM, then wait to see it `running`.

        Raises:
            BackendOperationFailedError: Lume refused, two macOS guests already run, or the
                VM did not come up within the start timeout.
        """
        await self.check_macos_limit(handle, os)
        answer = await self._api.run(handle, RunVMRequest(no_display=self._no_display))
        ctx.log(f"Lume answered {answer.status!r} ({answer.message}); waiting to see it running")
        ctx.progress(0.1)
        try:
            return await poll_until(
                lambda: self._running(handle, os),
                interval=self._interval,
                timeout=self._start_timeout,
                what=f"Lume VM {handle} to run",
                ctx=ctx,
            )
        except BackendTimeoutError:
            raise await self._did_not_start(handle, answer) from None

    async def stop(self, handle: str, ctx: OperationContext, *, timeout: float) -> VMDetails:
        """Ask Lume to stop the VM (unless it shows it stopped), then wait to see it `stopped`.

        Raises:
            BackendOperationFailedError: Lume refused and the VM is not stopped.
            BackendTimeoutError: Not stopped within `timeout` seconds.
        """
        vm = await self._api.get(handle)
        if vm.state == "stopped":
            ctx.log(f"Lume already shows VM {handle} stopped")
            return vm
        ctx.log(f"asking Lume to stop VM {handle} (waiting up to {timeout:g} s)")
        try:
            with anyio.fail_after(timeout):
                try:
                    await self._api.stop(handle)
                except BackendOperationFailedError:
                    # Lume refuses to stop a VM that is not running: fine if it stopped anyway.
                    if await self.in_state(handle, "stopped") is None:
                        raise
                return await poll_until(
                    lambda: self.in_state(handle, "stopped"),
                    interval=self._interval,
                    timeout=timeout,
                    what=f"Lume VM {handle} to stop",
                    ctx=ctx,
                )
        except TimeoutError:
            raise BackendTimeoutError(
                f"Lume did not stop VM {handle!r} within {timeout:g} s (it has no harder stop)",
                metadata={"lume_vm": handle, "timeout_seconds": timeout},
            ) from None

    async def check_macos_limit(self, handle: str, os: str) -> None:
        """Refuse to start a third macOS guest: Lume would answer "pending" and then fail.

        Raises:
            BackendOperationFailedError: `os` is macOS and two other macOS guests run.
        """
        if os.lower() != "macos":
            return
        running = [
            vm.name
            for vm in await self._api.list()
            if vm.os.lower() == "macos" and vm.state == "running" and vm.name != handle
        ]
        if len(running) >= MACOS_LIMIT:
            raise BackendOperationFailedError(
                f"Lume cannot run macOS VM {handle!r}: Apple's Virtualization framework runs at "
                f"most {MACOS_LIMIT} macOS guests at once, and {', '.join(running)} are running",
                metadata={"lume_vm": handle, "running_macos": running, "limit": MACOS_LIMIT},
            )

    async def in_state(self, handle: str, state: str) -> VMDetails | None:
        """The VM if Lume shows it in `state`, else None (also when Lume has no such VM)."""
        vm = await self._api.find(handle)
        return vm if vm is not None and vm.state == state else None

    async def _running(self, handle: str, os: str) -> VMDetails | None:
        vm = await self._api.get(handle)
        if vm.state == "running":
            return vm
        await self.check_macos_limit(handle, os)
        return None

    async def _did_not_start(self, handle: str, answer: RunResponse) -> BackendError:
        last = await self._api.find(handle)
        state = last.state if last is not None else "gone"
        waited = self._start_timeout
        return BackendOperationFailedError(
            f"Lume answered {answer.status!r} to running VM {handle!r}, but after {waited:g} s "
            f"it is {state!r}: the start failed, and Lume tells why only in its server log "
            "(the output of `lume serve`)",
            metadata={
                "lume_vm": handle,
                "lume_state": state,
                "lume_answer": answer.to_dict(),
                "waited_seconds": waited,
            },
        )
