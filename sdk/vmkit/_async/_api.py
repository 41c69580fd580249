"""The hand layer's only door to the generated code: one method per operation of the spec.

Each method asks the generated module for its request (``_get_kwargs``), sends it through
the one transport (which adds auth, retries and typed errors), and parses the answer with
the generated ``_build_response``. Nothing else in the hand layer imports
``vmkit._generated``; it uses the model names re-exported here.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar, Unpack

import httpx

from vmkit import _compat, errors
from vmkit._async._transport import AsyncTransport
from vmkit._compat import AsyncSleepFunc, Clock
from vmkit._core.sentinels import NOT_GIVEN
from vmkit._generated.api.guest import (
    download_vm_file,
    exec_vm,
    get_vm_console,
    get_vm_screenshot,
    send_vm_console,
    upload_vm_file,
)
from vmkit._generated.api.hosts import get_host, list_hosts
from vmkit._generated.api.images import list_images
from vmkit._generated.api.operations import (
    cancel_operation,
    get_operation,
    list_operation_logs,
    list_operations,
    wait_operation,
)
from vmkit._generated.api.snapshots import (
    create_snapshot,
    delete_snapshot,
    get_snapshot,
    list_snapshots,
    restore_snapshot,
)
from vmkit._generated.api.system import get_health
from vmkit._generated.api.vms import (
    clone_vm,
    create_vm,
    delete_vm,
    force_stop_vm,
    get_vm,
    list_vms,
    pause_vm,
    rename_vm,
    resize_vm_disk,
    restart_vm,
    resume_vm,
    start_vm,
    stop_vm,
    suspend_vm,
    update_vm,
)
from vmkit._generated.client import Client as _GeneratedClient
from vmkit._generated.models import VM as VMModel
from vmkit._generated.models import (
    CloneRequest,
    ConsoleInput,
    ConsoleInputResult,
    ExecRequest,
    HostList,
    ImageList,
    OperationList,
    OperationLogList,
    OperationState,
    RenameRequest,
    ResizeDiskRequest,
    SnapshotCreate,
    SnapshotList,
    StopRequest,
    VMCreate,
    VMList,
    VMStateFilter,
    VMUpdate,
)
from vmkit._generated.models import ConsoleOutput as ConsoleOutputModel
from vmkit._generated.models import ExecResult as ExecResultModel
from vmkit._generated.models import GuestFile as GuestFileModel
from vmkit._generated.models import Health as HealthModel
from vmkit._generated.models import Host as HostModel
from vmkit._generated.models import Image as ImageModel
from vmkit._generated.models import Operation as OperationModel
from vmkit._generated.models import OperationLogEntry as LogEntryModel
from vmkit._generated.models import Snapshot as SnapshotModel
from vmkit._generated.types import UNSET, File, Response, Unset
from vmkit.types import Page, RequestOptions

__all__ = [
    "ACTIONS",
    "AsyncAPI",
    "ConsoleOutputModel",
    "ExecResultModel",
    "GuestFileModel",
    "HealthModel",
    "HostModel",
    "ImageModel",
    "LogEntryModel",
    "OperationModel",
    "SnapshotModel",
    "VMModel",
]

M = TypeVar("M")


class _Endpoint(Protocol):
    """What the hand layer uses of a generated endpoint module."""

    def _build_response(
        self, *, client: _GeneratedClient, response: httpx.Response
    ) -> Response[Any]: ...


#: The VM actions without a body, by SDK method name.
ACTIONS: Mapping[str, Any] = {
    "start": start_vm,
    "force_stop": force_stop_vm,
    "restart": restart_vm,
    "pause": pause_vm,
    "resume": resume_vm,
    "suspend": suspend_vm,
}

# ``_build_response`` wants a generated client; it only reads it for undocumented statuses,
# which cannot happen here (every operation has a ``default`` response), and never sends.
_PARSER = _GeneratedClient(base_url="")


class AsyncAPI:
    """Every operation of ``spec/vmkit.yaml``, returning the generated models.

    Args:
        transport: The transport all requests go through.
        clock: The monotonic clock waiters measure their deadlines with.
        sleep: The sleep waiters pause with between polls.

    Attributes:
        transport: The transport.
        clock: The waiters' clock.
        sleep: The waiters' sleep.
    """

    def __init__(
        self,
        transport: AsyncTransport,
        *,
        clock: Clock | None = None,
        sleep: AsyncSleepFunc | None = None,
    ) -> None:
        self.transport = transport
        self.clock: Clock = clock if clock is not None else _compat.monotonic
        self.sleep: AsyncSleepFunc = sleep if sleep is not None else _compat.asleep

    async def get_health(self, **request: Unpack[RequestOptions]) -> HealthModel:
        """``GET /healthz``."""
        return await self._call(get_health, HealthModel, get_health._get_kwargs(), request)

    async def list_vms(
        self,
        *,
        state: Sequence[str] | None,
        label: Sequence[str] | None,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[VMModel]:
        """``GET /v1/vms``: one page."""
        kwargs = list_vms._get_kwargs(
            page_size=_opt(page_size),
            page_token=_opt(page_token),
            state=UNSET if state is None else [VMStateFilter(s) for s in state],
            label=UNSET if label is None else list(label),
        )
        body = await self._call(list_vms, VMList, kwargs, request)
        return Page(list(body.items), _token(body.next_page_token))

    async def create_vm(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms`` with a ``VMCreate`` body given as a dict."""
        kwargs = create_vm._get_kwargs(
            body=VMCreate.from_dict(body), idempotency_key=_opt(idempotency_key)
        )
        return await self._call(create_vm, OperationModel, kwargs, request)

    async def get_vm(self, vm: str, **request: Unpack[RequestOptions]) -> VMModel:
        """``GET /v1/vms/{vm}``."""
        return await self._call(get_vm, VMModel, get_vm._get_kwargs(vm), request)

    async def update_vm(
        self,
        vm: str,
        body: Mapping[str, Any],
        *,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> VMModel:
        """``PATCH /v1/vms/{vm}`` with a ``VMUpdate`` body given as a dict."""
        kwargs = update_vm._get_kwargs(vm, body=VMUpdate.from_dict(body), if_match=_opt(if_match))
        return await self._call(update_vm, VMModel, kwargs, request)

    async def delete_vm(
        self, vm: str, *, force: bool, if_match: str | None, **request: Unpack[RequestOptions]
    ) -> OperationModel:
        """``DELETE /v1/vms/{vm}``."""
        kwargs = delete_vm._get_kwargs(vm, force=force, if_match=_opt(if_match))
        return await self._call(delete_vm, OperationModel, kwargs, request)

    async def vm_action(
        self,
        action: str,
        vm: str,
        *,
        idempotency_key: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms/{vm}:<action>`` for an action without a body (see :data:`ACTIONS`)."""
        endpoint = ACTIONS[action]
        kwargs = endpoint._get_kwargs(
            vm, idempotency_key=_opt(idempotency_key), if_match=_opt(if_match)
        )
        return await self._call(endpoint, OperationModel, kwargs, request)

    async def stop_vm(
        self,
        vm: str,
        *,
        timeout_seconds: float | None,
        force_after_timeout: bool | None,
        idempotency_key: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms/{vm}:stop``; the body is sent only when an option is given."""
        body: StopRequest | Unset = UNSET
        if timeout_seconds is not None or force_after_timeout is not None:
            body = StopRequest.from_dict(
                _present(timeout_seconds=timeout_seconds, force_after_timeout=force_after_timeout)
            )
        kwargs = stop_vm._get_kwargs(
            vm, body=body, idempotency_key=_opt(idempotency_key), if_match=_opt(if_match)
        )
        return await self._call(stop_vm, OperationModel, kwargs, request)

    async def clone_vm(
        self,
        vm: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms/{vm}:clone`` with a ``CloneRequest`` body given as a dict."""
        kwargs = clone_vm._get_kwargs(
            vm,
            body=CloneRequest.from_dict(body),
            idempotency_key=_opt(idempotency_key),
            if_match=_opt(if_match),
        )
        return await self._call(clone_vm, OperationModel, kwargs, request)

    async def rename_vm(
        self,
        vm: str,
        name: str,
        *,
        idempotency_key: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> VMModel:
        """``POST /v1/vms/{vm}:rename``."""
        kwargs = rename_vm._get_kwargs(
            vm,
            body=RenameRequest(name=name),
            idempotency_key=_opt(idempotency_key),
            if_match=_opt(if_match),
        )
        return await self._call(rename_vm, VMModel, kwargs, request)

    async def list_snapshots(
        self,
        vm: str,
        *,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[SnapshotModel]:
        """``GET /v1/vms/{vm}/snapshots``: one page."""
        kwargs = list_snapshots._get_kwargs(
            vm, page_size=_opt(page_size), page_token=_opt(page_token)
        )
        body = await self._call(list_snapshots, SnapshotList, kwargs, request)
        return Page(list(body.items), _token(body.next_page_token))

    async def create_snapshot(
        self,
        vm: str,
        name: str,
        *,
        description: str | None,
        idempotency_key: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms/{vm}/snapshots``."""
        body = SnapshotCreate(name=name, description=_opt(description))
        kwargs = create_snapshot._get_kwargs(vm, body=body, idempotency_key=_opt(idempotency_key))
        return await self._call(create_snapshot, OperationModel, kwargs, request)

    async def get_snapshot(
        self, vm: str, snapshot: str, **request: Unpack[RequestOptions]
    ) -> SnapshotModel:
        """``GET /v1/vms/{vm}/snapshots/{snapshot}``."""
        kwargs = get_snapshot._get_kwargs(vm, snapshot)
        return await self._call(get_snapshot, SnapshotModel, kwargs, request)

    async def delete_snapshot(
        self, vm: str, snapshot: str, *, if_match: str | None, **request: Unpack[RequestOptions]
    ) -> OperationModel:
        """``DELETE /v1/vms/{vm}/snapshots/{snapshot}``."""
        kwargs = delete_snapshot._get_kwargs(vm, snapshot, if_match=_opt(if_match))
        return await self._call(delete_snapshot, OperationModel, kwargs, request)

    async def restore_snapshot(
        self,
        vm: str,
        snapshot: str,
        *,
        idempotency_key: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms/{vm}/snapshots/{snapshot}:restore``."""
        kwargs = restore_snapshot._get_kwargs(
            vm, snapshot, idempotency_key=_opt(idempotency_key), if_match=_opt(if_match)
        )
        return await self._call(restore_snapshot, OperationModel, kwargs, request)

    async def list_operations(
        self,
        *,
        state: Sequence[str] | None,
        vm: str | None,
        kind: str | None,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[OperationModel]:
        """``GET /v1/operations``: one page."""
        kwargs = list_operations._get_kwargs(
            page_size=_opt(page_size),
            page_token=_opt(page_token),
            state=UNSET if state is None else [OperationState(s) for s in state],
            vm=_opt(vm),
            kind=_opt(kind),
        )
        body = await self._call(list_operations, OperationList, kwargs, request)
        return Page(list(body.items), _token(body.next_page_token))

    async def get_operation(
        self, operation: str, **request: Unpack[RequestOptions]
    ) -> OperationModel:
        """``GET /v1/operations/{operation}``."""
        kwargs = get_operation._get_kwargs(operation)
        return await self._call(get_operation, OperationModel, kwargs, request)

    async def wait_operation(
        self, operation: str, *, timeout_seconds: float, **request: Unpack[RequestOptions]
    ) -> OperationModel:
        """``GET /v1/operations/{operation}:wait``: one long-poll of ``timeout_seconds``."""
        kwargs = wait_operation._get_kwargs(operation, timeout_seconds=timeout_seconds)
        return await self._call(wait_operation, OperationModel, kwargs, request)

    async def cancel_operation(
        self,
        operation: str,
        *,
        idempotency_key: str | None = None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/operations/{operation}:cancel``."""
        kwargs = cancel_operation._get_kwargs(operation, idempotency_key=_opt(idempotency_key))
        return await self._call(cancel_operation, OperationModel, kwargs, request)

    async def list_operation_logs(
        self,
        operation: str,
        *,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[LogEntryModel]:
        """``GET /v1/operations/{operation}/logs``: one page."""
        kwargs = list_operation_logs._get_kwargs(
            operation, page_size=_opt(page_size), page_token=_opt(page_token)
        )
        body = await self._call(list_operation_logs, OperationLogList, kwargs, request)
        return Page(list(body.items), _token(body.next_page_token))

    async def list_hosts(self, **request: Unpack[RequestOptions]) -> list[HostModel]:
        """``GET /v1/hosts``: every host (the list is never paged)."""
        body = await self._call(list_hosts, HostList, list_hosts._get_kwargs(), request)
        return list(body.items)

    async def get_host(self, host: str, **request: Unpack[RequestOptions]) -> HostModel:
        """``GET /v1/hosts/{host}``."""
        return await self._call(get_host, HostModel, get_host._get_kwargs(host), request)

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
            idempotency_key=_opt(idempotency_key),
            if_match=_opt(if_match),
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
            idempotency_key=_opt(idempotency_key),
            if_match=_opt(if_match),
        )
        response = await self._send(kwargs, request)
        if response.status_code == 202:
            return _parse(exec_vm, OperationModel, response)
        return _parse(exec_vm, ExecResultModel, response)

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
            vm, body=File(payload=io.BytesIO(data)), path=path, mode=_opt(mode)
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
        kwargs = get_vm_console._get_kwargs(vm, offset=_opt(offset), max_bytes=_opt(max_bytes))
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
            vm, body=ConsoleInput(data=data), idempotency_key=_opt(idempotency_key)
        )
        sent = await self._call(send_vm_console, ConsoleInputResult, kwargs, request)
        return sent.sent_bytes

    async def get_vm_screenshot(self, vm: str, **request: Unpack[RequestOptions]) -> bytes:
        """``GET /v1/vms/{vm}/screenshot``: PNG bytes."""
        kwargs = get_vm_screenshot._get_kwargs(vm)
        return (await self._send(kwargs, request)).content

    async def _call(
        self,
        endpoint: _Endpoint,
        model: type[M],
        kwargs: dict[str, Any],
        request: RequestOptions,
    ) -> M:
        return _parse(endpoint, model, await self._send(kwargs, request))

    async def _send(self, kwargs: dict[str, Any], request: RequestOptions) -> httpx.Response:
        headers = {str(k): str(v) for k, v in kwargs.get("headers", {}).items()}
        if "json" not in kwargs and "content" not in kwargs:
            # The generated code sets it even when an optional body is left out.
            headers.pop("Content-Type", None)
        headers.update(request.get("headers") or {})
        return await self.transport.request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            json=kwargs.get("json"),
            content=kwargs.get("content"),
            headers=headers,
            timeout=request.get("timeout", NOT_GIVEN),
            max_retries=request.get("max_retries"),
        )


def _parse(endpoint: _Endpoint, model: type[M], response: httpx.Response) -> M:
    """Parse a 2xx answer into ``model`` with the generated parser."""
    try:
        parsed = endpoint._build_response(client=_PARSER, response=response).parsed
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise errors.APIError(
            f"malformed {model.__name__} in the answer to "
            f"{response.request.method} {response.request.url}: {exc!r}",
            request=response.request,
        ) from exc
    if not isinstance(parsed, model):
        raise errors.APIError(
            f"expected a {model.__name__} in the answer to {response.request.method} "
            f"{response.request.url}, got {type(parsed).__name__}",
            request=response.request,
        )
    return parsed


def _opt(value: M | None) -> M | Unset:
    """None (the SDK's "not given") as the generated code's UNSET."""
    return UNSET if value is None else value


def _token(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _present(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
