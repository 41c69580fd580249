"""The VM power actions and clone: each starts an operation (``202 Accepted``)."""

from __future__ import annotations

from typing import Literal, Unpack, overload

from vmkit._async._operation import AsyncOperation
from vmkit._async._vm import AsyncVM
from vmkit._async.resources._base import AsyncResource, VMRef, vm_ref
from vmkit._core.options import request_options
from vmkit.types import ActionOptions

__all__ = ["AsyncVMActions"]


class AsyncVMActions(AsyncResource):
    """The actions of ``client.vms`` that start an operation on a VM.

    Each returns the :class:`AsyncOperation` it started; with ``wait=True`` it waits for
    the operation (raising :class:`~vmkit.errors.OperationFailedError` if it fails) and
    returns the VM's handle, re-read.
    """

    @overload
    async def start(
        self, vm: VMRef, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def start(
        self, vm: VMRef, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> AsyncVM: ...
    @overload
    async def start(
        self, vm: VMRef, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def start(
        self, vm: VMRef, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM:
        """Power a VM on.

        From ``stopped``, ``suspended`` (resumes the saved RAM state) or ``error``.

        Args:
            vm: The VM's name, id or handle.
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match``, ``idempotency_key``, ``timeout`` (this request's
                deadline) and ``wait_timeout`` (how long ``wait=True`` waits); see
                :class:`vmkit.types.ActionOptions`.

        Returns:
            The operation, or with ``wait=True`` the VM once it succeeded.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        return await self._action("start", vm, wait=wait, options=options)

    @overload
    async def force_stop(
        self, vm: VMRef, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def force_stop(
        self, vm: VMRef, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> AsyncVM: ...
    @overload
    async def force_stop(
        self, vm: VMRef, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def force_stop(
        self, vm: VMRef, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM:
        """Pull the plug.

        From any powered or transitional state; pre-empts an operation driving the VM
        (that operation ends ``cancelled``).

        Args:
            vm: The VM's name, id or handle.
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match``, ``idempotency_key``, ``timeout`` (this request's
                deadline) and ``wait_timeout`` (how long ``wait=True`` waits); see
                :class:`vmkit.types.ActionOptions`.

        Returns:
            The operation, or with ``wait=True`` the VM once it succeeded.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        return await self._action("force_stop", vm, wait=wait, options=options)

    @overload
    async def restart(
        self, vm: VMRef, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def restart(
        self, vm: VMRef, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> AsyncVM: ...
    @overload
    async def restart(
        self, vm: VMRef, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def restart(
        self, vm: VMRef, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM:
        """Reboot a running VM.

        From ``running``; the VM stays ``running``.

        Args:
            vm: The VM's name, id or handle.
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match``, ``idempotency_key``, ``timeout`` (this request's
                deadline) and ``wait_timeout`` (how long ``wait=True`` waits); see
                :class:`vmkit.types.ActionOptions`.

        Returns:
            The operation, or with ``wait=True`` the VM once it succeeded.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        return await self._action("restart", vm, wait=wait, options=options)

    @overload
    async def pause(
        self, vm: VMRef, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def pause(
        self, vm: VMRef, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> AsyncVM: ...
    @overload
    async def pause(
        self, vm: VMRef, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def pause(
        self, vm: VMRef, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM:
        """Freeze a running VM's vCPUs (RAM stays in memory).

        From ``running``; ends ``paused``.

        Args:
            vm: The VM's name, id or handle.
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match``, ``idempotency_key``, ``timeout`` (this request's
                deadline) and ``wait_timeout`` (how long ``wait=True`` waits); see
                :class:`vmkit.types.ActionOptions`.

        Returns:
            The operation, or with ``wait=True`` the VM once it succeeded.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        return await self._action("pause", vm, wait=wait, options=options)

    @overload
    async def resume(
        self, vm: VMRef, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def resume(
        self, vm: VMRef, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> AsyncVM: ...
    @overload
    async def resume(
        self, vm: VMRef, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def resume(
        self, vm: VMRef, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM:
        """Continue a paused or suspended VM.

        From ``paused`` or ``suspended``; ends ``running``.

        Args:
            vm: The VM's name, id or handle.
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match``, ``idempotency_key``, ``timeout`` (this request's
                deadline) and ``wait_timeout`` (how long ``wait=True`` waits); see
                :class:`vmkit.types.ActionOptions`.

        Returns:
            The operation, or with ``wait=True`` the VM once it succeeded.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        return await self._action("resume", vm, wait=wait, options=options)

    @overload
    async def suspend(
        self, vm: VMRef, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def suspend(
        self, vm: VMRef, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> AsyncVM: ...
    @overload
    async def suspend(
        self, vm: VMRef, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def suspend(
        self, vm: VMRef, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM:
        """Save a running or paused VM's RAM to disk and stop its process.

        From ``running`` or ``paused``; ends ``suspended``. On failure the VM keeps its
        state.

        Args:
            vm: The VM's name, id or handle.
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match``, ``idempotency_key``, ``timeout`` (this request's
                deadline) and ``wait_timeout`` (how long ``wait=True`` waits); see
                :class:`vmkit.types.ActionOptions`.

        Returns:
            The operation, or with ``wait=True`` the VM once it succeeded.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        return await self._action("suspend", vm, wait=wait, options=options)

    @overload
    async def stop(
        self,
        vm: VMRef,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: Literal[False] = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation: ...
    @overload
    async def stop(
        self,
        vm: VMRef,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: Literal[True],
        **options: Unpack[ActionOptions],
    ) -> AsyncVM: ...
    @overload
    async def stop(
        self,
        vm: VMRef,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: bool,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | AsyncVM: ...
    async def stop(
        self,
        vm: VMRef,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: bool = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | AsyncVM:
        """Shut a VM down gracefully.

        From ``running``. The guest is asked to power off; after
        ``timeout_seconds`` the VM is forced off when ``force_after_timeout`` is true,
        otherwise the operation fails and the VM keeps running.

        Args:
            vm: The VM's name, id or handle.
            timeout_seconds: How long the guest gets (the server's default is 60).
            force_after_timeout: Force the VM off after the timeout (default true).
            wait: Wait for the operation and return the VM's handle, updated.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation, or with ``wait=True`` the VM once it succeeded.

        Raises:
            vmkit.errors.VMStateError: If the VM's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        ref = vm_ref(vm)
        model = await self._api.stop_vm(
            ref,
            timeout_seconds=timeout_seconds,
            force_after_timeout=force_after_timeout,
            idempotency_key=options.get("idempotency_key"),
            if_match=options.get("if_match"),
            **request_options(options),
        )
        return await self._finish(model, ref, wait=wait, options=options)

    @overload
    async def clone(
        self,
        vm: VMRef,
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
        vm: VMRef,
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
        vm: VMRef,
        name: str,
        *,
        labels: dict[str, str] | None = None,
        start: bool = False,
        wait: bool,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | AsyncVM: ...
    async def clone(
        self,
        vm: VMRef,
        name: str,
        *,
        labels: dict[str, str] | None = None,
        start: bool = False,
        wait: bool = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | AsyncVM:
        """Copy a VM into a new one.

        From ``stopped``, ``paused`` or ``suspended``. The clone shares nothing mutable with
        its source and starts ``stopped`` (or boots, with ``start=True``).

        Args:
            vm: The source VM's name, id or handle.
            name: The clone's name.
            labels: The clone's labels.
            start: Boot the clone once made.
            wait: Wait for the operation and return the clone's handle.
            **options: ``if_match`` (of the source), ``idempotency_key``, ``timeout``,
                ``wait_timeout``.

        Returns:
            The operation (its ``result`` holds ``vm_id``), or with ``wait=True`` the clone.

        Raises:
            vmkit.errors.VMStateError: If the source's state does not allow it (409).
            vmkit.errors.OperationFailedError: With ``wait=True``, if the operation failed.
        """
        body: dict[str, object] = {"name": name, "start": start}
        if labels is not None:
            body["labels"] = dict(labels)
        model = await self._api.clone_vm(
            vm_ref(vm),
            body,
            idempotency_key=options.get("idempotency_key"),
            if_match=options.get("if_match"),
            **request_options(options),
        )
        return await self._finish(model, name, wait=wait, options=options)

    async def _action(
        self, action: str, vm: VMRef, *, wait: bool, options: ActionOptions
    ) -> AsyncOperation | AsyncVM:
        ref = vm_ref(vm)
        model = await self._api.vm_action(
            action,
            ref,
            idempotency_key=options.get("idempotency_key"),
            if_match=options.get("if_match"),
            **request_options(options),
        )
        return await self._finish(model, ref, wait=wait, options=options)
