"""The VM handle: the power actions on top of guest access and :class:`AsyncVMBase`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Self, Unpack, overload

from vmkit._async._vm_guest import AsyncVMGuestAccess
from vmkit.types import ActionOptions

if TYPE_CHECKING:
    from vmkit._async._operation import AsyncOperation

__all__ = ["AsyncVM"]


class AsyncVM(AsyncVMGuestAccess):
    """A handle on one VM: its fields as last fetched, and its lifecycle.

    Handles come from ``client.vms.get()``, ``.list()``, ``.create(wait=True)`` and the
    like. Attribute access never does I/O; :meth:`refresh` re-reads the VM. Two handles
    are equal when they name the same VM (same ``id``). Each power action returns the
    :class:`AsyncOperation` it started, or with ``wait=True`` this handle, updated.

    Args:
        client: The client to act through.
        model: The VM as the server sent it.
    """

    @overload
    async def start(
        self, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def start(self, *, wait: Literal[True], **options: Unpack[ActionOptions]) -> Self: ...
    @overload
    async def start(
        self, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self: ...
    async def start(
        self, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self:
        """Power a VM on.

        The same as ``client.vms.start(vm, ...)``.

        Args:
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``
                (see :class:`vmkit.types.ActionOptions`).

        Returns:
            The operation, or with ``wait=True`` this handle once it succeeded.
        """
        return self._adopt(await self._client.vms.start(self.id, wait=wait, **options))

    @overload
    async def force_stop(
        self, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def force_stop(
        self, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> Self: ...
    @overload
    async def force_stop(
        self, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self: ...
    async def force_stop(
        self, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self:
        """Pull the plug.

        The same as ``client.vms.force_stop(vm, ...)``.

        Args:
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``
                (see :class:`vmkit.types.ActionOptions`).

        Returns:
            The operation, or with ``wait=True`` this handle once it succeeded.
        """
        return self._adopt(await self._client.vms.force_stop(self.id, wait=wait, **options))

    @overload
    async def restart(
        self, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def restart(self, *, wait: Literal[True], **options: Unpack[ActionOptions]) -> Self: ...
    @overload
    async def restart(
        self, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self: ...
    async def restart(
        self, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self:
        """Reboot a running VM.

        The same as ``client.vms.restart(vm, ...)``.

        Args:
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``
                (see :class:`vmkit.types.ActionOptions`).

        Returns:
            The operation, or with ``wait=True`` this handle once it succeeded.
        """
        return self._adopt(await self._client.vms.restart(self.id, wait=wait, **options))

    @overload
    async def pause(
        self, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def pause(self, *, wait: Literal[True], **options: Unpack[ActionOptions]) -> Self: ...
    @overload
    async def pause(
        self, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self: ...
    async def pause(
        self, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self:
        """Freeze a running VM's vCPUs (RAM stays in memory).

        The same as ``client.vms.pause(vm, ...)``.

        Args:
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``
                (see :class:`vmkit.types.ActionOptions`).

        Returns:
            The operation, or with ``wait=True`` this handle once it succeeded.
        """
        return self._adopt(await self._client.vms.pause(self.id, wait=wait, **options))

    @overload
    async def resume(
        self, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def resume(self, *, wait: Literal[True], **options: Unpack[ActionOptions]) -> Self: ...
    @overload
    async def resume(
        self, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self: ...
    async def resume(
        self, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self:
        """Continue a paused or suspended VM.

        The same as ``client.vms.resume(vm, ...)``.

        Args:
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``
                (see :class:`vmkit.types.ActionOptions`).

        Returns:
            The operation, or with ``wait=True`` this handle once it succeeded.
        """
        return self._adopt(await self._client.vms.resume(self.id, wait=wait, **options))

    @overload
    async def suspend(
        self, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def suspend(self, *, wait: Literal[True], **options: Unpack[ActionOptions]) -> Self: ...
    @overload
    async def suspend(
        self, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self: ...
    async def suspend(
        self, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self:
        """Save a running or paused VM's RAM to disk and stop its process.

        The same as ``client.vms.suspend(vm, ...)``.

        Args:
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``
                (see :class:`vmkit.types.ActionOptions`).

        Returns:
            The operation, or with ``wait=True`` this handle once it succeeded.
        """
        return self._adopt(await self._client.vms.suspend(self.id, wait=wait, **options))

    @overload
    async def stop(
        self,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: Literal[False] = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation: ...
    @overload
    async def stop(
        self,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: Literal[True],
        **options: Unpack[ActionOptions],
    ) -> Self: ...
    @overload
    async def stop(
        self,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: bool,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | Self: ...
    async def stop(
        self,
        *,
        timeout_seconds: float | None = None,
        force_after_timeout: bool | None = None,
        wait: bool = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation | Self:
        """Shut the VM down gracefully (``client.vms.stop`` on this VM).

        Args:
            timeout_seconds: How long the guest gets to power off (server default 60).
            force_after_timeout: Force the VM off when the guest has not stopped in time
                (server default true); otherwise the operation fails.
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation, or with ``wait=True`` this handle once it succeeded.
        """
        result = await self._client.vms.stop(
            self.id,
            timeout_seconds=timeout_seconds,
            force_after_timeout=force_after_timeout,
            wait=wait,
            **options,
        )
        return self._adopt(result)
