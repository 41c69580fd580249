"""The API layer's guest-access, disk and image calls (``POST /v1/vms/{vm}:exec`` & co)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Unpack

from vmkit._async._api_base import AsyncAPIBase, opt, parse
from vmkit._generated.api.guest import (
    download_vm_file,
    exec_vm,
    get_vm_console,
    get_vm_screenshot,
    send_vm_console,
    upload_vm_file,
)
from vmkit._generated.api.images import list_images
from vmkit._generated.api.vms import resize_vm_disk
from vmkit._generated.models import (
    ConsoleInput,
    ConsoleInputResult,
    ExecRequest,
    ImageList,
    ResizeDiskRequest,
)
from vmkit._generated.models import ConsoleOutput as ConsoleOutputModel
from vmkit._generated.models import ExecResult as ExecResultModel
from vmkit._generated.models import GuestFile as GuestFileModel
from vmkit._generated.models import Image as ImageModel
from vmkit._generated.models import Operation as OperationModel
from vmkit._generated.types import File
from vmkit.types import RequestOptions

__all__ = [
    "AsyncGuestAPI",
    "ConsoleOutputModel",
    "ExecResultModel",
    "GuestFileModel",
    "ImageModel",
]


class AsyncGuestAPI(AsyncAPIBase):
    """Exec, files, console, screenshot, disk growth and the image catalog."""

    async def list_images(self, **request: Unpack[RequestOptions]) -> list[ImageModel]:
        """``GET /v1/images``: every image (the list is never paged)."""
        body = await self._call(list_images, ImageList, list_images._get_kwargs(), request)
        return list(body.items)

    async def resize_vm_disk(
        self,
        vm: str,
        disk_gib: int,
        *,
        idempotency_key: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms/{vm}:resize-disk``."""
        kwargs = resize_vm_disk._get_kwargs(
            vm,
            body=ResizeDiskRequest(disk_gib=disk_gib),
            idempotency_key=opt(idempotency_key),
            if_match=opt(if_match),
        )
        return await self._call(resize_vm_disk, OperationModel, kwargs, request)

    async def exec_vm(
        self,
        vm: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> ExecResultModel | OperationModel:
        """``POST /v1/vms/{vm}:exec``: the result (200), or the operation (202, ``wait: false``)."""
        kwargs = exec_vm._get_kwargs(
            vm,
            body=ExecRequest.from_dict(body),
            idempotency_key=opt(idempotency_key),
            if_match=opt(if_match),
        )
        response = await self._send(kwargs, request)
        if response.status_code == 202:
            return parse(exec_vm, OperationModel, response)
        return parse(exec_vm, ExecResultModel, response)

    async def download_vm_file(
        self, vm: str, path: str, **request: Unpack[RequestOptions]
    ) -> bytes:
        """``GET /v1/vms/{vm}/files?path=``: the file's bytes."""
        kwargs = download_vm_file._get_kwargs(vm, path=path)
        return (await self._send(kwargs, request)).content

    async def upload_vm_file(
        self,
        vm: str,
        path: str,
        data: bytes,
        *,
        mode: str | None,
        **request: Unpack[RequestOptions],
    ) -> GuestFileModel:
        """``PUT /v1/vms/{vm}/files?path=`` with the bytes as the body."""
        kwargs = upload_vm_file._get_kwargs(
            vm, body=File(payload=io.BytesIO(data)), path=path, mode=opt(mode)
        )
        # bytes rather than the generated stream, so a retry sends the body again
        kwargs["content"] = data
        return await self._call(upload_vm_file, GuestFileModel, kwargs, request)

    async def get_vm_console(
        self,
        vm: str,
        *,
        offset: int | None,
        max_bytes: int | None,
        **request: Unpack[RequestOptions],
    ) -> ConsoleOutputModel:
        """``GET /v1/vms/{vm}/console``."""
        kwargs = get_vm_console._get_kwargs(vm, offset=opt(offset), max_bytes=opt(max_bytes))
        return await self._call(get_vm_console, ConsoleOutputModel, kwargs, request)

    async def send_vm_console(
        self,
        vm: str,
        data: str,
        *,
        idempotency_key: str | None,
        **request: Unpack[RequestOptions],
    ) -> int:
        """``POST /v1/vms/{vm}/console``: the number of bytes sent."""
        kwargs = send_vm_console._get_kwargs(
            vm, body=ConsoleInput(data=data), idempotency_key=opt(idempotency_key)
        )
        sent = await self._call(send_vm_console, ConsoleInputResult, kwargs, request)
        return sent.sent_bytes

    async def get_vm_screenshot(self, vm: str, **request: Unpack[RequestOptions]) -> bytes:
        """``GET /v1/vms/{vm}/screenshot``: PNG bytes."""
        kwargs = get_vm_screenshot._get_kwargs(vm)
        return (await self._send(kwargs, request)).content
