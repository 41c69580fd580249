"""What de taartenfabriek's published API does not offer: each answers 501 naming the backend.

The reasons are in `docs/backends/taartenfabriek.md` ("What it cannot do").
"""

from __future__ import annotations

from ..base import (
    Capabilities,
    CapabilityNotSupportedError,
    Observation,
    OperationContext,
    SnapshotInfo,
)

__all__ = ["TaartenUnsupported"]


class TaartenUnsupported:
    """The `Backend` methods the `taartenfabriek` backend cannot serve.

    Attributes:
        name: The backend's name (named in every 501).
        capabilities: What it declares (none of these).
    """

    name: str
    capabilities: Capabilities

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: the app has no pause (Tart has none either)."""
        raise CapabilityNotSupportedError("pause", self.name)

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: nothing is ever paused or suspended through the app."""
        raise CapabilityNotSupportedError("resume", self.name)

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: the app does not expose `tart suspend`."""
        raise CapabilityNotSupportedError("suspend", self.name)

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """Unsupported: the app has no snapshots (a clone is a new VM, not a snapshot)."""
        raise CapabilityNotSupportedError("snapshots", self.name)

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """Unsupported: the app has no snapshots."""
        raise CapabilityNotSupportedError("snapshots", self.name)

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """Unsupported: the app has no snapshots."""
        raise CapabilityNotSupportedError("snapshots", self.name)

    async def rename(self, vm_id: str, new_name: str) -> None:
        """Unsupported: the app does not expose `tart rename`."""
        raise CapabilityNotSupportedError("rename", self.name)

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Unsupported: the app sets CPUs and memory only when it creates a VM."""
        raise CapabilityNotSupportedError("update_resources", self.name)
