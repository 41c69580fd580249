"""The state behind the taartenfabriek fake: Tart's VMs, the app's cached inventory, its tasks.

`FakeTart` plays the Tart CLI the app shells out to (`run`, `ip`, `stop`, `delete`, `clone`,
`set`, `pull`), with Tart's refusals as exit code 1 and a message on stderr. `FakeTaarten`
is the app around it: the inventory cache it answers `GET /api/vms` from (re-read from Tart
at start, on `POST /api/vms/refresh` and one step after each task completes, as the app's
best-effort refresh does), and the background tasks each action starts, which progress one
`step_seconds` at a time and notify WebSocket subscribers on every change.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["FakeTaarten", "FakeTart", "FakeVM", "TartError", "is_base_image"]

#: Apple's Virtualization framework runs at most this many macOS guests at once.
MACOS_LIMIT = 2
_REGISTRIES = ("ghcr.io", "docker.io", "gcr.io")


class TartError(Exception):
    """A Tart command that exited 1; the message is what it wrote on stderr."""


@dataclass
class FakeVM:
    """One VM as Tart keeps it."""

    name: str
    source: str  # "local" or "OCI"
    os: str  # "darwin" or "linux"
    cpu: int
    memory_mib: int
    disk_gb: int
    running: bool = False
    booted: bool = False
    ip_address: str | None = None
    ignores_shutdown: bool = False

    def summary(self, *, sparse: bool) -> dict[str, Any]:
        """The VM object of the document (`sparse`: only what `tart list` tells the app)."""
        memory = f"{self.memory_mib / 1024:g}G"
        return {
            "name": self.name,
            "status": "running" if self.running else "stopped",
            "ip_address": self.ip_address if self.running and self.booted else None,
            "source": self.source,
            "os": None if sparse else self.os,
            "cpu": None if sparse else self.cpu,
            "memory": None if sparse else memory,
            "disk_size": self.disk_gb,
            "display": None if sparse else "1024x768",
        }


def is_base_image(vm: dict[str, Any]) -> bool:
    """The app's rule of `/api/vms/categorized` for a base image: pulled from an OCI registry."""
    source = vm.get("source") or ""
    return (
        source.upper() == "OCI"
        or source.startswith(_REGISTRIES)
        or str(vm["name"]).startswith(tuple(f"{r}/" for r in _REGISTRIES))
    )


class FakeTart:
    """The Tart CLI's VMs and refusals.

    Args:
        boot_steps: Steps from `tart run` until `tart ip` answers.
        macos_limit: How many macOS guests may run at once.
    """

    def __init__(self, *, boot_steps: int = 2, macos_limit: int = MACOS_LIMIT) -> None:
        self.vms: dict[str, FakeVM] = {}
        self.boot_steps = boot_steps
        self.macos_limit = macos_limit
        self._addresses = itertools.count(2)

    def add(self, vm: FakeVM) -> FakeVM:
        """Register a VM (test setup)."""
        self.vms[vm.name] = vm
        return vm

    def get(self, name: str) -> FakeVM:
        """The VM `name`, or Tart's refusal."""
        vm = self.vms.get(name)
        if vm is None:
            raise TartError(f'the specified VM "{name}" does not exist')
        return vm

    def run(self, name: str) -> FakeVM:
        """`tart run`: the VM runs, or the detached process exits with an error."""
        vm = self.get(name)
        if vm.running:
            raise TartError(f'VM "{name}" is already running')
        if vm.os == "darwin":
            running = sum(1 for v in self.vms.values() if v.running and v.os == "darwin")
            if running >= self.macos_limit:
                raise TartError(
                    "The number of virtual machines exceeds the limit. The maximum supported "
                    "number of active virtual machines has been reached."
                )
        vm.running, vm.booted = True, False
        vm.ip_address = f"192.168.64.{next(self._addresses)}"
        return vm

    def boot(self, name: str) -> None:
        """The guest finished booting: `tart ip` answers from now on."""
        vm = self.vms.get(name)
        if vm is not None and vm.running:
            vm.booted = True

    def ip(self, name: str) -> str | None:
        """`tart ip`: the address of a booted, running VM."""
        vm = self.vms.get(name)
        return vm.ip_address if vm is not None and vm.running and vm.booted else None

    def power_off(self, name: str) -> None:
        """The VM stops (its guest shut down, or Tart powered it off)."""
        vm = self.get(name)
        vm.running, vm.booted, vm.ip_address = False, False, None

    def check_stop(self, name: str) -> FakeVM:
        """What `tart stop` refuses before it asks the guest."""
        vm = self.get(name)
        if not vm.running:
            raise TartError(f'VM "{name}" is not running')
        return vm

    def delete(self, name: str) -> None:
        """`tart delete`: refused while the VM runs."""
        vm = self.get(name)
        if vm.running:
            raise TartError(f'VM "{name}" is running')
        del self.vms[name]

    def clone(self, source: str, target: str) -> FakeVM:
        """`tart clone`: a stopped local copy."""
        src = self.get(source)
        if target in self.vms:
            raise TartError(f'the specified VM "{target}" already exists')
        if not target or "/" in target:
            raise TartError(f'invalid local VM name "{target}"')
        return self.add(FakeVM(target, "local", src.os, src.cpu, src.memory_mib, src.disk_gb))

    def set(
        self,
        name: str,
        *,
        cpu: int | None = None,
        memory_mib: int | None = None,
        disk_gb: int | None = None,
    ) -> None:
        """`tart set`: disks only grow; CPUs and memory must be positive."""
        vm = self.get(name)
        if cpu is not None:
            if cpu < 1:
                raise TartError("CPU count must be at least 1")
            vm.cpu = cpu
        if memory_mib is not None:
            if memory_mib < 1:
                raise TartError("memory size must be positive")
            vm.memory_mib = memory_mib
        if disk_gb is not None:
            if disk_gb < vm.disk_gb:
                raise TartError("disk size cannot be smaller than the current size")
            vm.disk_gb = disk_gb

    def pull(self, url: str) -> FakeVM:
        """`tart pull`: the image becomes a VM named by its URL, source `OCI`."""
        if "/" not in url or any(c.isspace() for c in url):
            raise TartError(f'invalid remote name "{url}"')
        os = "darwin" if "macos" in url else "linux"
        existing = self.vms.get(url)
        if existing is not None:
            return existing
        big = os == "darwin"
        return self.add(FakeVM(url, "OCI", os, 4, 8192 if big else 4096, 50 if big else 20))


