"""The `taartenfabriek` backend: Tart VMs of a de taartenfabriek app, through its local API.

de taartenfabriek (see `spec/peers/taartenfabriek.yaml` and `docs/backends/taartenfabriek.md`)
creates VMs by cloning a base image, clones, starts, stops and deletes them; each of these
answers a Task that the adapter follows (`GET /api/tasks/{id}`) to its end, passing its log
lines and progress to the vmkit operation and failing the operation with the task's error and
logs when it fails. VMs are named by their vmkit name on the system; VMs made there outside
vmkit are adopted (`Adopting`), and the pulled base images are the image catalog.

The system's documented defects are not relied on: `GET /api/vms/{name}/config` is shadowed
(the adapter never calls it), `available-images` skips auth (not used), and the inventory of
`GET /api/vms` is a cache, so the adapter reads `POST /api/vms/refresh` (Tart's own list),
at most once per `poll_interval` for `observe` and always after an action. A start task
completes even when the VM never ran: the adapter then reads the VM and fails the operation
unless Tart lists it running.

What remains when a call fails: a failed create or clone leaves no VM when Tart made none
(a create whose settings Tart refused is deleted again); a failed start leaves the VM as Tart
lists it (stopped, reason `failed`); a failed stop or delete leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from vmkit.peers.taartenfabriek.models import VM

from ..base import (
    BackendOperationFailedError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    Capabilities,
    DiscoveredVM,
    HostInfo,
    NotSupported,
    Observation,
    OperationContext,
    VMSpec,
)
from ..guest import ImageInfo
from ._common import HandleMap, PeerOptions, parse_peer_options
from ._taartenfabriek_api import NAME, Span, TaartenAPI, TaskFailedError
from ._taartenfabriek_map import disk_gib_of, is_base_image, status_of, vmkit_name
from ._taartenfabriek_view import TartView, default_image, images, macos_hint

__all__ = ["TAARTENFABRIEK_CAPABILITIES", "TaartenfabriekBackend", "from_options"]

#: What the app's published API allows (see the module docstring and the docs page).
TAARTENFABRIEK_CAPABILITIES = Capabilities(
    create=True, delete=True, start=True, stop=True, force_stop=True, restart=True, clone=True
)  # fmt: skip
_DEFAULT_URL = "http://127.0.0.1:8000"
_TART_STOP_NOTE = (
    "the system has one stop: Tart asks the guest to shut down and powers it off after 30 s"
)


def from_options(options: Mapping[str, str], *, state_dir: Path) -> TaartenfabriekBackend:
    """The backend, from `--backend-url`, `--backend-token-file` and `--backend-opt`.

    Args:
        options: `url` (default `http://127.0.0.1:8000`), `token` (required: the app's
            `~/.tartvm-manager/token`), `timeout`, `poll_interval`, and `task_timeout`
            (seconds one of the app's tasks may take, default 1800: a create may pull an image).
        state_dir: Where the id-to-handle map is kept.

    Raises:
        ValueError: A missing token, an unknown key, or a value that does not parse.
    """
    opts = parse_peer_options(
        NAME, options, extra=("task_timeout",), default_url=_DEFAULT_URL, token_required=True
    )
    task_timeout = opts.seconds("task_timeout", 1800)
    return TaartenfabriekBackend(opts, state_dir=state_dir, task_timeout=task_timeout)


class TaartenfabriekBackend(NotSupported):
    """Tart VMs of one de taartenfabriek app.

    Args:
        options: Where the app answers, its token, and the polling interval.
        state_dir: Where `handles.json` (vmkit id → Tart name) is kept.
        task_timeout: Seconds one of the app's tasks may take.

    Attributes:
        requires_known_image: False: a create may name any image Tart can clone (a remote
            one is pulled first); the catalog lists the base images already pulled.
    """

    name = NAME
    capabilities = TAARTENFABRIEK_CAPABILITIES
    requires_known_image = False

    def __init__(self, options: PeerOptions, *, state_dir: Path, task_timeout: float) -> None:
        self.options = options
        self.task_timeout = task_timeout
        self.handles = HandleMap(state_dir / "handles.json", backend=NAME)
        self._api = TaartenAPI(options)
        self.view = TartView(self._api, max_age=options.poll_interval)

    # -- lifecycle of the backend -----------------------------------------------------------

    async def open(self) -> None:
        """Nothing to connect: the app may be down now; each call says so (503)."""

    async def close(self) -> None:
        """Close the connection pool (VMs keep running under Tart)."""
        await self._api.close()

    async def host_info(self) -> HostInfo:
        """The app's host: Tart's version; CPUs and memory are not published (0).

        Raises:
            BackendUnavailableError: The app does not answer, refuses the token, or is unwell.
        """
        health = await self._api.health()
        if health.status != "ok":
            raise BackendUnavailableError(f"{NAME} reports its status as {health.status!r}")
        version = await self._api.tart_version()
        host = urlsplit(self.options.url).hostname or NAME
        return HostInfo(
            hostname=host,
            cpus=0,
            memory_mib=0,
            hypervisor="tart",
            hypervisor_version=version,
            accelerator="hvf",  # Tart runs on Apple silicon, under the Virtualization framework
        )

    # -- VM actions ---------------------------------------------------------------------------

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Clone `spec.image` (the first base image when None) as `spec.name`, then set its
        CPUs, memory (whole GiB only) and disk; a VM whose settings Tart refused is deleted.
        """
        if spec.memory_mib % 1024:
            raise BackendOperationFailedError(
                f"{NAME} sets memory in whole GiB; {spec.memory_mib} MiB is not a multiple of 1024",
                metadata={"memory_mib": spec.memory_mib},
            )
        inventory = await self.view.fresh()
        image = spec.image or default_image(inventory)
        if image is None:
            raise BackendOperationFailedError(
                f"{NAME} has no base image to create from: pull one, or name an image"
            )
        self._check_new_name(spec.name, inventory)
        base = inventory.get(image)
        base_disk = disk_gib_of(base.disk_size) if base is not None else None
        if base_disk is not None and spec.disk_gib < base_disk:
            raise BackendOperationFailedError(
                f"{image} has a {base_disk} GiB disk and Tart cannot shrink a disk: "
                f"ask for disk_gib >= {base_disk}",
                metadata={"image": image, "image_disk_gib": base_disk},
            )
        self.handles.put(spec.id, spec.name)  # first, so discover() never adopts it mid-way
        ctx.log(f"POST /api/vms/create: {spec.name} from {image}")
        try:
            task = await self._api.create(
                spec.name, image, spec.cpus, spec.memory_mib // 1024, spec.disk_gib
            )
        except Exception:
            self.handles.pop(spec.id)
            raise
        what = f"create VM {spec.name!r}"
        try:
            done = await self._api.follow(task, Span(ctx), what=what, timeout=self.task_timeout)
        except TaskFailedError:
            await self._forget_if_absent(spec.id, spec.name)
            raise
        refused = [line for line in done.logs if line.startswith("Warning:")]
        if refused:
            await self._undo_create(spec, ctx, refused)
        vm = await self.view.present(spec.name, after=what)
        ctx.progress(1.0)
        return self.view.observation(vm, reason="created")

    async def delete(self, vm_id: str, ctx: OperationContext) -> None:
        """Delete the VM (Tart refuses a running one); vmkit forgets it once Tart has."""
        handle = self.handles.require(vm_id)
        try:
            await self.view.present(handle)
        except BackendVMNotFoundError:
            self._forget(vm_id, handle)
            raise
        ctx.log(f"POST /api/vms/{handle}/delete")
        task = await self._api.delete(handle)
        what = f"delete VM {handle!r}"
        await self._api.follow(task, Span(ctx), what=what, timeout=self.task_timeout)
        if handle in await self.view.fresh():
            raise BackendOperationFailedError(
                f"{NAME} reported the task to {what} done, but Tart still lists the VM",
                metadata={"task_id": task.id, "taartenfabriek_name": handle},
            )
        self._forget(vm_id, handle)
        ctx.progress(1.0)

    async def start(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Start the VM (`booted`); fails unless Tart then lists it running (reason `failed`)."""
        observation = await self._start(self.handles.require(vm_id), Span(ctx))
        ctx.progress(1.0)
        return observation

    async def stop(
        self,
        vm_id: str,
        ctx: OperationContext,
        *,
        timeout_seconds: float,
        force_after_timeout: bool,
    ) -> Observation:
        """Stop the VM (`shutdown`) the only way the system can: `tart stop --timeout 30`.

        Tart powers a guest that ignores the request off after its own 30 s, so neither
        `timeout_seconds` nor `force_after_timeout=False` changes how it ends (logged).
        """
        ctx.log(f"{_TART_STOP_NOTE}; timeout_seconds and force_after_timeout do not apply")
        observation = await self._stop(self.handles.require(vm_id), Span(ctx), reason="shutdown")
        ctx.progress(1.0)
        return observation

    async def force_stop(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Power the VM off (`destroyed`) through the same stop: at most 30 s of grace."""
        ctx.log(f"{_TART_STOP_NOTE}, so a force-stop may take up to 30 s", level="warning")
        observation = await self._stop(self.handles.require(vm_id), Span(ctx), reason="destroyed")
        ctx.progress(1.0)
        return observation

    async def restart(self, vm_id: str, ctx: OperationContext) -> Observation:
        """Stop then start the VM (the system has no reboot call): `booted`."""
        handle = self.handles.require(vm_id)
        ctx.log("the system has no reboot: stopping, then starting the VM")
        await self._stop(handle, Span(ctx, 0.0, 0.45), reason="shutdown")
        observation = await self._start(handle, Span(ctx, 0.5, 0.95))
        ctx.progress(1.0)
        return observation

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """Clone the source as `target.name` (stopped, `cloned`; Tart copies its settings)."""
        source = self.handles.require(source_id)
        inventory = await self.view.fresh()
        if source not in inventory:
            raise BackendVMNotFoundError(f"{NAME} has no VM {source!r} any more")
        self._check_new_name(target.name, inventory)
        self.handles.put(target.id, target.name)
        ctx.log(f"POST /api/vms/{source}/clone: {target.name}")
        try:
            task = await self._api.clone(source, target.name)
        except Exception:
            self.handles.pop(target.id)
            raise
        what = f"clone VM {source!r} as {target.name!r}"
        try:
            await self._api.follow(task, Span(ctx), what=what, timeout=self.task_timeout)
        except TaskFailedError:
            await self._forget_if_absent(target.id, target.name)
            raise
        vm = await self.view.present(target.name, after=what)
        ctx.progress(1.0)
        return self.view.observation(vm, reason="cloned")

    async def observe(self, vm_id: str) -> Observation:
        """The VM as Tart lists it (read at most once per `poll_interval` for all VMs)."""
        handle = self.handles.require(vm_id)
        vm = (await self.view.cached()).get(handle)
        if vm is None:
            raise BackendVMNotFoundError(f"{NAME} has no VM {handle!r}")
        return self.view.observation(vm)

    async def list_vm_ids(self) -> list[str]:
        """The vmkit ids of the mapped VMs Tart still lists."""
        present = await self.view.cached()
        return [vm_id for vm_id, handle in self.handles.items() if handle in present]

    # -- adopting and images --------------------------------------------------------------------

    async def discover(self) -> list[DiscoveredVM]:
        """Working VMs (not base images) that no vmkit id maps to, with sanitised names.

        Settings the inventory does not show are Tart's defaults (`extra.resources_reported`
        is then False).
        """
        before = self.handles.handles()  # read first: a VM deleted meanwhile was mapped then
        inventory = await self.view.fresh()
        known = before | self.handles.handles()
        found = []
        for vm in inventory.values():
            if is_base_image(vm) or vm.name in known:
                continue
            cpus, memory_mib, disk_gib, observation = self.view.discovered(vm)
            found.append(
                DiscoveredVM(
                    handle=vm.name,
                    name=vmkit_name(vm.name),
                    cpus=cpus,
                    memory_mib=memory_mib,
                    disk_gib=disk_gib,
                    image=None,
                    observation=observation,
                )
            )
        return found

    async def adopt(self, handle: str, vm_id: str) -> None:
        """Map `vm_id` to the Tart VM `handle`.

        Raises:
            BackendOperationFailedError: Another vmkit id already maps to it.
        """
        self.handles.adopt(vm_id, handle)

    async def list_images(self) -> list[ImageInfo]:
        """The base images Tart has pulled (by name; the first is the default)."""
        return images(await self.view.cached())

    # -- helpers ----------------------------------------------------------------------------------

    async def _start(self, handle: str, span: Span) -> Observation:
        ctx = span.ctx
        vm = await self.view.present(handle)
        if status_of(vm) == "running":
            ctx.log(f"Tart lists VM {handle!r} as running already")
            return self.view.observation(vm, reason=self.view.reason(handle, "running") or "booted")
        ctx.log(f"POST /api/vms/{handle}/start")
        task = await self._api.act("start", handle)
        what = f"start VM {handle!r}"
        done = await self._api.follow(task, span, what=what, timeout=self.task_timeout)
        inventory = await self.view.fresh()
        vm = await self.view.present(handle, after=what, inventory=inventory)
        status = status_of(vm)
        if status != "running":
            self.view.failed(handle, status)
            raise BackendOperationFailedError(
                f"{NAME} reported the task to {what} done, but Tart lists the VM {status}: it "
                f"did not start{macos_hint(vm, inventory)}",
                metadata={
                    "task_id": task.id,
                    "taartenfabriek_name": handle,
                    "taartenfabriek_status": status,
                    "logs": done.logs[-20:],
                },
            )
        return self.view.observation(vm, reason="booted")

    async def _stop(self, handle: str, span: Span, *, reason: str) -> Observation:
        ctx = span.ctx
        vm = await self.view.present(handle)
        if status_of(vm) != "running":
            ctx.log(f"Tart lists VM {handle!r} as {status_of(vm)}: nothing to stop")
            return self.view.observation(vm)
        ctx.log(f"POST /api/vms/{handle}/stop")
        task = await self._api.act("stop", handle)
        what = f"stop VM {handle!r}"
        await self._api.follow(task, span, what=what, timeout=self.task_timeout)
        vm = await self.view.present(handle, after=what)
        if status_of(vm) == "running":
            raise BackendOperationFailedError(
                f"{NAME} reported the task to {what} done, but Tart lists the VM running",
                metadata={"task_id": task.id, "taartenfabriek_name": handle},
            )
        return self.view.observation(vm, reason=reason)

    async def _undo_create(self, spec: VMSpec, ctx: OperationContext, refused: list[str]) -> None:
        """Tart refused some settings: delete the half-made VM and fail the create."""
        ctx.log(f"Tart refused settings of {spec.name}; deleting it again", level="warning")
        try:
            task = await self._api.delete(spec.name)
            cleanup = Span(ctx, 0.95, 0.95)  # its log lines matter, not its progress
            await self._api.follow(task, cleanup, what="delete it", timeout=self.task_timeout)
        finally:
            await self._forget_if_absent(spec.id, spec.name)
        raise BackendOperationFailedError(
            f"{NAME} created VM {spec.name!r} but Tart refused its settings: " + "; ".join(refused),
            metadata={
                "warnings": refused,
                "cpus": spec.cpus,
                "memory_mib": spec.memory_mib,
                "disk_gib": spec.disk_gib,
            },
        )

    def _check_new_name(self, name: str, inventory: Mapping[str, VM]) -> None:
        if name in inventory:
            raise BackendOperationFailedError(
                f"{NAME} already has a VM named {name!r}", metadata={"taartenfabriek_name": name}
            )

    async def _forget_if_absent(self, vm_id: str, handle: str) -> None:
        if handle not in await self.view.fresh():
            self._forget(vm_id, handle)

    def _forget(self, vm_id: str, handle: str) -> None:
        self.handles.pop(vm_id)
        self.view.forget(handle)
