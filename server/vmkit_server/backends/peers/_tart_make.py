"""Making Tart VMs: `tart create`, `tart pull` + `tart clone`, then `tart set` to the spec's size.

A VM's `image` says how it is made:

- none: `tart create --linux` (an empty Linux VM: its disk has no OS until one is installed);
- `ipsw:<path|URL|latest>`: `tart create --from-ipsw` (installs macOS; takes a while);
- an OCI reference (`ghcr.io/cirruslabs/macos-sequoia-base:latest`): `tart pull` (progress
  from its percentages) then `tart clone` (APFS copy-on-write, instant);
- any other name: `tart clone` of that local VM (a template).

Tart counts disks in GB of 10^9 bytes and only grows them; vmkit counts GiB. A VM gets the
smallest whole GB holding its `disk_gib`; an image whose disk is larger than that is refused
rather than silently kept larger. `tart create` and `tart clone` replace a VM of the same name
without asking, so the backend checks first and never hands them a name Tart already has.
"""

from __future__ import annotations

import contextlib
import re

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendVMNotFoundError,
    Observation,
    OperationContext,
    VMSpec,
)
from ..guest import ImageNotFoundError
from ._tart_access import TartAccess
from ._tart_options import gb_for_gib, gib_for_gb

__all__ = ["TartMaker", "is_remote"]

_PERCENT = re.compile(r"^(\d{1,3})%$")
_REMOTE = re.compile(r"^[A-Za-z0-9.-]+(:\d+)?/[^\s]+$")
_UNKNOWN_IMAGE = ("MANIFEST_UNKNOWN", "NAME_UNKNOWN", "code: 404", "failed to parse remote name")


def is_remote(image: str) -> bool:
    """True if `image` names an OCI image (`host/namespace[:tag|@digest]`), not a local VM."""
    host = image.split("/", 1)[0]
    return bool(_REMOTE.match(image)) and ("." in host or ":" in host or host == "localhost")


