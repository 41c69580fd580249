"""``client.operations``: the long-running work that mutating calls start."""

from __future__ import annotations

from typing import Unpack

from vmkit._async._api import LogEntryModel
from vmkit._async._operation import AsyncOperation, operation_logs
from vmkit._async._pagination import AsyncPaginator
from vmkit._async.resources._base import AsyncResource, VMRef, state_list, vm_ref
from vmkit.types import Page, RequestOptions, StateFilter

__all__ = ["AsyncOperations"]

#: An operation given by id or as a handle.
OperationRef = str | AsyncOperation


def operation_ref(operation: OperationRef) -> str:
    """The id of an operation given by id or handle."""
    return operation if isinstance(operation, str) else operation.id


class AsyncOperations(AsyncResource):
    """Operations: ``client.operations`` (kept by the server for at least 7 days)."""

    async def get(
        self, operation: OperationRef, **options: Unpack[RequestOptions]
    ) -> AsyncOperation:
        """Get an operation.

        Args:
            operation: The operation's id (or a handle, to re-read it).
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            A fresh handle.

        Raises:
            vmkit.errors.NotFoundError: If there is no such operation.
        """
        model = await self._api.get_operation(operation_ref(operation), **options)
        return self._operation(model)

    def list(
        self,
        *,
        state: StateFilter | None = None,
        vm: VMRef | None = None,
        kind: str | None = None,
        page_size: int | None = None,
    ) -> AsyncPaginator[AsyncOperation]:
        """List operations, oldest first, fetched lazily while iterating.

        Args:
            state: Only operations in this state or one of these states.
            vm: Only operations on this VM: its name or id, or a handle (an id still works
                after the VM is deleted).
            kind: Only operations of this kind, e.g. ``"vm.start"``.
            page_size: Operations per request (the server's default when None).

        Returns:
            A paginator of operation handles.
        """
        states = state_list(state)
        vm_id = None if vm is None else vm_ref(vm)

        async def fetch(page_token: str | None) -> Page[AsyncOperation]:
            page = await self._api.list_operations(
                state=states, vm=vm_id, kind=kind, page_size=page_size, page_token=page_token
            )
            return Page([self._operation(m) for m in page.items], page.next_page_token)

        return AsyncPaginator(fetch)

    async def wait(
        self,
        operation: OperationRef,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        progress: bool | None = None,
    ) -> AsyncOperation:
        """Wait until an operation finishes; see :meth:`AsyncOperation.wait`.

        Args:
            operation: The operation's id or handle.
            timeout: Seconds to wait at most; None waits as long as it takes.
            poll_interval: A fixed pause between early answers.
            progress: Show a progress bar (None: only in a terminal or a notebook).

        Returns:
            The operation, succeeded.

        Raises:
            vmkit.errors.OperationFailedError: If it ended ``failed`` or ``cancelled``.
            vmkit.errors.WaitTimeoutError: If it is still running after ``timeout``.
        """
        if isinstance(operation, str):
            operation = self._operation(await self._api.get_operation(operation))
        return await operation.wait(timeout, poll_interval=poll_interval, progress=progress)

    async def cancel(
        self,
        operation: OperationRef,
        *,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncOperation:
        """Ask an operation to stop; see :meth:`AsyncOperation.cancel`.

        Args:
            operation: The operation's id or handle.
            idempotency_key: The ``Idempotency-Key`` to send.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The operation as the server answered.

        Raises:
            vmkit.errors.ConflictError: If it has already finished.
        """
        model = await self._api.cancel_operation(
            operation_ref(operation), idempotency_key=idempotency_key, **options
        )
        return self._operation(model)

    def logs(
        self, operation: OperationRef, *, page_size: int | None = None
    ) -> AsyncPaginator[LogEntryModel]:
        """An operation's log lines, oldest first, fetched lazily while iterating.

        Args:
            operation: The operation's id or handle.
            page_size: Lines per request (the server's default when None).

        Returns:
            A paginator of log entries (``seq``, ``time``, ``level``, ``message``).
        """
        return operation_logs(self._api, operation_ref(operation), page_size=page_size)
