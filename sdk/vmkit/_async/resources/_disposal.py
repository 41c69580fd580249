"""Deleting a VM whatever it is doing: what ``client.vms.ephemeral`` does on exit."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from vmkit.errors import (
    ConflictError,
    NotFoundError,
    OperationFailedError,
    OperationInProgressError,
)

if TYPE_CHECKING:
    from vmkit._async.resources.vms import AsyncVMs

__all__ = ["SETTLED_STATES", "dispose"]

logger = logging.getLogger("vmkit")

#: States a forced delete is accepted from (transitional ones refuse it with a 409).
SETTLED_STATES = frozenset({"stopped", "running", "paused", "suspended", "error"})


async def dispose(vms: AsyncVMs, vm_id: str, *, timeout: float | None) -> None:
    """Delete a VM, powering it off first; a VM that is already gone counts as deleted.

    When the VM is busy (a snapshot or another operation is running), wait for it to
    settle and try once more.

    Args:
        vms: The client's ``vms`` resource.
        vm_id: The VM's id.
        timeout: How long the deletion (and any settling) may take; None waits as long
            as it takes.

    Raises:
        vmkit.errors.VmkitError: If the VM could not be deleted.
    """
    try:
        await vms.delete(vm_id, force=True, wait=True, wait_timeout=timeout)
    except NotFoundError:
        return
    except ConflictError as busy:
        logger.info("VM %s is busy; waiting for it to settle before deleting it", vm_id)
        try:
            if isinstance(busy, OperationInProgressError) and busy.operation_id:
                await _settle(vms, busy.operation_id, timeout)
            else:
                vm = await vms.get(vm_id)
                await vm.wait_for(SETTLED_STATES, timeout=timeout)
            await vms.delete(vm_id, force=True, wait=True, wait_timeout=timeout)
        except NotFoundError:
            return


async def _settle(vms: AsyncVMs, operation_id: str, timeout: float | None) -> None:
    """Wait for the operation keeping the VM busy to end, however it ends."""
    # Failed or cancelled: either way it no longer holds the VM.
    with contextlib.suppress(OperationFailedError):
        await vms._client.operations.wait(operation_id, timeout=timeout, progress=False)
