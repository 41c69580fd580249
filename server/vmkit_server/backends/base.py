"""The hypervisor Protocol every backend implements, and what it returns and raises.

A backend never sees HTTP or the store: the server's operation runner calls it with an
`OperationContext` for progress and logs, and maps what it returns (`Observation`) or
raises (`BackendError`) onto VM records and problem+json answers.

Errors, as drawn where they are defined::

    BackendError                       500 BACKEND_ERROR
    ├── BackendUnavailableError        503 BACKEND_UNAVAILABLE
    ├── CapabilityNotSupportedError    501 CAPABILITY_NOT_SUPPORTED
    ├── BackendVMNotFoundError         404 VM_NOT_FOUND
    ├── BackendSnapshotNotFoundError   404 SNAPSHOT_NOT_FOUND
    ├── BackendOperationFailedError    500 BACKEND_OPERATION_FAILED
    └── BackendTimeoutError            504 BACKEND_TIMEOUT
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "Adopting",
    "Backend",
    "BackendError",
    "BackendOperationFailedError",
    "BackendSnapshotNotFoundError",
    "BackendTimeoutError",
    "BackendUnavailableError",
    "BackendVMNotFoundError",
    "Capabilities",
    "CapabilityNotSupportedError",
    "DiscoveredVM",
    "HostInfo",
    "NotSupported",
    "NullContext",
    "Observation",
    "OperationContext",
    "PowerState",
    "SnapshotInfo",
    "VMSpec",
    "Watching",
    "unsupported",
]


class PowerState(StrEnum):
    """What a hypervisor observes of a VM (the server maps these onto its VM states)."""

    STOPPED = "stopped"  #: powered off; disk kept
    RUNNING = "running"  #: vCPUs running
    PAUSED = "paused"  #: vCPUs frozen, RAM in memory
    SUSPENDED = "suspended"  #: RAM saved to disk, no process
    ERROR = "error"  #: the hypervisor reports a failure (crashed, failed)
    UNKNOWN = "unknown"  #: the hypervisor cannot tell


@dataclass(frozen=True)
class Observation:
    """The current truth about one VM, as the hypervisor reports it.

    Attributes:
        state: The power state.
        reason: Why it is in that state, libvirt-like (`booted`, `restored`, `from_snapshot`,
            `unpaused`, `shutdown`, `destroyed`, `crashed`, `saved`, `failed`, ...).
        ip_addresses: The guest's addresses (empty when it has none or is not running).
        ready: True once the guest answered its agent.
        extra: Backend-specific details, shown as the VM's `extra`.
    """

    state: PowerState
    reason: str | None = None
    ip_addresses: tuple[str, ...] = ()
    ready: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VMSpec:
    """What the server asks a backend to create.

    Attributes:
        id: The VM's immutable id (the backend's handle for it).
        name: Its current name.
        cpus: Virtual CPUs.
        memory_mib: RAM in MiB.
        disk_gib: Disk size in GiB.
        image: The image it is made from, if any.
        labels: The user's labels.
    """

    id: str
    name: str
    cpus: int
    memory_mib: int
    disk_gib: int
    image: str | None
    labels: Mapping[str, str]


@dataclass(frozen=True)
class SnapshotInfo:
    """What a backend reports about a snapshot it took.

    Attributes:
        includes_memory: True if RAM was saved too (restoring it resumes the guest).
        size_bytes: How much space it takes, if known.
    """

    includes_memory: bool
    size_bytes: int | None = None


@dataclass(frozen=True)
class HostInfo:
    """The host a backend drives.

    Attributes:
        hostname: The host's name.
        cpus: Its CPUs.
        memory_mib: Its RAM in MiB.
        hypervisor: The hypervisor's name (`qemu`, `simulated`, ...).
        hypervisor_version: Its version.
        accelerator: The acceleration in use (`kvm`, `tcg`, `hvf`), if any.
    """

    hostname: str
    cpus: int
    memory_mib: int
    hypervisor: str
    hypervisor_version: str
    accelerator: str | None


@dataclass(frozen=True)
class Capabilities:
    """Which actions a backend supports; the API answers 501 for the others."""

    create: bool = False
    delete: bool = False
    start: bool = False
    stop: bool = False
    force_stop: bool = False
    restart: bool = False
    pause: bool = False
    resume: bool = False
    suspend: bool = False
    snapshots: bool = False
    memory_snapshots: bool = False
    clone: bool = False
    rename: bool = False
    update_resources: bool = False
    resize_disk: bool = False
    exec: bool = False
    files: bool = False
    console: bool = False
    screenshot: bool = False
    ready_signal: bool = False

    def to_dict(self) -> dict[str, bool]:
        """Every capability by name, in declaration order.

        Returns:
            A new dict of capability name to whether it is supported.
        """
        return {f.name: bool(getattr(self, f.name)) for f in fields(self)}

    def supports(self, name: str) -> bool:
        """Whether the capability `name` is supported.

        Args:
            name: A capability name (`force_stop`, `snapshots`, ...); `-` is read as `_`.

        Returns:
            True if supported; False if not, or if no capability has that name.
        """
        return self.to_dict().get(name.replace("-", "_"), False)


@runtime_checkable
class OperationContext(Protocol):
    """How a backend reports on the operation it runs for (implemented by the runner)."""

    def log(self, message: str, *, level: str = "info") -> None:
        """Append a line to the operation's log."""

    def progress(self, fraction: float) -> None:
        """Record how far the work is, from 0 to 1."""

    @property
    def cancelled(self) -> bool:
        """True once someone asked to cancel the operation."""


