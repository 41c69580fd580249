"""Inside a running VM: ``client.vms.exec``, files, console, screenshot, disk growth."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Unpack, overload

from vmkit._async._api import OperationModel
from vmkit._async._operation import AsyncOperation
from vmkit._async._vm import AsyncVM
from vmkit._async.resources._base import AsyncResource, VMRef, vm_ref
from vmkit._core.guest import ConsoleOutput, ExecResult
from vmkit._core.media import Screenshot
from vmkit._core.options import request_options
from vmkit.types import ActionOptions, RequestOptions

__all__ = ["EXEC_GRACE", "AsyncVMGuest"]

#: How much longer than the command's own timeout the HTTP request may take.
EXEC_GRACE = 30.0
_DEFAULT_EXEC_TIMEOUT = 60.0


class AsyncVMGuest(AsyncResource):
    """The guest-access calls of ``client.vms`` (the VM must be ``running``)."""

    @overload
    async def exec(
        self,
        vm: VMRef,
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
        vm: VMRef,
        command: Sequence[str] | str,
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        check: bool = False,
        wait: Literal[False],
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation: ...
    @overload
    async def exec(
        self,
        vm: VMRef,
        command: Sequence[str] | str,
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        check: bool = False,
        wait: bool,
        **options: Unpack[ActionOptions],
    ) -> ExecResult | AsyncOperation: ...
    async def exec(
        self,
        vm: VMRef,
        command: Sequence[str] | str,
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        timeout_seconds: float | None = None,
        check: bool = False,
        wait: bool = True,
        **options: Unpack[ActionOptions],
    ) -> ExecResult | AsyncOperation:
        """Run a command in the guest through its agent (no SSH needed).

        A non-zero exit code is part of the result, not an error, unless ``check=True``::

            result = client.vms.exec("web-1", ["uname", "-a"])
            print(result.exit_code, result.stdout)

        Args:
            vm: The VM's name, id or handle.
            command: An argv list (run as is) or a shell string (run with ``/bin/sh -c``).
            env: Extra environment variables.
            stdin: Text for the command's standard input.
            timeout_seconds: Kill the command after this long (server default 60).
            check: Raise :class:`~vmkit.errors.CommandFailedError` on a non-zero exit.
            wait: False runs the command as an operation and returns it at once (its
                ``result`` is the ``ExecResult`` JSON).
            **options: ``if_match``, ``idempotency_key``, ``timeout`` (by default the
                command's timeout plus 30 s), ``headers``, ``max_retries``.

        Returns:
            The result, or with ``wait=False`` the operation.

        Raises:
            vmkit.errors.ExecTimeoutError: If the command outlived ``timeout_seconds``.
            vmkit.errors.VMStateError: If the VM is not running.
            vmkit.errors.GuestNotReadyError: If the guest's agent does not answer yet.
            vmkit.errors.CommandFailedError: With ``check=True``, on a non-zero exit code.
        """
        body: dict[str, Any] = {"command": command if isinstance(command, str) else list(command)}
        if env:
            body["env"] = dict(env)
        if stdin is not None:
            body["stdin"] = stdin
        if timeout_seconds is not None:
            body["timeout_seconds"] = timeout_seconds
        if not wait:
            body["wait"] = False
        request = request_options(options)
        if "timeout" not in request:
            request["timeout"] = (timeout_seconds or _DEFAULT_EXEC_TIMEOUT) + EXEC_GRACE
        model = await self._api.exec_vm(
            vm_ref(vm),
            body,
            idempotency_key=options.get("idempotency_key"),
            if_match=options.get("if_match"),
            **request,
        )
        if isinstance(model, OperationModel):
            return self._operation(model)
        result = ExecResult.from_dict(model.to_dict())
        return result.check() if check else result

    async def upload(
        self,
        vm: VMRef,
        path: str,
        data: bytes | str,
        *,
        mode: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Write a file into the guest, replacing any file at ``path``.

        Args:
            vm: The VM's name, id or handle.
            path: An absolute path in the guest.
            data: The content (text is written as UTF-8).
            mode: Permission bits, e.g. ``0o755``.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The number of bytes written.

        Raises:
            vmkit.errors.ValidationError: If the path is not absolute or has ``..``.
            vmkit.errors.PayloadTooLargeError: If the file passes the server's limit.
        """
        raw = data.encode() if isinstance(data, str) else bytes(data)
        written = await self._api.upload_vm_file(
            vm_ref(vm), path, raw, mode=None if mode is None else f"{mode:o}", **options
        )
        return written.size_bytes

    async def download(self, vm: VMRef, path: str, **options: Unpack[RequestOptions]) -> bytes:
        """Read a file from the guest.

        Args:
            vm: The VM's name, id or handle.
            path: An absolute path in the guest.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The file's bytes.

        Raises:
            vmkit.errors.GuestFileNotFoundError: If there is no such file.
        """
        return await self._api.download_vm_file(vm_ref(vm), path, **options)

    async def console(
        self,
        vm: VMRef,
        *,
        offset: int | None = None,
        max_bytes: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> ConsoleOutput:
        """Read the serial console output the server kept (in any state).

        Pass the result's ``next_offset`` as ``offset`` to read only what is new.

        Args:
            vm: The VM's name, id or handle.
            offset: The byte offset to read from (the oldest kept byte when None).
            max_bytes: The most bytes to read (server default 64 KiB).
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The output and its offsets.
        """
        model = await self._api.get_vm_console(
            vm_ref(vm), offset=offset, max_bytes=max_bytes, **options
        )
        return ConsoleOutput(model.data, model.offset, model.next_offset, model.start_offset)

    async def send_console(
        self,
        vm: VMRef,
        data: str,
        *,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Type into the VM's serial console.

        Args:
            vm: The VM's name, id or handle.
            data: The characters (``"\\n"`` is Enter).
            idempotency_key: The ``Idempotency-Key`` to send.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The number of bytes sent.
        """
        return await self._api.send_vm_console(
            vm_ref(vm), data, idempotency_key=idempotency_key, **options
        )

    async def screenshot(self, vm: VMRef, **options: Unpack[RequestOptions]) -> Screenshot:
        """Capture the VM's display; in a notebook the result shows as an image.

        Args:
            vm: The VM's name, id or handle.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The PNG image (``.save(path)``, ``.data``).
        """
        png = await self._api.get_vm_screenshot(vm_ref(vm), **options)
        return Screenshot(png, "image/png")

    @overload
    async def resize_disk(
        self,
        vm: VMRef,
        disk_gib: int,
        *,
        wait: Literal[False] = False,
        **options: Unpack[ActionOptions],
    ) -> AsyncOperation: ...
    @overload
    async def resize_disk(
        self, vm: VMRef, disk_gib: int, *, wait: Literal[True], **options: Unpack[ActionOptions]
    ) -> AsyncVM: ...
    @overload
    async def resize_disk(
        self, vm: VMRef, disk_gib: int, *, wait: bool, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM: ...
    async def resize_disk(
        self, vm: VMRef, disk_gib: int, *, wait: bool = False, **options: Unpack[ActionOptions]
    ) -> AsyncOperation | AsyncVM:
        """Grow a stopped or running VM's disk (disks never shrink).

        Args:
            vm: The VM's name, id or handle.
            disk_gib: The new size in GiB, larger than the current one.
            wait: Wait for the operation and return the VM.
            **options: ``if_match``, ``idempotency_key``, ``timeout``, ``wait_timeout``.

        Returns:
            The operation, or with ``wait=True`` the VM once grown.

        Raises:
            vmkit.errors.ValidationError: If ``disk_gib`` is not larger than the disk.
            vmkit.errors.VMStateError: If the VM's state does not allow it.
        """
        ref = vm_ref(vm)
        model = await self._api.resize_vm_disk(
            ref,
            disk_gib,
            idempotency_key=options.get("idempotency_key"),
            if_match=options.get("if_match"),
            **request_options(options),
        )
        return await self._finish(model, ref, wait=wait, options=options)
