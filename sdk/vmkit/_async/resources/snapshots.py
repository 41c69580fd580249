"""``client.snapshots`` and ``vm.snapshots``: point-in-time copies of a VM."""

from __future__ import annotations

from typing import Literal, Unpack, overload

from vmkit._async._api import SnapshotModel
from vmkit._async._operation import AsyncOperation
from vmkit._async._pagination import AsyncPaginator
from vmkit._async._vm import AsyncVM
from vmkit._async.resources._base import AsyncResource, VMRef, vm_ref
from vmkit._core.options import request_options
from vmkit.types import ActionOptions, CallOptions, Page, RequestOptions

__all__ = ["AsyncSnapshots", "AsyncVMSnapshots"]

#: A snapshot given by name, by id, or as the object ``get`` returned.
SnapshotRef = str | SnapshotModel


def snapshot_ref(snapshot: SnapshotRef) -> str:
    """The path segment for a snapshot: its id, or the given name or id."""
    return snapshot if isinstance(snapshot, str) else snapshot.id


class AsyncSnapshots(AsyncResource):
    """Snapshots of VMs: ``client.snapshots``; every call names the VM first."""

    def of(self, vm: VMRef) -> AsyncVMSnapshots:
        """The snapshots of one VM (what ``vm.snapshots`` returns).

        Args:
            vm: The VM's name, id or handle.

        Returns:
            A view whose calls need only the snapshot.
        """
        return AsyncVMSnapshots(self, vm_ref(vm))

    def list(self, vm: VMRef, *, page_size: int | None = None) -> AsyncPaginator[SnapshotModel]:
        """List a VM's snapshots, oldest first, fetched lazily while iterating.

        Args:
            vm: The VM's name, id or handle.
            page_size: Snapshots per request (the server's default when None).

        Returns:
            A paginator of snapshots.
        """
        ref = vm_ref(vm)

        async def fetch(page_token: str | None) -> Page[SnapshotModel]:
            return await self._api.list_snapshots(ref, page_size=page_size, page_token=page_token)

        return AsyncPaginator(fetch)

    @overload
    async def create(
        self,
        vm: VMRef,
        name: str,
        *,
        description: str | None = None,
        wait: Literal[False] = False,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation: ...
    @overload
    async def create(
        self,
        vm: VMRef,
        name: str,
        *,
        description: str | None = None,
        wait: Literal[True],
        **options: Unpack[CallOptions],
    ) -> SnapshotModel: ...
    @overload
    async def create(
        self,
        vm: VMRef,
        name: str,
        *,
        description: str | None = None,
        wait: bool,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation | SnapshotModel: ...
    async def create(
        self,
        vm: VMRef,
        name: str,
        *,
        description: str | None = None,
        wait: bool = False,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation | SnapshotModel:
        """Snapshot a VM.

        From ``stopped``, ``running`` or ``paused``. Taken while running or paused (and
        supported by the backend), the snapshot includes memory.

        Args:
            vm: The VM's name, id or handle.
            name: The snapshot's name, unique for the VM.
            description: Free text.
            wait: Wait for the operation and return the snapshot.
            **options: ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation (its ``result`` holds ``snapshot_id``), or with ``wait=True`` the
            snapshot.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        ref = vm_ref(vm)
        model = await self._api.create_snapshot(
            ref,
            name,
            description=description,
            idempotency_key=options.get("idempotency_key"),
            **request_options(options),
        )
        operation = self._operation(model)
        if not wait:
            return operation
        await operation.wait(options.get("wait_timeout"), progress=options.get("progress"))
        created = (operation.result or {}).get("snapshot_id")
        return await self.get(ref, created if isinstance(created, str) else name)

    async def get(
        self, vm: VMRef, snapshot: SnapshotRef, **options: Unpack[RequestOptions]
    ) -> SnapshotModel:
        """Get a snapshot.

        Args:
            vm: The VM's name, id or handle.
            snapshot: The snapshot's name or id.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The snapshot.

        Raises:
            vmkit.errors.NotFoundError: If there is no such VM or snapshot.
        """
        return await self._api.get_snapshot(vm_ref(vm), snapshot_ref(snapshot), **options)

    async def delete(
        self,
        vm: VMRef,
        snapshot: SnapshotRef,
        *,
        wait: bool = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation:
        """Delete a snapshot.

        Args:
            vm: The VM's name, id or handle.
            snapshot: The snapshot's name or id.
            wait: Wait until it is gone.
            **options: ``if_match``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation (succeeded, with ``wait=True``).

        Raises:
            vmkit.errors.NotFoundError: If there is no such VM or snapshot.
        """
        model = await self._api.delete_snapshot(
            vm_ref(vm),
            snapshot_ref(snapshot),
            if_match=options.get("if_match"),
            **request_options(options),
        )
        operation = self._operation(model)
        if wait:
            await operation.wait(options.get("wait_timeout"), progress=options.get("progress"))
        return operation

    @overload
    async def restore(
        self,
        vm: VMRef,
        snapshot: SnapshotRef,
        *,
        wait: Literal[False] = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation: ...
    @overload
    async def restore(
        self,
        vm: VMRef,
        snapshot: SnapshotRef,
        *,
        wait: Literal[True],
        **options: Unpack[ActionOptions],
    ) -> AsyncVM: ...
    @overload
    async def restore(
        self, vm: VMRef, snapshot: SnapshotRef, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def restore(
        self,
        vm: VMRef,
        snapshot: SnapshotRef,
        *,
        wait: bool = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | AsyncVM:
        """Bring a VM back to a snapshot.

        From ``stopped``, ``running``, ``paused``, ``suspended`` or ``error``. Ends
        ``stopped``, or ``running`` for a snapshot that includes memory.

        Args:
            vm: The VM's name, id or handle.
            snapshot: The snapshot's name or id.
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match`` (of the VM), ``idempotency_key``, ``timeout``,
                ``wait_timeout``.

        Returns:
            The operation, or with ``wait=True`` the VM once restored.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        ref = vm_ref(vm)
        model = await self._api.restore_snapshot(
            ref,
            snapshot_ref(snapshot),
            idempotency_key=options.get("idempotency_key"),
            if_match=options.get("if_match"),
            **request_options(options),
        )
        return await self._finish(model, ref, wait=wait, options=options)


class AsyncVMSnapshots:
    """The snapshots of one VM: ``vm.snapshots`` or ``client.snapshots.of(vm)``.

    Args:
        snapshots: The client's snapshots resource.
        vm: The VM's name or id.
    """

    def __init__(self, snapshots: AsyncSnapshots, vm: str) -> None:
        self._snapshots = snapshots
        self._vm = vm

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._vm}>"

    def list(self, *, page_size: int | None = None) -> AsyncPaginator[SnapshotModel]:
        """List this VM's snapshots; see :meth:`AsyncSnapshots.list`.

        Args:
            page_size: Snapshots per request.

        Returns:
            A paginator of snapshots.
        """
        return self._snapshots.list(self._vm, page_size=page_size)

    async def get(self, snapshot: SnapshotRef, **options: Unpack[RequestOptions]) -> SnapshotModel:
        """Get one of this VM's snapshots; see :meth:`AsyncSnapshots.get`.

        Args:
            snapshot: The snapshot's name or id.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The snapshot.
        """
        return await self._snapshots.get(self._vm, snapshot, **options)

    async def delete(
        self, snapshot: SnapshotRef, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation:
        """Delete one of this VM's snapshots; see :meth:`AsyncSnapshots.delete`.

        Args:
            snapshot: The snapshot's name or id.
            wait: Wait until it is gone.
            **options: ``if_match``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation.
        """
        return await self._snapshots.delete(self._vm, snapshot, wait=wait, **options)
