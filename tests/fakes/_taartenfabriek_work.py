"""What each action of the taartenfabriek fake does in the background, step by step.

Each coroutine is the body of one task, as the app runs it: the log lines the app writes, the
Tart commands it records (`command`, `exit_code`, `stderr`), the steps they take, and how the
task ends. A Tart refusal (`TartError`) fails the task with Tart's message (`FakeTaarten`
does that); what the app only warns about is a log line.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from ._taartenfabriek_tart import FakeTaarten, TartError

__all__ = ["Work"]

Task = dict[str, Any]
#: A stop waits this many steps for a guest that ignores the request (Tart's 30 s timeout).
STOP_GRACE_STEPS = 6


class Work:
    """The actions' background work over one app state.

    Args:
        app: The inventory, tasks and Tart.
        ip_wait_steps: Steps a start waits for the VM's address before it gives up on it.
    """

    def __init__(self, app: FakeTaarten, *, ip_wait_steps: int) -> None:
        self.app = app
        self.tart = app.tart
        self.ip_wait_steps = ip_wait_steps
        #: What each detached `tart run` wrote to its log file, by VM name.
        self.run_logs: dict[str, list[str]] = {}
        self._pids = itertools.count(40001)

    async def _boot(self, task: Task, name: str) -> dict[str, Any]:
        """`tart run` detached, then wait for `tart ip`: the result's address fields."""
        app = self.app
        app.update(task, log="Starting VM (detached)...")
        app.update(task, command=["tart", "run", "--vnc", "--no-graphics", name])
        try:
            self.tart.run(name)
        except TartError as exc:  # the detached process exits; only its log file says why
            self.run_logs.setdefault(name, []).append(f"Error: {exc}")
        else:
            delay = app.step_seconds * self.tart.boot_steps
            asyncio.get_running_loop().call_later(delay, self.tart.boot, name)
        app.update(task, log=f"tart run started (pid={next(self._pids)})")
        ip = None
        for attempt in range(self.ip_wait_steps):
            await app.step()
            ip = self.tart.ip(name)
            if ip:
                break
            if attempt % 4 == 0:
                app.update(task, log="Waiting for VM IP...")
        app.update(task, log=f"VM IP: {ip}" if ip else "VM started but IP was not available yet")
        return {"ip_address": ip, "vnc_url": f"vnc://{ip}" if ip else None}

    async def start(self, task: Task, name: str) -> None:
        """`POST /api/vms/{name}/start`: completes once the address came or the wait ended."""
        address = await self._boot(task, name)
        result = {"message": f"VM '{name}' started successfully", **address}
        self.app.update(task, status="completed", result=result)

    async def stop(self, task: Task, name: str) -> None:
        """`POST /api/vms/{name}/stop`: `tart stop --timeout 30`, then `tart stop`."""
        app = self.app
        try:
            vm = self.tart.check_stop(name)
        except TartError as exc:
            app.command(task, "stop", "--timeout", "30", name, stderr=str(exc), rc=1)
            app.command(task, "stop", name, stderr=str(exc), rc=1)
            raise
        app.update(task, command=["tart", "stop", "--timeout", "30", name])
        await app.step(STOP_GRACE_STEPS if vm.ignores_shutdown else 1)
        self.tart.power_off(name)
        app.update(task, exit_code=0, stderr="")
        self._done(task, f"VM '{name}' stopped successfully")

    async def delete(self, task: Task, name: str) -> None:
        """`POST /api/vms/{name}/delete`: `tart delete`."""
        app = self.app
        app.update(task, command=["tart", "delete", name])
        await app.step()
        try:
            self.tart.delete(name)
        except TartError as exc:
            app.command(task, "delete", name, stderr=str(exc), rc=1)
            raise
        app.update(task, exit_code=0, stderr="")
        self._done(task, f"VM '{name}' deleted successfully")

    async def _pull(self, task: Task, url: str) -> None:
        app = self.app
        app.update(task, command=["tart", "pull", url])
        for line in (f"pulling {url}...", "pulling manifest...", "pulling disk (20.0 GB)..."):
            app.update(task, log=line)
            await app.step()
        try:
            self.tart.pull(url)
        except TartError as exc:
            app.command(task, "pull", url, stderr=str(exc), rc=1)
            raise
        app.update(task, log="100%", exit_code=0, stderr="")

    async def pull(self, task: Task, url: str) -> None:
        """`POST /api/vms/pull`: `tart pull`."""
        await self._pull(task, url)
        self._done(task, f"VM image pulled successfully: {url}")

    async def _clone(self, task: Task, source: str, target: str) -> None:
        """`tart clone`, which first pulls a remote source it does not have."""
        app = self.app
        if source not in self.tart.vms and "/" in source:
            await self._pull(task, source)
        app.update(task, command=["tart", "clone", source, target])
        await app.step(2)
        try:
            self.tart.clone(source, target)
        except TartError as exc:
            app.command(task, "clone", source, target, stderr=str(exc), rc=1)
            raise
        app.update(task, exit_code=0, stderr="")

    async def clone(self, task: Task, name: str, new_name: str, start: bool) -> None:
        """`POST /api/vms/{name}/clone`: clone, and start the clone with VNC if asked."""
        app = self.app
        app.update(task, log=f"Cloning {name} to {new_name}...")
        await self._clone(task, name, new_name)
        app.update(task, log=f"Clone completed: {new_name}")
        result: dict[str, Any] = {
            "message": f"VM cloned successfully: {new_name}",
            "new_vm_name": new_name,
        }
        if start:
            app.update(task, log="Starting cloned VM with VNC...")
            result.update(started=True, **await self._boot(task, new_name))
        app.update(task, status="completed", result=result)

    async def create(self, task: Task, body: dict[str, Any]) -> None:
        """`POST /api/vms/create`: clone, then `tart set` CPUs, memory (GB) and disk (GB)."""
        app = self.app
        name, source = body["name"], body["source_vm"]
        app.update(task, log=f"Cloning from {source} to {name}...")
        await self._clone(task, source, name)
        app.update(task, log="VM cloned successfully")
        cpu, memory, disk = body["cpu"], body["memory"], body["disk_size"]
        settings = [
            (f"Setting CPU cores to {cpu}...", "CPU cores", "--cpu", {"cpu": cpu}),
            (
                f"Setting memory to {memory}GB...",
                "memory",
                "--memory",
                {"memory_mib": memory * 1024},
            ),
            (f"Setting disk size to {disk}GB...", "disk size", "--disk-size", {"disk_gb": disk}),
        ]
        for line, what, flag, change in settings:
            value = str(next(iter(change.values())))
            app.update(task, log=line)
            app.update(task, command=["tart", "set", name, flag, value])
            await app.step()
            try:
                self.tart.set(name, **change)
            except TartError as exc:
                app.command(task, "set", name, flag, value, stderr=str(exc), rc=1)
                app.update(task, log=f"Warning: Could not set {what}")
            else:
                app.update(task, exit_code=0, stderr="")
        result = {
            "message": f"VM '{name}' created successfully from {source}",
            "name": name,
            "source": source,
            "cpu": cpu,
            "memory": f"{memory}GB",
            "disk_size": f"{disk}GB",
        }
        app.update(task, status="completed", result=result)

    def _done(self, task: Task, message: str) -> None:
        self.app.update(task, status="completed", result={"message": message})
