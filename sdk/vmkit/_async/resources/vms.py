"""``client.vms``: create, read, list, change and delete VMs (actions in ``_actions``)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal, Unpack, overload

from vmkit._async._api import VMModel
from vmkit._async._operation import AsyncOperation
from vmkit._async._pagination import AsyncPaginator
from vmkit._async._vm import AsyncVM
from vmkit._async.resources._actions import AsyncVMActions
from vmkit._async.resources._base import VMRef, label_list, state_list, vm_ref
from vmkit._async.resources._disposal import dispose
from vmkit._async.resources._guest import AsyncVMGuest
from vmkit._core.options import request_options
from vmkit._core.sentinels import NOT_GIVEN, NotGiven
from vmkit.types import ActionOptions, CallOptions, LabelFilter, Page, RequestOptions, StateFilter

__all__ = ["AsyncVMs"]

logger = logging.getLogger("vmkit")


class AsyncVMs(AsyncVMActions, AsyncVMGuest):
    """The VMs of the server: ``client.vms``.

    A VM is addressed by its unique name, its immutable id, or a handle. Calls that start
    work return an :class:`AsyncOperation`; pass ``wait=True`` to get the VM back once the
    work is done.
    """

    def list(
        self,
        *,
        state: StateFilter | None = None,
        label: LabelFilter | None = None,
        page_size: int | None = None,
    ) -> AsyncPaginator[AsyncVM]:
        """List VMs, oldest first; pages are fetched lazily while iterating.

        Args:
            state: Only VMs in this state or one of these states.
            label: Only VMs carrying every one of these labels (``"team=qa"``, a list of
                such strings, or a dict).
            page_size: VMs per request (the server's default, 50, when None).

        Returns:
            A paginator: ``async for vm in client.vms.list()``, or ``.pages()``.
        """
        states, labels = state_list(state), label_list(label)

        async def fetch(page_token: str | None) -> Page[AsyncVM]:
            page = await self._api.list_vms(
                state=states, label=labels, page_size=page_size, page_token=page_token
            )
            return Page([AsyncVM(self._client, m) for m in page.items], page.next_page_token)

        return AsyncPaginator(fetch)

    @overload
    async def create(
        self,
        name: str,
        *,
        image: str | None = None,
        cpus: int | None = None,
        memory_mib: int | None = None,
        disk_gib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | None = None,
        start: bool = False,
        wait: Literal[False] = False,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation: ...
    @overload
    async def create(
        self,
        name: str,
        *,
        image: str | None = None,
        cpus: int | None = None,
        memory_mib: int | None = None,
        disk_gib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | None = None,
        start: bool = False,
        wait: Literal[True],
        **options: Unpack[CallOptions],
    ) -> AsyncVM: ...
    @overload
    async def create(
        self,
        name: str,
        *,
        image: str | None = None,
        cpus: int | None = None,
        memory_mib: int | None = None,
        disk_gib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | None = None,
        start: bool = False,
        wait: bool,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation | AsyncVM: ...
    async def create(
        self,
        name: str,
        *,
        image: str | None = None,
        cpus: int | None = None,
        memory_mib: int | None = None,
        disk_gib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | None = None,
        start: bool = False,
        wait: bool = False,
        **options: Unpack[CallOptions],
    ) -> AsyncOperation | AsyncVM:
        """Create a VM.

        The VM exists at once (state ``creating``) and is provisioned in the background;
        the operation ends with it ``stopped``, or ``running`` with ``start=True``.
        Arguments left as None take the server's defaults.

        Args:
            name: The unique name (lowercase letters, digits, inner dashes; <= 63 chars).
            image: The image to create it from.
            cpus: Virtual CPUs.
            memory_mib: Memory in MiB.
            disk_gib: Disk size in GiB.
            labels: ``key: value`` tags.
            ttl_seconds: Delete the VM this many seconds after creation.
            start: Boot the VM once created.
            wait: Wait for the operation and return the VM's handle.
            **options: ``idempotency_key``, ``timeout`` (this request's deadline) and
                ``wait_timeout`` (how long ``wait=True`` waits).

        Returns:
            The operation, or with ``wait=True`` the VM once created.

        Raises:
            vmkit.errors.ValidationError: If a value is invalid (422).
            vmkit.errors.ConflictError: If the name is taken (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if provisioning failed.
        """
        body: dict[str, Any] = {"name": name, "start": start}
        fields: dict[str, Any] = {"image": image, "cpus": cpus, "memory_mib": memory_mib}
        fields.update(disk_gib=disk_gib, labels=labels, ttl_seconds=ttl_seconds)
        body.update({key: value for key, value in fields.items() if value is not None})
        model = await self._api.create_vm(
            body,
            idempotency_key=options.get("idempotency_key"),
            **request_options(options),
        )
        ref = model.target.id or name
        return await self._finish(model, ref, wait=wait, options=options)

    @asynccontextmanager
    async def ephemeral(
        self,
        name: str | None = None,
        *,
        image: str | None = None,
        cpus: int | None = None,
        memory_mib: int | None = None,
        disk_gib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | None = None,
        start: bool = True,
        wait_timeout: float | None = None,
        delete_timeout: float | None = 300.0,
        progress: bool | None = None,
    ) -> AsyncIterator[AsyncVM]:
        """A VM that lives as long as a ``with`` block: created first, always deleted after.

        The VM is created (and booted, unless ``start=False``) before the block runs, and
        deleted when it ends, also when it ends with an exception or the VM failed to
        provision. The VM is powered off first if it is running; one that is already gone
        counts as deleted. Give ``ttl_seconds`` as a safety net for a process that is
        killed before it can clean up. With ``vmkit.Client``::

            with client.vms.ephemeral(image="vmkit/test-guest") as vm:
                print(vm.name, vm.state)

        and the same with ``async with`` on ``vmkit.AsyncClient``.

        Args:
            name: The VM's name; ``ephemeral-<random>`` when None.
            image: The image to create it from.
            cpus: Virtual CPUs.
            memory_mib: Memory in MiB.
            disk_gib: Disk size in GiB.
            labels: ``key: value`` tags.
            ttl_seconds: Let the server delete the VM after this many seconds anyway.
            start: Boot the VM before the block runs.
            wait_timeout: How long to wait for the VM to be created (None: as long as it
                takes).
            delete_timeout: How long the deletion on exit may take.
            progress: Show a progress bar while waiting (None: in a terminal or notebook).

        Yields:
            The VM's handle, ``running`` (or ``stopped`` with ``start=False``).

        Raises:
            vmkit.errors.OperationFailedError: If the VM could not be created (it is
                deleted all the same).
            vmkit.errors.VmkitError: If the VM could not be deleted after a block that
                ended without an exception (after one that raised, the deletion failure
                is logged and the block's exception propagates).
        """
        operation = await self.create(
            name or f"ephemeral-{secrets.token_hex(4)}",
            image=image,
            cpus=cpus,
            memory_mib=memory_mib,
            disk_gib=disk_gib,
            labels=labels,
            ttl_seconds=ttl_seconds,
            start=start,
        )
        vm_id = operation.target["id"]
        try:
            await operation.wait(wait_timeout, progress=progress)
            yield await self.get(vm_id)
        except BaseException:
            try:
                await dispose(self, vm_id, timeout=delete_timeout)
            except Exception:
                logger.warning("could not delete ephemeral VM %s", vm_id, exc_info=True)
            raise
        await dispose(self, vm_id, timeout=delete_timeout)

    async def get(self, vm: VMRef, **options: Unpack[RequestOptions]) -> AsyncVM:
        """Get a VM.

        Args:
            vm: The VM's name, id or handle.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            A fresh handle.

        Raises:
            vmkit.errors.NotFoundError: If there is no such VM.
        """
        return self._vm(await self._api.get_vm(vm_ref(vm), **options))

    async def update(
        self,
        vm: VMRef,
        *,
        cpus: int | None = None,
        memory_mib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | NotGiven | None = NOT_GIVEN,
        if_match: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncVM:
        """Change a VM's settings; arguments left out keep their values.

        ``cpus`` and ``memory_mib`` can change only while the VM is stopped; nothing can
        change while it is in a transitional state.

        Args:
            vm: The VM's name, id or handle.
            cpus: New vCPU count.
            memory_mib: New memory size.
            labels: New labels (they replace the old ones as a whole).
            ttl_seconds: New lifetime from creation; None removes the expiry.
            if_match: An ETag; the server answers 412 if the VM changed since.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The VM, updated.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow the change.
            vmkit.errors.PreconditionFailedError: If ``if_match`` no longer matches.
        """
        body: dict[str, Any] = {}
        for key, value in (("cpus", cpus), ("memory_mib", memory_mib), ("labels", labels)):
            if value is not None:
                body[key] = value
        if not isinstance(ttl_seconds, NotGiven):
            body["ttl_seconds"] = ttl_seconds
        model = await self._api.update_vm(vm_ref(vm), body, if_match=if_match, **options)
        return self._vm(model)

    async def delete(
        self,
        vm: VMRef,
        *,
        force: bool = False,
        wait: bool = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation:
        """Delete a VM and its snapshots.

        Allowed from ``stopped``, ``suspended`` and ``error``; from ``running`` or
        ``paused`` only with ``force=True`` (the VM is powered off first).

        Args:
            vm: The VM's name, id or handle.
            force: Power the VM off first if it is running or paused.
            wait: Wait until the VM is gone.
            **options: ``if_match``, ``timeout``, ``wait_timeout`` (an
                ``idempotency_key`` is ignored: DELETE is idempotent).

        Returns:
            The operation (succeeded, with ``wait=True``).

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the deletion failed.
        """
        model = await self._api.delete_vm(
            vm_ref(vm),
            force=force,
            if_match=options.get("if_match"),
            **request_options(options),
        )
        operation = self._operation(model)
        if wait:
            await operation.wait(options.get("wait_timeout"), progress=options.get("progress"))
        return operation

    async def rename(
        self,
        vm: VMRef,
        name: str,
        *,
        if_match: str | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncVM:
        """Give a VM a new name; its id never changes.

        Allowed in any state that is not transitional. Handles holding the VM by id keep
        working.

        Args:
            vm: The VM's current name, id or handle.
            name: The new name.
            if_match: An ETag; the server answers 412 if the VM changed since.
            idempotency_key: The ``Idempotency-Key`` to send.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The VM, renamed.

        Raises:
            vmkit.errors.ConflictError: If the name is taken or the VM is busy (409).
        """
        model = await self._api.rename_vm(
            vm_ref(vm), name, idempotency_key=idempotency_key, if_match=if_match, **options
        )
        return self._vm(model)

    def _vm(self, model: VMModel) -> AsyncVM:
        return AsyncVM(self._client, model)
