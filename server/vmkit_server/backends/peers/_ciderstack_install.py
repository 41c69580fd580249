"""The CiderStack adapter's installs: an image pull if needed, `CreateVMOnNode`, their tasks.

Both run as CiderStack tasks, polled with `GetTasks` every `poll_interval` seconds; each new
`progressText` goes to the operation's log and the task's `progress` to its progress.
"""

from __future__ import annotations

import uuid

from vmkit.peers.ciderstack.api.images import list_remote_oci_images, pull_oci_image_on_node
from vmkit.peers.ciderstack.api.tasks import get_tasks
from vmkit.peers.ciderstack.api.vms import create_vm_on_node
from vmkit.peers.ciderstack.models import (
    CreateVmOnNodeRequest,
    CreateVmOnNodeResult,
    GetTasksRequest,
    GetTasksResult,
    ListRemoteOciImagesRequest,
    ListRemoteOciImagesResult,
    PullOciImageOnNodeRequest,
    PullOciImageOnNodeResult,
    Task,
)
from vmkit.peers.ciderstack.types import UNSET, Unset

from ..base import BackendOperationFailedError, OperationContext, VMSpec
from ..guest import ImageNotFoundError
from ._ciderstack_actions import CiderStackActions
from ._ciderstack_guest import is_ipsw
from ._ciderstack_rpc import NAME
from ._common import poll_until

__all__ = ["CiderStackInstall", "TaskFailedError"]


class TaskFailedError(BackendOperationFailedError):
    """A CiderStack task ended `failed` or `cancelled` (metadata: the task and its error)."""


class CiderStackInstall(CiderStackActions):
    """Installs and the task polls behind them (mixed into `CiderStackBackend`)."""

    async def wait_task(
        self, task_id: str, ctx: OperationContext, *, what: str, span: tuple[float, float]
    ) -> Task:
        """Poll `GetTasks` until task `task_id` ends; log its texts, report its progress.

        Args:
            task_id: The task.
            ctx: Told each new `progressText` and the progress, scaled into `span`.
            what: What the task does, for messages.
            span: The part of the operation's progress this task covers.

        Raises:
            TaskFailedError: It ended `failed` or `cancelled`.
            BackendOperationFailedError: CiderStack no longer lists it.
            BackendTimeoutError: `task_timeout` passed.
        """
        said: set[str] = set()
        low, high = span

        async def check() -> Task | None:
            answer = await self.rpc.call(
                "GetTasks", get_tasks, GetTasksRequest(include_completed=True), GetTasksResult
            )
            tasks = [] if isinstance(answer.tasks, Unset) else answer.tasks
            task = next((t for t in tasks if t.id == task_id), None)
            if task is None:
                raise BackendOperationFailedError(f"CiderStack no longer lists task {task_id}")
            text = task.progress_text
            if isinstance(text, str) and text and text not in said:
                said.add(text)
                ctx.log(f"{what}: {text}")
            done = task.progress if isinstance(task.progress, int | float) else 0.0
            ctx.progress(low + (high - low) * max(0.0, min(1.0, float(done))))
            if task.status == "completed":
                return task
            if task.status in ("failed", "cancelled"):
                error = task.error_message if isinstance(task.error_message, str) else None
                raise TaskFailedError(
                    f"{what} {task.status} on CiderStack: {error or 'no reason given'}",
                    metadata={"backend": NAME, "task_id": task_id, "peer_error": error},
                )
            if ctx.cancelled and "cancel" not in said:
                said.add("cancel")
                ctx.log("CiderStack cannot cancel a task; waiting for it", level="warning")
            return None

        return await poll_until(
            check, interval=self.poll_interval, timeout=self.task_timeout, what=what
        )

    async def _cached_images(self) -> list[str]:
        answer = await self.rpc.call(
            "ListRemoteOCIImages",
            list_remote_oci_images,
            ListRemoteOciImagesRequest(),
            ListRemoteOciImagesResult,
        )
        return [] if isinstance(answer.images, Unset) else [i.reference for i in answer.images]

    async def install(self, spec: VMSpec, ctx: OperationContext) -> str:
        """Pull `spec.image` if it is an OCI image the node lacks, `CreateVMOnNode`, and wait.

        Returns:
            The new VM's CiderStack id (mapped to `spec.id` once CiderStack names it).

        Raises:
            ImageNotFoundError: The pull failed, or CiderStack does not know the image.
            BackendOperationFailedError: `spec.image` is None, or CiderStack refused or failed
                the create.
        """
        image = spec.image
        if image is None:
            raise BackendOperationFailedError(
                "CiderStack installs macOS from an OCI image or an IPSW and none was given: "
                "pass an image, or set --backend-opt default_image=..."
            )
        ipsw = is_ipsw(image)
        if not ipsw and image not in await self._cached_images():
            ctx.log(f"pulling OCI image {image} onto the CiderStack node")
            pull = await self.rpc.call(
                "PullOCIImageOnNode",
                pull_oci_image_on_node,
                PullOciImageOnNodeRequest(request_id=_request_id(), image_reference=image),
                PullOciImageOnNodeResult,
            )
            try:
                await self.wait_task(
                    _task_id(pull.task_id), ctx, what=f"pulling {image}", span=(0.0, 0.4)
                )
            except TaskFailedError as exc:
                raise ImageNotFoundError(exc.detail, metadata=exc.metadata) from exc
        ctx.log(f"creating CiderStack VM {spec.name} from {image}")
        body = CreateVmOnNodeRequest(
            request_id=_request_id(),
            name=spec.name,
            cpu_count=spec.cpus,
            memory_mb=spec.memory_mib,
            disk_gb=spec.disk_gib,
            ipsw_path=image if ipsw else UNSET,
            oci_image=UNSET if ipsw else image,
        )
        try:
            answer = await self.rpc.call(
                "CreateVMOnNode", create_vm_on_node, body, CreateVmOnNodeResult
            )
        except BackendOperationFailedError as exc:
            if "not found" in str(exc.metadata.get("peer_error", "")).lower():
                raise ImageNotFoundError(exc.detail, metadata=exc.metadata) from exc
            raise
        if isinstance(answer.vm_id, Unset):
            raise BackendOperationFailedError("CiderStack's CreateVMOnNode answer has no vmID")
        self.handles.put(spec.id, answer.vm_id)
        try:
            if isinstance(answer.task_id, str):
                await self.wait_task(answer.task_id, ctx, what="installing macOS", span=(0.4, 1.0))
            await poll_until(
                lambda: self._listed(answer.vm_id),
                interval=self.poll_interval,
                timeout=self.task_timeout,
                what="the new VM",
            )
        except BaseException:
            self.handles.pop(spec.id)
            raise
        return str(answer.vm_id)

    async def _listed(self, handle: object) -> bool | None:
        return True if any(vm.id == handle for vm in await self.list_vms()) else None


def _request_id() -> str:
    return str(uuid.uuid4()).upper()


def _task_id(task_id: str | Unset) -> str:
    if isinstance(task_id, Unset):
        raise BackendOperationFailedError("CiderStack started no task (its answer has no taskID)")
    return task_id
