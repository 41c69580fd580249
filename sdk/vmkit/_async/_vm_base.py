"""The VM handle's base: identity, refresh, waiting, and the calls that are not power actions."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING, Literal, Self, Unpack, overload

from vmkit._async._api import SnapshotModel, VMModel
from vmkit._async._vm_fields import VMFields
from vmkit._core import display
from vmkit._core.deadline import Deadline, poll_intervals
from vmkit._core.progress import wait_progress
from vmkit._core.sentinels import NOT_GIVEN, NotGiven
from vmkit.errors import VmkitError, WaitTimeoutError
from vmkit.types import ActionOptions, CallOptions, RequestOptions

if TYPE_CHECKING:
    from vmkit._async._operation import AsyncOperation
    from vmkit._async._vm import AsyncVM
    from vmkit._async.client import AsyncClient
    from vmkit._async.resources.snapshots import AsyncVMSnapshots

__all__ = ["AsyncVMBase"]


class AsyncVMBase(VMFields):
    """Everything a VM handle does except the power actions (see ``AsyncVM``).

    In Jupyter a VM shows as a small table of its fields, and in IPython as text.

    Args:
        client: The client to act through.
        model: The VM as the server sent it.
    """

    def __init__(self, client: AsyncClient, model: VMModel) -> None:
        super().__init__(model)
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.state}>"

    # IPython picks the _repr_pretty_ of the class that defines __repr__: keep them together.
    def _repr_html_(self) -> str:
        return display.html_of(self)

    def _repr_pretty_(self, printer: display.PrettyPrinter, cycle: bool) -> None:
        display.pretty_repr(lambda: display.text_of(self), repr(self), printer, cycle)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AsyncVMBase):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def snapshots(self) -> AsyncVMSnapshots:
        """This VM's snapshots (``list``, ``get``, ``delete``); take one with :meth:`snapshot`."""
        return self._client.snapshots.of(self.id)

    async def refresh(self, **options: Unpack[RequestOptions]) -> Self:
        """Re-read the VM from the server.

        The request carries ``If-None-Match`` with this handle's ETag, so an unchanged VM
        costs the server a ``304`` and the client no parsing (waiters poll this way).

        Args:
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            This handle, updated.

        Raises:
            vmkit.errors.NotFoundError: If the VM no longer exists.
        """
        model = await self._client._api.get_vm_if_changed(self.id, self.etag, **options)
        if model is not None:
            self._model = model
        return self

    @overload
    async def snapshot(
        self,
        name: str,
        *,
        description: str | None = None,
        wait: Literal[False] = False,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation: ...
    @overload
    async def snapshot(
        self,
        name: str,
        *,
        description: str | None = None,
        wait: Literal[True],
        **options: Unpack[CallOptions],
    ) -> SnapshotModel: ...
    @overload
    async def snapshot(
        self,
        name: str,
        *,
        description: str | None = None,
        wait: bool,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation | SnapshotModel: ...
    async def snapshot(
        self,
        name: str,
        *,
        description: str | None = None,
        wait: bool = False,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation | SnapshotModel:
        """Snapshot this VM (``client.snapshots.create`` on this VM).

        Args:
            name: The snapshot's name, unique for this VM.
            description: Free text.
            wait: Wait for the operation and return the snapshot.
            **options: ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation, or with ``wait=True`` the snapshot once taken.
        """
        return await self._client.snapshots.create(
            self.id, name, description=description, wait=wait, **options
        )

    @overload
    async def clone(
        self,
        name: str,
        *,
        labels: dict[str, str] | None = None,
        start: bool = False,
        wait: Literal[False] = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation: ...
    @overload
    async def clone(
        self,
        name: str,
        *,
        labels: dict[str, str] | None = None,
        start: bool = False,
        wait: Literal[True],
        **options: Unpack[ActionOptions],
    ) -> AsyncVM: ...
    @overload
    async def clone(
        self,
        name: str,
        *,
        labels: dict[str, str] | None = None,
        start: bool = False,
        wait: bool,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | AsyncVM: ...
    async def clone(
        self,
        name: str,
        *,
        labels: dict[str, str] | None = None,
        start: bool = False,
        wait: bool = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | AsyncVM:
        """Copy this VM into a new one (``client.vms.clone`` on this VM).

        Args:
            name: The clone's name.
            labels: The clone's labels.
            start: Boot the clone once made.
            wait: Wait for the operation and return the clone's handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation, or with ``wait=True`` the clone.
        """
        return await self._client.vms.clone(
            self.id, name, labels=labels, start=start, wait=wait, **options
        )

    async def rename(
        self, name: str, *, if_match: str | None = None, **options: Unpack[RequestOptions]
    ) -> Self:
        """Give the VM a new name (its id stays); this handle is updated.

        Args:
            name: The new name.
            if_match: An ETag; 412 if the VM changed since.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            This handle, updated.
        """
        vm = await self._client.vms.rename(self.id, name, if_match=if_match, **options)
        self._model = vm.model
        return self

    async def update(
        self,
        *,
        cpus: int | None = None,
        memory_mib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | NotGiven | None = NOT_GIVEN,
        if_match: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Self:
        """Change the VM's settings; this handle is updated.

        Args:
            cpus: New vCPU count (only while stopped).
            memory_mib: New memory size (only while stopped).
            labels: New labels (replace the old ones as a whole).
            ttl_seconds: New lifetime from creation; None removes the expiry.
            if_match: An ETag; 412 if the VM changed since.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            This handle, updated.
        """
        vm = await self._client.vms.update(
            self.id,
            cpus=cpus,
            memory_mib=memory_mib,
            labels=labels,
            ttl_seconds=ttl_seconds,
            if_match=if_match,
            **options,
        )
        self._model = vm.model
        return self

    async def delete(
        self, *, force: bool = False, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation:
        """Delete this VM (``client.vms.delete`` on this VM).

        Args:
            force: Power the VM off first if it is running or paused.
            wait: Wait until the VM is gone.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation (finished, with ``wait=True``).
        """
        return await self._client.vms.delete(self.id, force=force, wait=wait, **options)

    # -- waiting -------------------------------------------------------------------------

    async def wait_for(
        self,
        state: str | Collection[str],
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        progress: bool | None = None,
    ) -> Self:
        """Poll the VM until it is in ``state`` (or one of several states).

        Args:
            state: The state to wait for, or several.
            timeout: Seconds to wait at most; None waits as long as it takes.
            poll_interval: A fixed pause between polls (default: 0.05 s growing to 1 s).
            progress: Show the VM's state and the time waited on a progress bar. None:
                only in a terminal or a notebook, unless ``VMKIT_PROGRESS`` says otherwise.

        Returns:
            This handle, updated, in one of the wanted states.

        Raises:
            vmkit.errors.WaitTimeoutError: If the VM is not there after ``timeout``.
            vmkit.errors.VmkitError: If the VM enters ``error`` (and that was not wanted).
        """
        wanted = {state} if isinstance(state, str) else set(state)
        return await self._poll(
            lambda vm: vm.state in wanted,
            f"state {' or '.join(sorted(wanted))}",
            timeout=timeout,
            poll_interval=poll_interval,
            progress=progress,
            error_ends="error" not in wanted,
        )

    async def wait_ready(
        self,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        progress: bool | None = None,
    ) -> Self:
        """Poll the VM until its guest answers its agent (``ready`` is true).

        Args:
            timeout: Seconds to wait at most; None waits as long as it takes.
            poll_interval: A fixed pause between polls (default: 0.05 s growing to 1 s).
            progress: Show the VM's state and the time waited on a progress bar. None:
                only in a terminal or a notebook, unless ``VMKIT_PROGRESS`` says otherwise.

        Returns:
            This handle, updated and ready.

        Raises:
            vmkit.errors.WaitTimeoutError: If the VM is not ready after ``timeout``.
            vmkit.errors.VmkitError: If the VM enters ``error``.
        """
        return await self._poll(
            lambda vm: vm.ready,
            "ready",
            timeout=timeout,
            poll_interval=poll_interval,
            progress=progress,
            error_ends=True,
        )

    async def _poll(
        self,
        reached: Callable[[VMFields], bool],
        goal: str,
        *,
        timeout: float | None,
        poll_interval: float | None,
        progress: bool | None,
        error_ends: bool,
    ) -> Self:
        api = self._client._api
        deadline = Deadline(timeout, api.clock)
        pauses: Iterator[float] = (
            poll_intervals() if poll_interval is None else itertools.repeat(poll_interval)
        )
        with wait_progress(progress, f"VM {self.name}: {goal}") as bar:
            while True:
                await self.refresh()
                bar.update(self.state)
                if reached(self):
                    bar.finish(self.state, succeeded=True)
                    return self
                if error_ends and self.state == "error":
                    bar.finish(self.state, succeeded=False)
                    raise VmkitError(
                        f"VM {self.name} entered state 'error' ({self.state_reason}) "
                        f"while waiting for {goal}"
                    )
                if deadline.expired():
                    raise WaitTimeoutError(
                        f"VM {self.name} did not reach {goal} within {timeout}s "
                        f"(state {self.state})",
                        timeout=timeout,
                    )
                pause = deadline.cap(next(pauses)) or 0.0
                if pause > 0:
                    await api.sleep(pause)

    def _adopt(self, result: AsyncOperation | VMFields) -> AsyncOperation | Self:
        """Take over the fields of a VM a ``wait=True`` action returned; pass operations on."""
        if isinstance(result, VMFields):
            self._model = result.model
            return self
        return result
