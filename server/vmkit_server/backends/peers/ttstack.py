"""The TTstack backend: VMs on a TTstack fleet, through its controller's HTTP API.

`vmkit-server --backend ttstack --backend-url http://controller:9200 [--backend-token-file F]`.
TTstack groups VMs in environments; vmkit gives each of its VMs an environment of its own,
named after the VM, so TTstack's environment start, stop and destroy act on that one VM and
vmkit's per-VM lifecycle stays true. `handles.json` under the state directory maps vmkit ids
to environment ids. The agents are never called: the controller does all vmkit needs.

What vmkit can do depends on the `engine` option (see `_ttstack_map`): TTstack's "stop"
pauses `qemu`/`firecracker` VMs (so vmkit offers pause and resume, not stop), stops
`docker`/`jail` VMs (start, stop, restart), and kills `bhyve` VMs for good (stop only).
TTstack boots every VM when it creates it: `create` stops it again where the engine can start
it later, and otherwise reports it running. TTstack answers environment start/stop with ok
whatever its agents did, so every action is confirmed by reading the VM back.

Every environment expires: TTstack destroys it, with its VM, `lifetime` seconds after its
creation (at most, and by default, 6 h), and nothing extends it. The VM's `extra.expires_at`
says when; after it the VM is gone and vmkit shows it `error` (reason `missing`).

What remains when a call fails: a create TTstack refused leaves nothing; one whose answer was
lost leaves the mapping, so the VM shows up or fails `missing` and deleting it works. A start,
stop, pause or resume an agent refused leaves the VM as TTstack shows it (the operation fails
with that state). A delete forgets the VM even if an agent failed (TTstack does not say so).

Options (besides `url`, `token`, `timeout`, `poll_interval`): `engine` (default `qemu`),
`lifetime` (seconds, 1..21600, default 21600), `owner` (default `vmkit`), `ssh_keys_file` (a
file of public keys, one a line, for cloud-init), `ports` (comma-separated guest ports to
expose besides 22), `deny_outgoing` (`true`/`false`), `action_timeout` (seconds a create,
start, stop or destroy may take, default 600).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from vmkit.peers.ttstack.models import CreateEnvReq, Engine, Env, Vm, VmSpec

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendVMNotFoundError,
    DiscoveredVM,
    HostInfo,
    NotSupported,
    Observation,
    OperationContext,
    PowerState,
    VMSpec,
    unsupported,
)
from ..guest import ImageInfo
from ._common import HandleMap, PeerOptions, parse_peer_options
from ._ttstack_api import TTstackAPI
from ._ttstack_map import (
    ENGINE_CAPABILITIES,
    OPTIONS,
    STOP_REASON,
    observation,
    only_vm,
    parse_settings,
    sanitize_name,
)

__all__ = ["TTstackBackend", "from_options"]

log = logging.getLogger("vmkit_server.backends.ttstack")

_POWER = {"running": PowerState.RUNNING, "stopped": PowerState.STOPPED, "paused": PowerState.PAUSED}
_DEFAULT_DISK_GIB = 40  # TTstack's default disk (40960 MiB); its images do not say their size


def from_options(options: Mapping[str, str], *, state_dir: Path) -> TTstackBackend:
    """A TTstack backend configured from `key=value` options (see the module docstring).

    Args:
        options: `url` (required), `token`, `timeout`, `poll_interval`, and the adapter's own.
        state_dir: Where the id-to-environment map is kept.

    Returns:
        The backend, not opened yet.

    Raises:
        ValueError: An unknown option, a missing `url`, or a value that does not parse.
    """
    return TTstackBackend(
        parse_peer_options("ttstack", options, extra=OPTIONS), state_dir=state_dir
    )


class TTstackBackend(NotSupported):
    """Drives a TTstack controller (see the module docstring for the mapping and failures).

    Args:
        options: The parsed options.
        state_dir: Where `handles.json` is kept.

    Raises:
        ValueError: An adapter-specific option does not parse.
    """

    name = "ttstack"

    def __init__(self, options: PeerOptions, *, state_dir: Path) -> None:
        self.options = options
        self.settings = parse_settings(options.extra)
        self.engine = self.settings.engine
        self.capabilities = ENGINE_CAPABILITIES[self.engine]
        # Docker images are Docker's: TTstack's scheduler does not check them against its list.
        self.requires_known_image = self.engine != "docker"
        self.handles = HandleMap(state_dir / "handles.json", backend="ttstack")
        self._api = TTstackAPI(
            options.url,
            token=options.token,
            timeout=options.timeout,
            action_timeout=self.settings.action_timeout,
        )
        # What each VM's last action left, reported by `observe` while TTstack shows that state.
        self._reasons: dict[str, tuple[PowerState, str]] = {}
        self._host_addrs: dict[str, str | None] = {}

    # -- the backend's own lifecycle ------------------------------------------------------------

    async def open(self) -> None:
        """Nothing to do: the controller is asked on each call (it need not be up yet)."""

    async def close(self) -> None:
        """Close the HTTP connections; TTstack's VMs run on until their lifetime ends."""
        await self._api.aclose()

    async def host_info(self) -> HostInfo:
        """The fleet as one host: its total CPUs and memory (`GET /api/status`)."""
        status = await self._api.status()
        return HostInfo(
            hostname=urlsplit(self.options.url).hostname or "ttstack",
            cpus=status.cpu_total,
            memory_mib=status.mem_total,
            hypervisor="ttstack",
            hypervisor_version="",
            accelerator=None,
        )

    async def list_images(self) -> list[ImageInfo]:
        """The base images of the fleet's online hosts, each once (`GET /api/images`)."""
        hosts: dict[str, set[str]] = {}
        for image in await self._api.list_images():
            hosts.setdefault(image.name, set()).add(image.host_id)
        return [
            ImageInfo(
                name=name,
                description=f"TTstack base image on {', '.join(sorted(on))}",
                os="unknown",
                arch="unknown",
                disk_gib=_DEFAULT_DISK_GIB,
            )
            for name, on in sorted(hosts.items())
        ]

    # -- lifecycle ------------------------------------------------------------------------------

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Create an environment named `spec.name` holding the VM; stop it where it can start.

        Raises:
            BackendOperationFailedError: TTstack refused (the name exists, no host fits, every
                agent failed) or no image was given.
        """
        if self.handles.get(spec.id) is not None:
            raise BackendOperationFailedError(f"the ttstack backend already has VM {spec.id!r}")
        if not spec.image:
            raise BackendOperationFailedError("TTstack needs an image to create a VM")
        body = CreateEnvReq(
            id=spec.name,
            owner=self.settings.owner,
            ssh_keys=list(self.settings.ssh_keys),
            lifetime=self.settings.lifetime,
            vms=[
                VmSpec(
                    image=spec.image,
                    engine=Engine(self.engine),
                    cpu=spec.cpus,
                    mem=spec.memory_mib,
                    disk=spec.disk_gib * 1024,
                    ports=list(self.settings.ports),
                    deny_outgoing=self.settings.deny_outgoing,
                )
            ],
        )
        ctx.log(
            f"asking TTstack to create environment {spec.name}: one {self.engine} VM from "
            f"{spec.image}, {spec.cpus} CPUs, {spec.memory_mib} MiB, {spec.disk_gib} GiB, "
            f"lifetime {self.settings.lifetime} s"
        )
        ctx.progress(0.05)
        # Mapped first: should the answer be lost, the VM is still found (or fails `missing`).
        self.handles.put(spec.id, spec.name)
        try:
            detail = await self._api.create_env(body)
        except BackendError as exc:
            if "ttstack_status" in exc.metadata:  # an answer, not a lost one: TTstack kept nothing
                self._forget(spec.id)
            raise
        for warning in detail.warnings or []:
            ctx.log(f"TTstack: {warning}", level="warning")
        vm = only_vm(detail.env, detail.vms)
        if vm is None:
            raise BackendOperationFailedError(
                f"TTstack made environment {spec.name!r} without a VM"
            )
        ports = ", ".join(f"{g}→{h}" for g, h in vm.port_map.additional_properties.items())
        ctx.log(f"TTstack made VM {vm.id} on host {vm.host_id} ({vm.state}; ports {ports})")
        ctx.progress(0.6)
        if self.capabilities.start:
            ctx.log(
                "TTstack boots a VM when it creates it; stopping it, as vmkit creates it stopped"
            )
            return await self._power(spec.id, "stop", "stopped", "created", ctx)
        ctx.log(
            f"TTstack boots a VM when it creates it and cannot power a {self.engine} VM off: "
            "it stays running",
            level="warning",
        )
        self._reasons[spec.id] = (PowerState.RUNNING, "booted")
        ctx.progress(1.0)
        return await self._observation(detail.env, vm, spec.id)

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Destroy the VM's environment, in any state (TTstack kills a running VM).

        Raises:
            BackendVMNotFoundError: TTstack has no such environment (the mapping is dropped).
        """
        env_id = self.handles.require(vm_id)
        ctx.log(f"asking TTstack to destroy environment {env_id} and its VM")
        found = await self._api.destroy_env(env_id)
        self._forget(vm_id)
        if not found:
            raise BackendVMNotFoundError(f"TTstack has no environment {env_id!r}")
        ctx.log(f"TTstack destroyed environment {env_id}")
        ctx.progress(1.0)

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Start a stopped VM (`booted`); a running one is left as is."""
        env, vm = await self._read_vm(vm_id)
        if vm.state == "running":
            ctx.log(f"TTstack shows VM {vm.id} running already")
            self._reasons[vm_id] = (PowerState.RUNNING, "booted")
            return await self._observation(env, vm, vm_id)
        self._require("start")
        return await self._power(vm_id, "start", "running", "booted", ctx)

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Stop the VM with TTstack's stop, confirmed by reading it back.

        TTstack takes no timeout: `docker` VMs get 10 s before they are killed, `jail` and
        `bhyve` ones are ended at once; `timeout_seconds` and `force_after_timeout` change nothing.
        """
        self._require("stop")
        ctx.log(f"TTstack stops {self.engine} VMs its own way; the timeout given does not apply")
        return await self._power(vm_id, "stop", "stopped", STOP_REASON[self.engine], ctx)

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """TTstack's only stop (`destroyed`): a kill for jail and bhyve, after 10 s for docker."""
        self._require("force_stop")
        env, vm = await self._read_vm(vm_id)
        if vm.state == "stopped":
            return await self._observation(env, vm, vm_id)
        return await self._power(vm_id, "stop", "stopped", "destroyed", ctx)

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Stop the VM, then start it again (`booted`); TTstack has no reboot."""
        self._require("restart")
        ctx.log("TTstack has no restart: stopping the VM, then starting it")
        await self._power(vm_id, "stop", "stopped", STOP_REASON[self.engine], ctx)
        return await self._power(vm_id, "start", "running", "booted", ctx)

    async def pause(self, vm_id: str, ctx: OperationContext) -> Observation:
        """TTstack's stop of a qemu/firecracker VM freezes its vCPUs (`paused`, reason `user`)."""
        self._require("pause")
        return await self._power(vm_id, "stop", "paused", "user", ctx)

    async def resume(self, vm_id: str, ctx: OperationContext) -> Observation:
        """TTstack's start of a paused VM (`unpaused`)."""
        self._require("resume")
        return await self._power(vm_id, "start", "running", "unpaused", ctx)

    async def observe(self, vm_id: str) -> Observation:
        """The VM as TTstack's controller shows it (`GET /api/envs/{id}`).

        While TTstack is still creating the environment it shows no VM: `unknown`, reason
        `creating`.
        """
        env, vm = await self._read(vm_id)
        if vm is None:
            extra = {"ttstack_env": env.id, "ttstack_env_state": env.state}
            return Observation(PowerState.UNKNOWN, reason="creating", extra=extra)
        return await self._observation(env, vm, vm_id)

    async def list_vm_ids(self) -> list[str]:
        """The vmkit ids whose environments TTstack still has."""
        present = {env.id for env in await self._api.list_envs()}
        return [vm_id for vm_id, env_id in self.handles.items() if env_id in present]

    # -- adoption -------------------------------------------------------------------------------

    async def discover(self) -> list[DiscoveredVM]:
        """Environments made outside vmkit holding exactly one VM of the configured engine.

        Environments of several VMs are left alone: starting or stopping one of their VMs
        through TTstack would act on all of them.
        """
        found: list[DiscoveredVM] = []
        for env in await self._api.list_envs():
            if env.id in self.handles.handles() or len(env.vm_ids) != 1:
                continue
            detail = await self._api.get_env(env.id)
            vm = only_vm(detail.env, detail.vms) if detail is not None else None
            if detail is None or vm is None or str(vm.engine) != self.engine:
                continue
            found.append(
                DiscoveredVM(
                    handle=env.id,
                    name=sanitize_name(env.id),
                    cpus=vm.cpu,
                    memory_mib=vm.mem,
                    disk_gib=max(1, -(-vm.disk // 1024)),
                    image=vm.image,
                    observation=await self._observation(detail.env, vm, None),
                )
            )
        mapped = self.handles.handles()  # a create may have mapped one meanwhile
        return [vm for vm in found if vm.handle not in mapped]

    async def adopt(self, handle: str, vm_id: str) -> None:
        """Map `vm_id` to the environment `handle`.

        Raises:
            BackendOperationFailedError: Another vmkit VM has that environment already.
        """
        self.handles.adopt(vm_id, handle)

    # -- helpers --------------------------------------------------------------------------------

    def _require(self, capability: str) -> None:
        if not self.capabilities.supports(capability):
            raise unsupported(self, capability)

    def _forget(self, vm_id: str) -> None:
        self.handles.pop(vm_id)
        self._reasons.pop(vm_id, None)

    async def _read(self, vm_id: str) -> tuple[Env, Vm | None]:
        """The VM's environment and its VM (None while TTstack is still creating it)."""
        env_id = self.handles.require(vm_id)
        detail = await self._api.get_env(env_id)
        if detail is None:
            raise BackendVMNotFoundError(
                f"TTstack has no environment {env_id!r} for VM {vm_id}: its lifetime ended or "
                "it was destroyed outside vmkit",
                metadata={"ttstack_env": env_id},
            )
        return detail.env, only_vm(detail.env, detail.vms)

    async def _read_vm(self, vm_id: str) -> tuple[Env, Vm]:
        env, vm = await self._read(vm_id)
        if vm is None:
            raise BackendOperationFailedError(
                f"TTstack is still creating environment {env.id!r}",
                metadata={"ttstack_env": env.id},
            )
        return env, vm

    async def _power(
        self,
        vm_id: str,
        action: Literal["start", "stop"],
        want: str,
        reason: str,
        ctx: OperationContext,
    ) -> Observation:
        """Start or stop the VM's environment, then read it back (TTstack's ok proves nothing)."""
        env_id = self.handles.require(vm_id)
        ctx.log(f"asking TTstack to {action} environment {env_id}")
        if not await self._api.power(env_id, action):
            raise BackendVMNotFoundError(f"TTstack has no environment {env_id!r}")
        env, vm = await self._read_vm(vm_id)
        if vm.state != want:
            self._reasons.pop(vm_id, None)
            raise BackendOperationFailedError(
                f"TTstack answered ok to {action} environment {env_id!r}, but its VM {vm.id} is "
                f"{vm.state!r}, not {want!r} (TTstack logs why only on its controller)",
                metadata={"ttstack_env": env_id, "ttstack_vm": vm.id, "ttstack_state": vm.state},
            )
        self._reasons[vm_id] = (_POWER[want], reason)
        ctx.log(f"TTstack shows VM {vm.id} {vm.state}")
        ctx.progress(1.0)
        return await self._observation(env, vm, vm_id)

    async def _observation(self, env: Env, vm: Vm, vm_id: str | None) -> Observation:
        """What TTstack shows, with the reason of the VM's last action while its state holds."""
        obs = observation(env, vm, host_addr=await self._host(vm.host_id))
        remembered = self._reasons.get(vm_id) if vm_id is not None else None
        if remembered is not None and remembered[0] is obs.state and obs.reason is None:
            return dataclasses.replace(obs, reason=remembered[1])
        return obs

    async def _host(self, host_id: str) -> str | None:
        """The host part of the agent address of `host_id` (where `port_map` ports are)."""
        if host_id not in self._host_addrs:
            addr = await self._api.host_addr(host_id)
            self._host_addrs[host_id] = addr.rsplit(":", 1)[0] if addr else None
        return self._host_addrs[host_id]
