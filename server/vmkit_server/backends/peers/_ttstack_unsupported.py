"""What TTstack's API does not offer at all: each answers 501 naming the backend.

The reasons are in `docs/backends/ttstack.md` ("What it cannot do"). The engine-dependent
actions (start, stop, pause, ...) are decided in the backend itself.
"""

from __future__ import annotations

from ..base import (
    Capabilities,
    CapabilityNotSupportedError,
    Observation,
    OperationContext,
    SnapshotInfo,
    VMSpec,
)

__all__ = ["TTstackUnsupported"]


class TTstackUnsupported:
    """The `Backend` methods the `ttstack` backend cannot serve with any engine.

    Attributes:
        name: The backend's name (named in every 501).
        capabilities: What it declares (none of these).
    """

    name: str
    capabilities: Capabilities

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: TTstack cannot save a VM's RAM to disk."""
        raise CapabilityNotSupportedError("suspend", self.name)

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """Unsupported: TTstack has no snapshots."""
        raise CapabilityNotSupportedError("snapshots", self.name)

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """Unsupported: TTstack has no snapshots."""
        raise CapabilityNotSupportedError("snapshots", self.name)

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """Unsupported: TTstack has no snapshots."""
        raise CapabilityNotSupportedError("snapshots", self.name)

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """Unsupported: TTstack makes VMs from base images only."""
        raise CapabilityNotSupportedError("clone", self.name)

    async def rename(self, vm_id: str, new_name: str) -> None:
        """Unsupported: an environment's id is its name, and TTstack cannot change it."""
        raise CapabilityNotSupportedError("rename", self.name)

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Unsupported: TTstack cannot change a VM's CPUs or memory."""
        raise CapabilityNotSupportedError("update_resources", self.name)
