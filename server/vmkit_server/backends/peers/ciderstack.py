"""The `ciderstack` backend: macOS VMs on a CiderStack Fleet node, over its JSON-RPC API.

Built on the generated client `vmkit.peers.ciderstack` (`spec/peers/ciderstack.yaml`).
A vmkit VM maps to a CiderStack VM id in `handles.json`; VMs are created under their vmkit
name. CiderStack pushes nothing, so actions poll `ListVMs` (states) and `GetTasks` (creates,
image pulls) every `poll_interval` seconds, and the reconciler's `observe()` calls do the
rest.

Mapping (docs/backends/ciderstack.md has the tables): start `StartVM`; stop and force-stop
`StopVM` (CiderStack's only power-off); restart `StopVM` then `StartVM`; pause `SuspendVM`
(which pauses); resume `StartVM`; snapshots `CreateSnapshot`/`RestoreSnapshot`/
`DeleteSnapshot` (disk only, the vmkit snapshot id as the name); clone `CloneVM`; rename
`RenameVM`; cpus/memory `UpdateVMSettings`; exec `ExecCommand` (with `ssh_user` and
`ssh_password`). CiderStack cannot suspend to disk, resize a disk, or offer a console,
files or screenshots; those answer 501.

What a failed call leaves: CiderStack refuses before acting (`{"success": false}`), so the
VM is as it was, except that a wait that times out leaves the VM wherever CiderStack took
it (the next `observe()` says where). A failed create leaves no VM and no handle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from vmkit.peers.ciderstack.api.node import get_node_info
from vmkit.peers.ciderstack.api.tokens import list_api_tokens
from vmkit.peers.ciderstack.api.vms import (
    clone_vm,
    delete_vm,
    rename_vm,
    update_vm_settings,
)
from vmkit.peers.ciderstack.models import (
    CloneVmRequest,
    CloneVmResult,
    DeleteVmRequest,
    GetNodeInfoRequest,
    GetNodeInfoResult,
    ListApiTokensRequest,
    ListApiTokensResult,
    MutationResult,
    RenameVmRequest,
    UpdateVmSettingsRequest,
)
from vmkit.peers.ciderstack.types import UNSET, Unset

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendVMNotFoundError,
    Capabilities,
    DiscoveredVM,
    HostInfo,
    Observation,
    OperationContext,
    VMSpec,
)
from ._ciderstack_guest import CiderStackGuest
from ._ciderstack_install import CiderStackInstall
from ._ciderstack_rpc import NAME, CiderStackRPC
from ._ciderstack_snapshots import CiderStackSnapshots
from ._ciderstack_vms import observation, sizes, vmkit_name
from ._common import HandleMap, parse_peer_options

__all__ = ["CIDERSTACK_CAPABILITIES", "CiderStackBackend", "from_options"]

CIDERSTACK_CAPABILITIES = Capabilities(
    create=True,
    delete=True,
    start=True,
    stop=True,
    force_stop=True,
    restart=True,
    pause=True,
    resume=True,
    snapshots=True,
    clone=True,
    rename=True,
    update_resources=True,
)
"""What CiderStack can do; `exec` joins when SSH credentials are configured."""

_OPTIONS = ("ssh_user", "ssh_password", "default_image", "task_timeout", "state_timeout")


def from_options(options: Mapping[str, str], *, state_dir: Path) -> CiderStackBackend:
    """The backend configured from `--backend-url`, `--backend-token-file` and `--backend-opt`.

    Args:
        options: `url` (default `http://127.0.0.1:9473`), `token` (a `csk_...` API token,
            required), `timeout`, `poll_interval`, and `ssh_user`/`ssh_password` (for exec),
            `default_image` (what create installs when given no image), `task_timeout`
            (seconds a create or pull may take, default 3600) and `state_timeout` (seconds
            a boot or power-off may take, default 300).
        state_dir: Where `handles.json` is kept.

    Returns:
        The backend, not opened yet.

    Raises:
        ValueError: An unknown option, no token or one without the `csk_` prefix, only one
            of `ssh_user`/`ssh_password`, or a number that does not parse.
    """
    opts = parse_peer_options(
        NAME, options, extra=_OPTIONS, default_url="http://127.0.0.1:9473", token_required=True
    )
    token = opts.token or ""
    if not token.startswith("csk_"):
        raise ValueError("the ciderstack token must be a CiderStack API token (csk_...)")
    user, password = opts.extra.get("ssh_user"), opts.extra.get("ssh_password")
    if bool(user) != bool(password):
        raise ValueError("ciderstack options ssh_user and ssh_password go together")
    return CiderStackBackend(
        rpc=CiderStackRPC(opts.url, token, opts.timeout),
        state_dir=state_dir,
        poll_interval=opts.poll_interval,
        ssh=(user, password) if user and password else None,
        default_image=opts.extra.get("default_image") or None,
        task_timeout=_seconds(opts.extra, "task_timeout", 3600.0),
        state_timeout=_seconds(opts.extra, "state_timeout", 300.0),
    )


def _seconds(extra: Mapping[str, str], key: str, default: float) -> float:
    raw = extra.get(key)
    try:
        value = default if raw is None else float(raw)
    except ValueError:
        raise ValueError(f"ciderstack option {key} must be a number, got {raw!r}") from None
    if not value > 0:
        raise ValueError(f"ciderstack option {key} must be above 0, got {raw!r}")
    return value


class CiderStackBackend(CiderStackInstall, CiderStackSnapshots, CiderStackGuest):
    """VMs of one CiderStack node (see the module docstring for the mapping).

    Args:
        rpc: The node's API.
        state_dir: Where the vmkit-id → CiderStack-id map is kept.
        poll_interval: Seconds between polls of a state or a task.
        ssh: `(user, password)` for `ExecCommand`, or None (then no exec).
        default_image: What create installs when given no image.
        task_timeout: Seconds a create or an image pull may take.
        state_timeout: Seconds a boot or a power-off may take.
    """

    name = NAME

    def __init__(
        self,
        *,
        rpc: CiderStackRPC,
        state_dir: Path,
        poll_interval: float = 0.5,
        ssh: tuple[str, str] | None = None,
        default_image: str | None = None,
        task_timeout: float = 3600.0,
        state_timeout: float = 300.0,
    ) -> None:
        self.rpc = rpc
        self.handles = HandleMap(state_dir / "handles.json", backend=NAME)
        self.poll_interval = poll_interval
        self.ssh = ssh
        self.default_image = default_image
        self.task_timeout = task_timeout
        self.state_timeout = state_timeout
        self.capabilities = replace(CIDERSTACK_CAPABILITIES, exec=ssh is not None)
        self.reasons: dict[str, tuple[str, str]] = {}
        self.epochs: Counter[str] = Counter()
        self._pending_names: Counter[str] = Counter()

    # -- the backend's lifecycle ------------------------------------------------------------

    async def open(self) -> None:
        """Connect, and learn whether the token is read-only (`ListAPITokens`, best effort).

        A token found `readOnly` makes every mutating call fail at once with a clear error
        instead of a round trip; an unreachable node is not an error here.
        """
        await self.rpc.open()
        try:
            tokens = await self.rpc.call(
                "ListAPITokens", list_api_tokens, ListApiTokensRequest(), ListApiTokensResult
            )
        except BackendError:
            return
        matches = [
            t
            for t in ([] if isinstance(tokens.tokens, Unset) else tokens.tokens)
            if len(t.token_prefix) > len("csk_") and self.rpc.token.startswith(t.token_prefix)
        ]
        if len(matches) == 1:
            self.rpc.read_only = matches[0].permissions != "fullAccess"

    async def close(self) -> None:
        """Close the connection; CiderStack's VMs keep running."""
        await self.rpc.close()

    async def host_info(self) -> HostInfo:
        """The node, from `GetNodeInfo`."""
        info = await self.rpc.call(
            "GetNodeInfo", get_node_info, GetNodeInfoRequest(), GetNodeInfoResult
        )

        def text(value: str | Unset, default: str) -> str:
            return value if isinstance(value, str) and value else default

        cores, memory = info.cpu_cores, info.total_memory_gb
        return HostInfo(
            hostname=text(info.hostname, text(info.name, "ciderstack")),
            cpus=cores if isinstance(cores, int) else 0,
            memory_mib=memory * 1024 if isinstance(memory, int) else 0,
            hypervisor="ciderstack",
            hypervisor_version=text(info.fleet_version, "unknown"),
            # Virtualization.framework runs on Hypervisor.framework: always hardware-assisted.
            accelerator="hvf",
        )

    # -- VMs ----------------------------------------------------------------------------------

    async def observe(self, vm_id: str) -> Observation:
        """The VM's state from `ListVMs` (`unknown` for a state CiderStack does not document)."""
        return self.observed(vm_id, await self.find(self.handles.require(vm_id)))

    async def list_vm_ids(self) -> list[str]:
        """The vmkit ids of the VMs CiderStack still lists."""
        listed = {vm.id for vm in await self.list_vms()}
        return [vm_id for vm_id, handle in self.handles.items() if handle in listed]

    async def discover(self) -> list[DiscoveredVM]:
        """VMs on the node that no vmkit id maps to (made in the CiderStack app, say)."""
        known = self.handles.handles()
        found = []
        for vm in await self.list_vms():
            if vm.id in known or self._pending_names[vm.name] > 0:
                continue  # ours, or about to be (a create or clone waiting for its answer)
            cpus, memory, disk = sizes(vm)
            found.append(
                DiscoveredVM(
                    handle=vm.id,
                    name=vmkit_name(vm.name, vm.id),
                    cpus=cpus,
                    memory_mib=memory,
                    disk_gib=disk,
                    image=None,
                    observation=observation(vm),
                )
            )
        return found

    async def adopt(self, handle: str, vm_id: str) -> None:
        """From now on `vm_id` is CiderStack's VM `handle`."""
        self.handles.adopt(vm_id, handle)

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """`DeleteVM` (CiderStack refuses a VM that is not stopped), then forget the handle.

        Raises:
            BackendVMNotFoundError: Unknown here or on CiderStack (the handle is forgotten).
        """
        handle = self.handles.require(vm_id)
        ctx.log(f"deleting CiderStack VM {handle}")
        try:
            await self.rpc.call(
                "DeleteVM", delete_vm, DeleteVmRequest(vm_id=handle), MutationResult
            )
        except BackendVMNotFoundError:
            self.handles.pop(vm_id)
            raise
        self.handles.pop(vm_id)
        self.reasons.pop(vm_id, None)
        ctx.progress(1.0)

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """`CloneVM` under the target's name: a new, stopped VM (reason `cloned`)."""
        handle = self.handles.require(source_id)
        ctx.log(f"cloning CiderStack VM {handle} as {target.name}")
        self._pending_names[target.name] += 1
        try:
            answer = await self.rpc.call(
                "CloneVM",
                clone_vm,
                CloneVmRequest(vm_id=handle, new_name=target.name),
                CloneVmResult,
            )
            if isinstance(answer.new_vm, Unset):
                raise BackendOperationFailedError("CiderStack's CloneVM answer has no newVM")
            self.handles.put(target.id, answer.new_vm.id)
        finally:
            self._pending_names[target.name] -= 1
        ctx.progress(1.0)
        return self.observed(target.id, await self.find(answer.new_vm.id), "cloned")

    async def rename(self, vm_id: str, new_name: str) -> None:
        """`RenameVM`."""
        handle = self.handles.require(vm_id)
        await self.rpc.call(
            "RenameVM", rename_vm, RenameVmRequest(vm_id=handle, new_name=new_name), MutationResult
        )

    async def update_resources(
        self, vm_id: str, *, cpus: int | None, memory_mib: int | None
    ) -> None:
        """`UpdateVMSettings` `cpuCount`/`memorySize` (MB, read as MiB) of a stopped VM."""
        handle = self.handles.require(vm_id)
        body = UpdateVmSettingsRequest(
            vm_id=handle,
            cpu_count=UNSET if cpus is None else cpus,
            memory_size=UNSET if memory_mib is None else memory_mib,
        )
        await self.rpc.call("UpdateVMSettings", update_vm_settings, body, MutationResult)

    # -- create -------------------------------------------------------------------------------

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Install a VM under the vmkit name (`CreateVMOnNode`), pulling its OCI image first.

        Without an image it installs the catalog's default (`list_images`).

        Raises:
            BackendOperationFailedError: No image to install from, a refused create, or a
                failed pull or create task (no VM and no handle are left).
        """
        if spec.image is None:
            default = next((i.name for i in await self.list_images() if i.default), None)
            spec = replace(spec, image=default)
        self._pending_names[spec.name] += 1
        try:
            handle = await self.install(spec, ctx)
        finally:
            self._pending_names[spec.name] -= 1
        vm = await self.find(handle)
        ctx.progress(1.0)
        return self.observed(spec.id, vm, "created")