class TartMaker(TartAccess):
    """Create and clone."""

    async def create(self, spec: VMSpec, ctx: OperationContext) -> Observation:
        """Make a stopped Tart VM named `spec.name` from `spec.image` (see the module docs).

        What remains on failure: nothing (a half-made VM is deleted).

        Raises:
            BackendOperationFailedError: Tart has a VM of that name already, or a step failed.
            ImageNotFoundError: The image cannot be pulled, or no local VM has that name.
        """
        with self._claim(spec.name):
            await self._refuse_taken(spec.name)
            self.handles.put(spec.id, spec.name)
            try:
                await self._make(spec, ctx)
                await self._fit(spec, ctx)
            except BaseException:
                await self._discard(spec.id, spec.name)
                raise
        self._reasons[spec.id] = "created"
        ctx.progress(1.0)
        return await self._observe(spec.id)

    async def clone(self, source_id: str, target: VMSpec, ctx: OperationContext) -> Observation:
        """`tart clone` a stopped or suspended VM into a new, stopped one.

        A suspended source's saved RAM comes along with `tart clone`; the copy drops it
        (`tart stop`) and gets a MAC address of its own (`tart set --random-mac`).

        Raises:
            BackendVMNotFoundError: Unknown source.
            BackendOperationFailedError: The source runs (Tart would copy a live disk), the
                name is taken in Tart, or a step failed; nothing new remains.
        """
        source = self.handles.require(source_id)
        with self._claim(target.name):
            info = await self.cli.get(source)
            if info.state == "running":
                raise BackendOperationFailedError(
                    f"Tart VM {source} is running; Tart would copy its live disk",
                    metadata={"tart_name": source, "tart_state": info.state},
                )
            await self._refuse_taken(target.name)
            self.handles.put(target.id, target.name)
            try:
                await self._long(ctx, "clone", source, target.name)
                if (await self.cli.get(target.name)).state == "suspended":
                    ctx.log("the copy carries the source's saved RAM: discarding it")
                    await self._short(ctx, "stop", target.name)
                    await self._short(ctx, "set", target.name, "--random-mac")
                await self._fit(target, ctx)
            except BaseException:
                await self._discard(target.id, target.name)
                raise
        self._reasons[target.id] = "created"
        ctx.progress(1.0)
        return await self._observe(target.id)

    async def _make(self, spec: VMSpec, ctx: OperationContext) -> None:
        gb = str(gb_for_gib(spec.disk_gib))
        image = spec.image
        if image is None:
            await self._long(ctx, "create", "--linux", "--disk-size", gb, spec.name)
        elif image.startswith("ipsw:"):
            source = image.removeprefix("ipsw:")
            await self._long(ctx, "create", "--from-ipsw", source, "--disk-size", gb, spec.name)
        else:
            if is_remote(image):
                await self._pull(image, ctx)
            elif not await self.cli.exists(image):
                raise ImageNotFoundError(
                    f"Tart has no local VM {image!r} to clone, and it is not an OCI reference",
                    metadata={"image": image},
                )
            try:
                await self._long(ctx, "clone", image, spec.name)
            except BackendVMNotFoundError as exc:  # removed since we looked
                raise ImageNotFoundError(
                    f"Tart has no VM {image!r} to clone: {exc.detail}", metadata={"image": image}
                ) from exc

    async def _pull(self, image: str, ctx: OperationContext) -> None:
        try:
            await self._long(ctx, "pull", image, progress=(0.05, 0.8))
        except BackendOperationFailedError as exc:
            if any(marker in exc.detail for marker in _UNKNOWN_IMAGE):
                raise ImageNotFoundError(
                    f"Tart cannot pull {image!r}: {exc.detail}",
                    metadata={"image": image, **exc.metadata},
                ) from exc
            raise

    async def _fit(self, spec: VMSpec, ctx: OperationContext) -> None:
        """`tart set` CPUs, memory and (growing only) the disk to what `spec` asks."""
        info = await self.cli.get(spec.name)
        wanted_gb = gb_for_gib(spec.disk_gib)
        if info.disk_gb > wanted_gb:
            least = gib_for_gb(info.disk_gb)
            if gb_for_gib(least) < info.disk_gb:
                least += 1
            raise BackendOperationFailedError(
                f"the image's disk is {info.disk_gb} GB and Tart cannot shrink a disk: "
                f"ask for disk_gib of at least {least}",
                metadata={"image_disk_gb": info.disk_gb, "min_disk_gib": least},
            )
        args: list[str] = []
        if info.cpu != spec.cpus:
            args += ["--cpu", str(spec.cpus)]
        if info.memory_mib != spec.memory_mib:
            args += ["--memory", str(spec.memory_mib)]
        if wanted_gb > info.disk_gb:
            args += ["--disk-size", str(wanted_gb)]
        if args:
            await self._short(ctx, "set", spec.name, *args)

    async def _refuse_taken(self, name: str) -> None:
        if await self.cli.exists(name):
            raise BackendOperationFailedError(
                f"Tart already has a VM named {name!r} (made outside vmkit?); `tart create` "
                "and `tart clone` would replace it, so vmkit will not: pick another name",
                metadata={"tart_name": name},
            )

    async def _discard(self, vm_id: str, name: str) -> None:
        """Remove what a failed create or clone made (best effort) and forget the id."""
        with contextlib.suppress(BackendError):
            await self.cli.run("delete", name, check=False)
        self.handles.pop(vm_id)

    async def _short(self, ctx: OperationContext, *args: str) -> None:
        self._log(ctx, *args)
        await self.cli.run(*args)

    async def _long(
        self, ctx: OperationContext, *args: str, progress: tuple[float, float] | None = None
    ) -> None:
        self._log(ctx, *args)

        def line(text: str) -> None:
            match = _PERCENT.match(text)
            if match is None:
                ctx.log(text)
            elif progress is not None:
                low, high = progress
                ctx.progress(low + (high - low) * min(100, int(match[1])) / 100)

        await self.cli.stream(*args, on_line=line)
