"""de taartenfabriek's calls through the generated client, and its tasks followed to their end.

Every call method makes one request of `vmkit.peers.taartenfabriek` and returns the parsed
model, or raises: 403 → `BackendUnavailableError` (vmkit cannot use the system with that
token), 404 → `BackendVMNotFoundError`, any other answer → `BackendOperationFailedError`,
each with the system's `detail` and status; transport failures go through `peer_errors`.

`follow` polls a Task (`GET /api/tasks/{id}`) until it completes, reporting its new log
lines and progress to the operation, and raises `TaskFailedError` with the task's error,
stderr and logs when it fails. The WebSocket stream is not used: polling needs no second
protocol, and a poll every `poll_interval` is as timely for an operation's log.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from vmkit.peers.taartenfabriek import AuthenticatedClient
from vmkit.peers.taartenfabriek.api.actions import (
    clone_vm,
    create_vm,
    delete_vm,
    start_vm,
    stop_vm,
)
from vmkit.peers.taartenfabriek.api.health import get_health
from vmkit.peers.taartenfabriek.api.tart import get_tart_version
from vmkit.peers.taartenfabriek.api.tasks import get_task
from vmkit.peers.taartenfabriek.api.vms import refresh_vms
from vmkit.peers.taartenfabriek.models import (
    VM,
    CloneRequest,
    CreateRequest,
    EmptyBody,
    Health,
    HTTPError,
    HTTPValidationError,
    TartVersion,
    Task,
)
from vmkit.peers.taartenfabriek.types import Response

from ..base import (
    BackendError,
    BackendOperationFailedError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    OperationContext,
)
from ._common import PeerOptions, peer_errors, poll_until
from ._taartenfabriek_map import new_lines, task_status

__all__ = ["NAME", "Span", "TaartenAPI", "TaskFailedError"]

NAME = "taartenfabriek"
T = TypeVar("T")
#: How many of a failed task's last log lines its error carries.
_LOG_TAIL = 20


class TaskFailedError(BackendOperationFailedError):
    """A task of the system ended `failed`; `metadata` holds its error, stderr and logs."""


class Span:
    """The part of an operation's progress (`low` to `high`) one task reports into.

    Args:
        ctx: The operation.
        low: Progress when the task starts.
        high: Progress when it completes.
    """

    def __init__(self, ctx: OperationContext, low: float = 0.0, high: float = 0.95) -> None:
        self.ctx, self.low, self.high = ctx, low, high
        self._last = low

    def report(self, fraction: float) -> None:
        """Report `fraction` (0..1) of this task, never going backwards."""
        value = self.low + (self.high - self.low) * min(1.0, max(0.0, fraction))
        if value > self._last:
            self._last = value
            self.ctx.progress(value)


class TaartenAPI:
    """The calls the adapter makes.

    Args:
        options: The adapter's options (url, token, timeout, poll_interval).
    """

    def __init__(self, options: PeerOptions) -> None:
        self.options = options
        self._client = AuthenticatedClient(
            base_url=options.url,
            token=options.token or "",
            prefix="",
            auth_header_name="X-Local-Token",
            timeout=httpx.Timeout(options.timeout),
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.get_async_httpx_client().aclose()

    async def health(self) -> Health:
        """`GET /api/health`."""
        with peer_errors(NAME):
            resp = await get_health.asyncio_detailed(client=self._client)
        return _ok(resp, Health, "read its health")

    async def tart_version(self) -> str:
        """`GET /api/tart/version`."""
        with peer_errors(NAME):
            resp = await get_tart_version.asyncio_detailed(client=self._client)
        return _ok(resp, TartVersion, "read the Tart version").version

    async def refresh(self) -> list[VM]:
        """`POST /api/vms/refresh`: the inventory as Tart lists it now (not the cached one)."""
        with peer_errors(NAME):
            resp = await refresh_vms.asyncio_detailed(client=self._client, body=EmptyBody())
        return _ok(resp, list, "list its VMs")

    async def act(self, action: str, name: str) -> Task:
        """`POST /api/vms/{name}/start` or `.../stop` with `{}`."""
        call = start_vm.asyncio_detailed if action == "start" else stop_vm.asyncio_detailed
        with peer_errors(NAME):
            resp = await call(name, client=self._client, body=EmptyBody())
        return _ok(resp, Task, f"{action} VM {name!r}", name)

    async def delete(self, name: str) -> Task:
        """`POST /api/vms/{name}/delete`."""
        with peer_errors(NAME):
            resp = await delete_vm.asyncio_detailed(name, client=self._client, body=EmptyBody())
        return _ok(resp, Task, f"delete VM {name!r}", name)

    async def create(self, name: str, source: str, cpu: int, memory_gb: int, disk_gb: int) -> Task:
        """`POST /api/vms/create`."""
        body = CreateRequest(
            name=name, source_vm=source, cpu=cpu, memory=memory_gb, disk_size=disk_gb
        )
        with peer_errors(NAME):
            resp = await create_vm.asyncio_detailed(client=self._client, body=body)
        return _ok(resp, Task, f"create VM {name!r}")

    async def clone(self, name: str, new_name: str) -> Task:
        """`POST /api/vms/{name}/clone`, not starting the clone."""
        body = CloneRequest(new_name=new_name, start_after_clone=False)
        with peer_errors(NAME):
            resp = await clone_vm.asyncio_detailed(name, client=self._client, body=body)
        return _ok(resp, Task, f"clone VM {name!r}", name)

    async def task(self, task_id: str) -> Task:
        """`GET /api/tasks/{task_id}`; a task the system forgot is an operation failure."""
        with peer_errors(NAME):
            resp = await get_task.asyncio_detailed(task_id, client=self._client)
        if resp.status_code == 404:
            raise BackendOperationFailedError(
                f"{NAME} no longer knows its task {task_id!r} (restarted, or the task expired)",
                metadata={"task_id": task_id, "taartenfabriek_status": 404},
            )
        return _ok(resp, Task, f"read task {task_id!r}")

    async def follow(self, task: Task, span: Span, *, what: str, timeout: float) -> Task:
        """Poll `task` until it completes; its log lines and progress go to the operation.

        Args:
            task: The task an action answered.
            span: Where its progress goes.
            what: What it does, for messages (`"start VM 'ci-1'"`).
            timeout: Seconds it may take.

        Returns:
            The completed task.

        Raises:
            TaskFailedError: It failed.
            BackendOperationFailedError: The operation was cancelled, or the task vanished.
            BackendTimeoutError: It did not end within `timeout`.
        """
        ctx = span.ctx
        ctx.log(f"{NAME} task {task.id} ({task.action}) to {what}: {task_status(task)}")
        seen: list[str] = []
        said = task_status(task)
        first = True

        async def check() -> Task | None:
            nonlocal seen, said, first
            current = task if first else await self.task(task.id)
            first = False
            for line in new_lines(seen, current.logs):
                warn = line.startswith(("[stderr]", "Warning"))
                ctx.log(f"[{NAME}] {line}", level="warning" if warn else "info")
            seen = list(current.logs)
            status = task_status(current)
            if status != said:
                ctx.log(f"{NAME} task {task.id}: {status}")
                said = status
            if status == "completed":
                span.report(1.0)
                return current
            if status == "failed":
                raise _failed(current, what)
            span.report(0.1 + 0.8 * (1 - 0.8 ** len(seen)) if status == "running" else 0.02)
            if ctx.cancelled:
                raise BackendOperationFailedError(
                    f"cancelled while {NAME} task {task.id} was still working; it may finish",
                    metadata={"task_id": task.id, "action": task.action, "status": status},
                )
            return None

        return await poll_until(
            check,
            interval=self.options.poll_interval,
            timeout=timeout,
            what=f"{NAME} task {task.id} to {what}",
        )


def _failed(task: Task, what: str) -> TaskFailedError:
    reason = task.error or "the task failed"
    return TaskFailedError(
        f"{NAME} could not {what}: {reason}",
        metadata={
            "task_id": task.id,
            "action": task.action,
            "error": task.error,
            "stderr": task.stderr,
            "exit_code": task.exit_code,
            "command": task.command,
            "logs": task.logs[-_LOG_TAIL:],
        },
    )


def _ok(resp: Response[Any], kind: type[T], what: str, name: str | None = None) -> T:
    """The parsed body of a 2xx answer, if it is a `kind`; the matching error otherwise."""
    if 200 <= resp.status_code < 300 and isinstance(resp.parsed, kind):
        return resp.parsed
    raise _error(resp, what, name)


def _detail(resp: Response[Any]) -> str:
    """The system's `detail`: its text, or the items of a 422 as `loc: msg`."""
    parsed = resp.parsed
    if isinstance(parsed, HTTPError):
        return parsed.detail
    if isinstance(parsed, HTTPValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in item.loc)}: {item.msg}" for item in parsed.detail
        )
    text = resp.content.decode(errors="replace").strip()
    return text[:500] or "(no body)"


def _error(resp: Response[Any], what: str, name: str | None) -> BackendError:
    status = int(resp.status_code)
    detail = _detail(resp)
    metadata: dict[str, Any] = {"taartenfabriek_status": status, "taartenfabriek_detail": detail}
    if name is not None:
        metadata["taartenfabriek_name"] = name
    if status == 403:
        return BackendUnavailableError(
            f"{NAME} refused the token (403): {detail}; check --backend-token-file",
            metadata=metadata,
        )
    if status == 404 and name is not None:
        return BackendVMNotFoundError(f"{NAME} has no VM {name!r}: {detail}", metadata=metadata)
    return BackendOperationFailedError(
        f"{NAME} could not {what} (HTTP {status}): {detail}", metadata=metadata
    )
