"""The VM handle's guest access: exec, files, console, screenshot, disk growth."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, Self, Unpack, overload

from vmkit._async._vm_base import AsyncVMBase
from vmkit._core.guest import ConsoleOutput, ExecResult
from vmkit._core.media import Screenshot
from vmkit.types import ActionOptions, RequestOptions

if TYPE_CHECKING:
    from vmkit._async._operation import AsyncOperation

__all__ = ["AsyncVMGuestAccess"]


class AsyncVMGuestAccess(AsyncVMBase):
    """What a VM handle can do inside its running guest (see ``client.vms.exec`` & co)."""

    @overload
    async def exec(
        self,
        command: Sequence[str] | str,
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        check: bool = False,
        wait: Literal[True] = True,
        **options: Unpack[ActionOptions],
    ) -> ExecResult: ...
    @overload
    async def exec(
        self,
        command: Sequence[str] | str,
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        check: bool = False,
        wait: Literal[False],
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation: ...
    async def exec(
        self,
        command: Sequence[str] | str,
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        check: bool = False,
        wait: bool = True,
        **options: Unpack[ActionOptions],
    ) -> ExecResult | AsyncOperation:
        """Run a command in the guest: ``vm.exec(["uname", "-a"]).stdout``.

        The same as ``client.vms.exec(vm, ...)``; a non-zero exit code is data unless
        ``check=True``.

        Args:
            command: An argv list, or a shell string run with ``/bin/sh -c``.
            env: Extra environment variables.
            stdin: Text for standard input.
            timeout_seconds: Kill the command after this long (server default 60).
            check: Raise :class:`~vmkit.errors.CommandFailedError` on a non-zero exit.
            wait: False runs it as an operation and returns that at once.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``headers``,
                ``max_retries``.

        Returns:
            The result, or with ``wait=False`` the operation.

        Raises:
            vmkit.errors.ExecTimeoutError: If the command outlived its timeout.
            vmkit.errors.CommandFailedError: With ``check=True``, on a non-zero exit.
        """
        return await self._client.vms.exec(
            self.id,
            command,
            env=env,
            stdin=stdin,
            timeout_seconds=timeout_seconds,
            check=check,
            wait=wait,
            **options,
        )

    async def upload(
        self,
        path: str,
        data: bytes | str,
        *,
        mode: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Write a file into the guest (``client.vms.upload`` on this VM).

        Args:
            path: An absolute path in the guest.
            data: The content (text is written as UTF-8).
            mode: Permission bits, e.g. ``0o755``.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The number of bytes written.
        """
        return await self._client.vms.upload(self.id, path, data, mode=mode, **options)

    async def download(self, path: str, **options: Unpack[RequestOptions]) -> bytes:
        """Read a file from the guest (``client.vms.download`` on this VM).

        Args:
            path: An absolute path in the guest.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The file's bytes.
        """
        return await self._client.vms.download(self.id, path, **options)

    async def console(
        self,
        *,
        offset: int | None = None,
        max_bytes: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> ConsoleOutput:
        """Read the serial console output (``client.vms.console`` on this VM).

        Args:
            offset: The byte offset to read from (the oldest kept byte when None).
            max_bytes: The most bytes to read.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The output and the ``next_offset`` to read from next time.
        """
        return await self._client.vms.console(
            self.id, offset=offset, max_bytes=max_bytes, **options
        )

    async def send_console(self, data: str, **options: Unpack[RequestOptions]) -> int:
        """Type into the serial console (``client.vms.send_console`` on this VM).

        Args:
            data: The characters (``"\\n"`` is Enter).
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The number of bytes sent.
        """
        return await self._client.vms.send_console(self.id, data, **options)

    async def screenshot(self, **options: Unpack[RequestOptions]) -> Screenshot:
        """Capture the display; shows inline in a notebook, ``.save("shot.png")`` elsewhere.

        Args:
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The PNG image.
        """
        return await self._client.vms.screenshot(self.id, **options)

    @overload
    async def resize_disk(
        self, disk_gib: int, *, wait: Literal[False] = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation: ...
    @overload
    async def resize_disk(
        self, disk_gib: int, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> Self: ...
    async def resize_disk(
        self, disk_gib: int, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | Self:
        """Grow the disk (``client.vms.resize_disk`` on this VM).

        Args:
            disk_gib: The new size in GiB.
            wait: Wait for the operation and update this handle.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation, or with ``wait=True`` this handle once grown.
        """
        result = await self._client.vms.resize_disk(self.id, disk_gib, wait=wait, **options)
        return self._adopt(result)
