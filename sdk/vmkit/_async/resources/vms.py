"""``client.vms``: create, read, list, change and delete VMs (actions in ``_actions``)."""

from __future__ import annotations

from typing import Any, Literal, Unpack, overload

from vmkit._async._api import VMModel
from vmkit._async._operation import AsyncOperation
from vmkit._async._pagination import AsyncPaginator
from vmkit._async._vm import AsyncVM
from vmkit._async.resources._actions import AsyncVMActions
from vmkit._async.resources._base import VMRef, label_list, state_list, vm_ref
from vmkit._core.sentinels import NOT_GIVEN, NotGiven
from vmkit.types import ActionOptions, CallOptions, LabelFilter, Page, StateFilter, Timeout

__all__ = ["AsyncVMs"]


class AsyncVMs(AsyncVMActions):
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
            timeout=options.get("timeout", NOT_GIVEN),
        )
        ref = model.target.id or name
        return await self._finish(model, ref, wait=wait, wait_timeout=options.get("wait_timeout"))

    async def get(self, vm: VMRef, *, timeout: Timeout = NOT_GIVEN) -> AsyncVM:
        """Get a VM.

        Args:
            vm: The VM's name, id or handle.
            timeout: This request's deadline in seconds (omitted: the client's default).

        Returns:
            A fresh handle.

        Raises:
            vmkit.errors.NotFoundError: If there is no such VM.
        """
        return self._vm(await self._api.get_vm(vm_ref(vm), timeout=timeout))

    async def update(
        self,
        vm: VMRef,
        *,
        cpus: int | None = None,
        memory_mib: int | None = None,
        labels: dict[str, str] | None = None,
        ttl_seconds: int | NotGiven | None = NOT_GIVEN,
        if_match: str | None = None,
        timeout: Timeout = NOT_GIVEN,
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
            timeout: This request's deadline in seconds.

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
        model = await self._api.update_vm(vm_ref(vm), body, if_match=if_match, timeout=timeout)
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
            timeout=options.get("timeout", NOT_GIVEN),
        )
        operation = self._operation(model)
        if wait:
            await operation.wait(options.get("wait_timeout"))
        return operation

    async def rename(
        self,
        vm: VMRef,
        name: str,
        *,
        if_match: str | None = None,
        idempotency_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> AsyncVM:
        """Give a VM a new name; its id never changes.

        Allowed in any state that is not transitional. Handles holding the VM by id keep
        working.

        Args:
            vm: The VM's current name, id or handle.
            name: The new name.
            if_match: An ETag; the server answers 412 if the VM changed since.
            idempotency_key: The ``Idempotency-Key`` to send.
            timeout: This request's deadline in seconds.

        Returns:
            The VM, renamed.

        Raises:
            vmkit.errors.ConflictError: If the name is taken or the VM is busy (409).
        """
        model = await self._api.rename_vm(
            vm_ref(vm), name, idempotency_key=idempotency_key, if_match=if_match, timeout=timeout
        )
        return self._vm(model)

    def _vm(self, model: VMModel) -> AsyncVM:
        return AsyncVM(self._client, model)