class NullContext:
    """An `OperationContext` that remembers what it was told (for tests and direct use).

    Attributes:
        logs: `(level, message)` pairs in order.
        fractions: Every progress value reported, in order.
        cancel_requested: What `cancelled` answers; set it to simulate a cancel.
    """

    def __init__(self) -> None:
        self.logs: list[tuple[str, str]] = []
        self.fractions: list[float] = []
        self.cancel_requested = False

    def log(self, message: str, *, level: str = "info") -> None:
        """Remember a log line."""
        self.logs.append((level, message))

    def progress(self, fraction: float) -> None:
        """Remember a progress value."""
        self.fractions.append(fraction)

    @property
    def cancelled(self) -> bool:
        """What `cancel_requested` says."""
        return self.cancel_requested


class BackendError(Exception):
    """Something a backend could not do; the server turns it into one problem+json answer.

    Args:
        detail: What went wrong, for a person.
        metadata: Evidence (console tail, exit code, state, ...), shown as the problem's
            `metadata`.

    Attributes:
        code: The stable problem code.
        status: The HTTP status the server answers with.
        detail: The message.
        metadata: The evidence (never None).
    """

    code: str = "BACKEND_ERROR"
    status: int = 500

    def __init__(self, detail: str, *, metadata: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.metadata: Mapping[str, Any] = dict(metadata or {})


class BackendUnavailableError(BackendError):
    """The hypervisor does not answer (host down, daemon gone): 503."""

    code = "BACKEND_UNAVAILABLE"
    status = 503


class CapabilityNotSupportedError(BackendError):
    """The backend cannot do this at all: 501.

    Args:
        capability: The capability asked for (`snapshots`, `exec`, ...).
        backend: The backend's name.
    """

    code = "CAPABILITY_NOT_SUPPORTED"
    status = 501

    def __init__(self, capability: str, backend: str) -> None:
        super().__init__(
            f"the {backend!r} backend does not support {capability!r}",
            metadata={"capability": capability, "backend": backend},
        )
        self.capability = capability
        self.backend = backend


class BackendVMNotFoundError(BackendError):
    """The hypervisor does not know this VM: 404."""

    code = "VM_NOT_FOUND"
    status = 404


class BackendSnapshotNotFoundError(BackendError):
    """The hypervisor does not know this snapshot of the VM: 404."""

    code = "SNAPSHOT_NOT_FOUND"
    status = 404


class BackendOperationFailedError(BackendError):
    """The hypervisor tried the action and it failed (or refused it in this state).

    The status is 500, not 502: the server and its hypervisor are one service to the
    client, so this is the server failing, not a gateway in front of another server.
    """

    code = "BACKEND_OPERATION_FAILED"
    status = 500


class BackendTimeoutError(BackendError):
    """The hypervisor or guest did not finish the action in time: 504."""

    code = "BACKEND_TIMEOUT"
    status = 504


class Backend(Protocol):
    """A hypervisor driver. Every method may raise `BackendUnavailableError`.

    Mutating methods raise `BackendVMNotFoundError` for an unknown VM and
    `BackendOperationFailedError` when the hypervisor refuses or fails; each implementation
    documents what state a VM is left in when a call fails.

    Attributes:
        name: The backend's name (`simulated`, `qemu`, ...).
        capabilities: What it supports.
    """

    name: str
    capabilities: Capabilities

    async def open(self) -> None:
        """Connect, load or adopt existing VMs; called once before any other method."""

    async def close(self) -> None:
        """Release resources; VMs keep running where the hypervisor allows it."""

    async def host_info(self) -> HostInfo:
        """Describe the host."""

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Create a VM (stopped) from `spec`."""

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Delete a stopped, suspended or failed VM and its snapshots.

        The server force-stops a running or paused VM before a forced delete; a backend that
        declares no `force_stop` gets such VMs here and must delete them in that state.
        """

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Boot a VM that is stopped, suspended (restores its RAM) or in error."""

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Ask the guest to shut down; after `timeout_seconds` power off or raise a timeout."""

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Power off at once; pre-empts any other call hanging on the same VM."""

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Reboot a running VM."""

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Freeze a running VM's vCPUs."""

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Run a paused or suspended VM again."""

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Save a running or paused VM's RAM to disk and end its process."""

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """Snapshot the disk, and RAM too if the VM is running/paused and memory is supported."""

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """Revert to a snapshot: running for a memory snapshot, else stopped."""

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """Delete a snapshot."""

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """Copy a VM's disk into a new, stopped VM described by `target`."""

    async def rename(self, vm_id: str, new_name: str) -> None:
        """Change the name the hypervisor shows (the id stays)."""

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Change CPUs and/or RAM of a stopped VM (None keeps the value)."""

    async def observe(self, vm_id: str) -> Observation:
        """The VM's current truth; raises `BackendVMNotFoundError` if unknown."""

    async def list_vm_ids(self) -> list[str]:
        """Ids of every VM the hypervisor knows (for reconciliation)."""


@dataclass(frozen=True)
class DiscoveredVM:
    """A VM the hypervisor has that was made outside vmkit, found by `Adopting.discover`.

    Attributes:
        handle: The backend's own key for it (a Lume or Tart name, a Nemeton id, ...).
        name: The name to give it in vmkit (a valid vmkit name; the server makes it unique).
        cpus: Virtual CPUs.
        memory_mib: RAM in MiB.
        disk_gib: Disk size in GiB.
        image: The image it came from, if the hypervisor says.
        observation: Its current state.
    """

    handle: str
    name: str
    cpus: int
    memory_mib: int
    disk_gib: int
    image: str | None
    observation: Observation


@runtime_checkable
class Adopting(Protocol):
    """A backend that can take over VMs made outside vmkit (the peer systems' own VMs).

    The server's reconciler calls `discover` at start and on every pass, gives each VM
    found a vmkit id, calls `adopt`, and records it with the state reason `adopted`.
    """

    async def discover(self) -> list[DiscoveredVM]:
        """VMs the hypervisor has that no vmkit id maps to yet."""

    async def adopt(self, handle: str, vm_id: str) -> None:
        """From now on, `vm_id` names the VM the hypervisor knows as `handle`."""


@runtime_checkable
class Watching(Protocol):
    """A backend whose system pushes changes (Nemeton's event feed), so vmkit need not wait
    for its next reconciliation pass to notice them.

    The server follows `watch()` for as long as it runs and re-observes each VM it names at
    once; when the feed ends or raises, it reconnects after a growing pause. Periodic
    reconciliation goes on regardless, so a lost event is only late, never lost.
    """

    def watch(self) -> AsyncIterator[str]:
        """Ids of VMs the system reports changed (an id it does not map may be skipped)."""


class NotSupported:
    """A base for backends: every action answers 501 until the backend defines it.

    A backend that cannot do everything (the peer systems) inherits this and defines only
    what its `capabilities` declare; the server checks a capability before calling, so these
    stand in for the Protocol's methods. `tests/backends/test_not_supported.py` checks that
    every declared capability is really defined.

    Attributes:
        name: The backend's name (named in every 501).
    """

    name: str

    def _refuse(self, capability: str) -> CapabilityNotSupportedError:
        return CapabilityNotSupportedError(capability, self.name)

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("create")

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Unsupported: 501."""
        raise self._refuse("delete")

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("start")

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("stop")

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("force_stop")

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("restart")

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("pause")

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("resume")

    async def suspend(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("suspend")

    async def snapshot_create(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> SnapshotInfo:
        """Unsupported: 501."""
        raise self._refuse("snapshots")

    async def snapshot_restore(
        self, vm_id: str, snapshot_id: str, ctx: OperationContext
    ) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("snapshots")

    async def snapshot_delete(self, vm_id: str, snapshot_id: str, ctx: OperationContext) -> None:
        """Unsupported: 501."""
        raise self._refuse("snapshots")

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """Unsupported: 501."""
        raise self._refuse("clone")

    async def rename(self, vm_id: str, new_name: str) -> None:
        """Unsupported: 501."""
        raise self._refuse("rename")

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """Unsupported: 501."""
        raise self._refuse("update_resources")


def unsupported(backend: Backend, capability: str) -> CapabilityNotSupportedError:
    """The error for a capability `backend` lacks, to `raise` from the unsupported method.

    Args:
        backend: The backend asked.
        capability: What it was asked to do.

    Returns:
        A `CapabilityNotSupportedError` naming both.
    """
    return CapabilityNotSupportedError(capability, backend.name)