class FakeTaarten:
    """The app's inventory cache and tasks over one `FakeTart`.

    Args:
        tart: The Tart it drives.
        step_seconds: How long one step of a task takes.
        sparse_inventory: VM objects without `os`, `cpu`, `memory`, `display` (null), as the
            app shows them when only `tart list` was read.
    """

    def __init__(self, tart: FakeTart, *, step_seconds: float, sparse_inventory: bool) -> None:
        self.tart = tart
        self.step_seconds = step_seconds
        self.sparse_inventory = sparse_inventory
        self.inventory: dict[str, dict[str, Any]] = {}
        self.tasks: dict[str, dict[str, Any]] = {}
        self.subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}
        self._running: set[asyncio.Task[None]] = set()

    # -- the inventory ------------------------------------------------------------------------

    def refresh(self) -> list[dict[str, Any]]:
        """Read Tart again into the cache (`tart list`, `tart ip`); the VMs by name."""
        vms = sorted(self.tart.vms.values(), key=lambda vm: vm.name)
        self.inventory = {vm.name: vm.summary(sparse=self.sparse_inventory) for vm in vms}
        return list(self.inventory.values())

    def cached(self) -> list[dict[str, Any]]:
        """The cached inventory, by name."""
        return [self.inventory[name] for name in sorted(self.inventory)]

    # -- tasks ----------------------------------------------------------------------------------

    def new_task(self, action: str, work: Callable[[dict[str, Any]], Awaitable[None]]) -> dict:
        """Create a pending task and run `work(task)` in the background; return the task."""
        now = time.time()
        task: dict[str, Any] = {
            "id": secrets.token_urlsafe(8),
            "action": action,
            "status": "pending",
            "command": None,
            "exit_code": None,
            "result": None,
            "error": None,
            "stderr": None,
            "created_at": now,
            "updated_at": now,
            "logs": [],
        }
        self.tasks[task["id"]] = task
        self.subscribers[task["id"]] = set()
        snapshot = copy.deepcopy(task)
        runner = asyncio.get_running_loop().create_task(self._run(task, work))
        self._running.add(runner)
        runner.add_done_callback(self._running.discard)
        return snapshot

    async def _run(self, task: dict[str, Any], work: Callable[[dict], Awaitable[None]]) -> None:
        await self.step()
        self.update(task, status="running")
        try:
            await work(task)
        except TartError as exc:
            self.update(task, status="failed", error=str(exc))
            return
        await self.step()  # the app's best-effort refresh after a completed task takes a while
        self.refresh()

    async def step(self, count: int = 1) -> None:
        """Wait `count` steps."""
        await asyncio.sleep(self.step_seconds * count)

    def update(self, task: dict[str, Any], *, log: str | None = None, **fields: Any) -> None:
        """Change a task (append a log line), stamp it and notify its subscribers."""
        task.update(fields)
        if log is not None:
            task["logs"].append(log)
        task["updated_at"] = time.time()
        snapshot = copy.deepcopy(task)
        for queue in self.subscribers.get(task["id"], set()):
            queue.put_nowait(snapshot)

    def command(self, task: dict[str, Any], *argv: str, stderr: str = "", rc: int = 0) -> None:
        """Record a Tart command the task ran, as the app does."""
        self.update(task, command=["tart", *argv])
        if stderr:
            self.update(task, log=f"[stderr] {stderr}")
        self.update(task, exit_code=rc, stderr=stderr)

    def active(self) -> list[dict[str, Any]]:
        """Tasks neither completed nor failed."""
        return [t for t in self.tasks.values() if t["status"] in ("pending", "running")]

    async def close(self) -> None:
        """Cancel the tasks still running (the app's shutdown)."""
        for runner in list(self._running):
            runner.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)
