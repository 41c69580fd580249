"""The simulated backend's guest access, disk growth and image catalog."""

from __future__ import annotations

from ._sim_engine import SimEngine
from ._sim_guest import SimGuest, render_png
from .base import BackendOperationFailedError, Observation, OperationContext, PowerState
from .guest import ConsoleChunk, ExecRequest, ExecResult, GuestNotReadyError, ImageInfo

__all__ = ["SIMULATED_IMAGES", "SimAccess"]

P = PowerState

#: What the simulated backend lists; it accepts any other image name too.
SIMULATED_IMAGES = (
    ImageInfo(
        name="vmkit/test-guest",
        description="A simulated tiny Linux guest (any image name is accepted)",
        os="linux",
        arch="x86_64",
        disk_gib=10,
        size_bytes=None,
        default=True,
    ),
)

# Screen colours by power state: the screenshot shows what the VM is doing.
_SCREEN = {P.RUNNING: (32, 96, 160), P.PAUSED: (160, 128, 32)}


class SimAccess(SimEngine):
    """Exec, files, console, screenshots, disk growth and images of simulated VMs."""

    requires_known_image = False
    _guests: dict[str, SimGuest]

    def _guest(self, vm_id: str) -> SimGuest:
        self._check_available()
        vm = self._vm(vm_id)
        if vm.power is not P.RUNNING:
            raise GuestNotReadyError(
                f"the guest of VM {vm_id} is not running (it is {vm.power})",
                metadata={"state": str(vm.power)},
            )
        return self._guests.setdefault(vm_id, SimGuest(hostname=vm.name))

    async def exec(self, vm_id: str, request: ExecRequest) -> ExecResult:
        """Run a command in the simulated shell (see `SimGuest.run`)."""
        return await self._guest(vm_id).run(
            request.argv,
            env=request.env,
            stdin=request.stdin,
            timeout=request.timeout_seconds,
            sleep=self._sleep,
        )

    async def read_file(self, vm_id: str, path: str, *, max_bytes: int) -> bytes:
        """A file the guest holds (in memory)."""
        data = self._guest(vm_id).read(path)
        if len(data) > max_bytes:
            raise BackendOperationFailedError(
                f"{path} is {len(data)} bytes, more than {max_bytes}",
                metadata={"size_bytes": len(data), "max_bytes": max_bytes},
            )
        return data

    async def write_file(self, vm_id: str, path: str, data: bytes, *, mode: int | None) -> None:
        """Store a file in the guest (the mode is accepted and not kept)."""
        self._guest(vm_id).files[path] = bytes(data)

    async def console_read(self, vm_id: str, offset: int | None, max_bytes: int) -> ConsoleChunk:
        """The kept console lines as bytes, from `offset`."""
        self._check_available()
        vm = self._vm(vm_id)
        text = "".join(line + "\n" for line in vm.console).encode()
        start = vm.console_dropped
        begin = start if offset is None else max(offset, start)
        data = text[begin - start :][:max_bytes]
        return ConsoleChunk(data, begin, begin + len(data), start)

    async def console_write(self, vm_id: str, data: bytes) -> None:
        """Echo the input on the console, as a serial getty would."""
        self._guest(vm_id)
        vm = self._vm(vm_id)
        for line in data.decode("utf-8", errors="replace").splitlines() or [""]:
            vm.say(f"> {line}")
        self._save(vm)

    async def screenshot(self, vm_id: str) -> bytes:
        """A 160x100 PNG in the colour of the VM's power state."""
        self._check_available()
        vm = self._vm(vm_id)
        if vm.power is not P.RUNNING:
            raise GuestNotReadyError(f"VM {vm_id} has no display while {vm.power}")
        return render_png(160, 100, _SCREEN.get(vm.power, (0, 0, 0)))

    async def resize_disk(self, vm_id: str, disk_gib: int, ctx: OperationContext) -> Observation:
        """Grow a stopped or running VM's disk."""
        vm = await self._act("resize_disk", vm_id, ctx, {P.STOPPED, P.RUNNING}, "growing the disk")
        if disk_gib <= vm.disk_gib:
            raise BackendOperationFailedError(
                f"cannot shrink VM {vm_id}'s disk from {vm.disk_gib} to {disk_gib} GiB"
            )
        vm.disk_gib = disk_gib
        return self._done(vm, ctx, f"disk is now {disk_gib} GiB")

    async def list_images(self) -> list[ImageInfo]:
        """The simulated image catalog."""
        return list(SIMULATED_IMAGES)
