"""What Nemeton's published REST API does not offer: each answers 501 naming the backend.

The reasons are in `docs/backends/nemeton.md` ("What it cannot do").
"""

from __future__ import annotations

from ..base import (
    Capabilities,
    CapabilityNotSupportedError,
    Observation,
    OperationContext,
    VMSpec,
)
from ..guest import ExecRequest, ExecResult

__all__ = ["NemetonUnsupported"]


class NemetonUnsupported:
    """The `Backend` and `GuestAccess` methods the `nemeton` backend cannot serve.

    Attributes:
        name: The backend's name (named in every 501).
        capabilities: What it declares (none of these).
    """

    name: str
    capabilities: Capabilities

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Unsupported: Nemeton documents no VM creation (make it in Nemeton; vmkit adopts it)."""
        raise CapabilityNotSupportedError("create", self.name)

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Unsupported: Nemeton documents no way to delete a VM."""
        raise CapabilityNotSupportedError("delete", self.name)

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: Nemeton documents no reboot (a stop then start is not one)."""
        raise CapabilityNotSupportedError("restart", self.name)

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: Nemeton documents no saving of RAM to disk."""
        raise CapabilityNotSupportedError("suspend", self.name)

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """Unsupported: cloning is an MCP tool of Nemeton, not part of its REST API."""
        raise CapabilityNotSupportedError("clone", self.name)

    async def rename(self, vm_id: str, new_name: str) -> None:
        """Unsupported: Nemeton documents no renaming."""
        raise CapabilityNotSupportedError("rename", self.name)

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Unsupported: Nemeton documents no change of CPUs or memory."""
        raise CapabilityNotSupportedError("update_resources", self.name)

    async def exec(self, vm_id: str, request: ExecRequest) -> ExecResult:
        """Unsupported: Nemeton's console `execute` returns text only, no exit status."""
        raise CapabilityNotSupportedError("exec", self.name)

    async def read_file(self, vm_id: str, path: str, *, max_bytes: int) -> bytes:
        """Unsupported: Nemeton documents no guest file access."""
        raise CapabilityNotSupportedError("files", self.name)

    async def write_file(self, vm_id: str, path: str, data: bytes, *, mode: int | None) -> None:
        """Unsupported: Nemeton documents no guest file access."""
        raise CapabilityNotSupportedError("files", self.name)

    async def screenshot(self, vm_id: str) -> bytes:
        """Unsupported: screenshots are an MCP tool of Nemeton (JPEG), not part of its REST API."""
        raise CapabilityNotSupportedError("screenshot", self.name)
