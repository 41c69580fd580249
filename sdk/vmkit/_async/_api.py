"""The hand layer's door to the generated code: one method per operation of the spec.

Each method asks the generated module for its request (``_get_kwargs``), sends it through
the one transport (which adds auth, retries and typed errors), and parses the answer with
the generated ``_build_response``. Nothing else in the hand layer but ``_api_base``,
``_api_guest``, ``_api_tokens``, ``_api_events`` and ``_api_webhooks`` (the parts of this
class) imports ``vmkit._generated``; it uses the model names re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from vmkit._async._api_base import opt, parse, present, token
from vmkit._async._api_events import AsyncEventsAPI
from vmkit._async._api_guest import (
    AsyncGuestAPI,
    ConsoleOutputModel,
    ExecResultModel,
    GuestFileModel,
    ImageModel,
)
from vmkit._async._api_tokens import AsyncTokenAPI, TokenCreatedModel, TokenModel
from vmkit._async._api_webhooks import (
    AsyncWebhookAPI,
    WebhookCreatedModel,
    WebhookDeliveryModel,
    WebhookModel,
)
from vmkit._generated.api.hosts import get_host, list_hosts
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
    restart_vm,
    resume_vm,
    start_vm,
    stop_vm,
    suspend_vm,
    update_vm,
)
from vmkit._generated.models import VM as VMModel
from vmkit._generated.models import (
    CloneRequest,
    HostList,
    OperationList,
    OperationLogList,
    OperationState,
    RenameRequest,
    SnapshotCreate,
    SnapshotList,
    StopRequest,
    VMCreate,
    VMList,
    VMStateFilter,
    VMUpdate,
)
from vmkit._generated.models import Health as HealthModel
from vmkit._generated.models import Host as HostModel
from vmkit._generated.models import Operation as OperationModel
from vmkit._generated.models import OperationLogEntry as LogEntryModel
from vmkit._generated.models import Snapshot as SnapshotModel
from vmkit._generated.types import UNSET, Unset
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
    "TokenCreatedModel",
    "TokenModel",
    "VMModel",
    "WebhookCreatedModel",
    "WebhookDeliveryModel",
    "WebhookModel",
]

#: The VM actions without a body, by SDK method name.
ACTIONS: Mapping[str, Any] = {
    "start": start_vm,
    "force_stop": force_stop_vm,
    "restart": restart_vm,
    "pause": pause_vm,
    "resume": resume_vm,
    "suspend": suspend_vm,
}


class AsyncAPI(AsyncGuestAPI, AsyncTokenAPI, AsyncEventsAPI, AsyncWebhookAPI):
    """Every operation of ``spec/vmkit.yaml``, returning the generated models.

    The guest, disk and image calls come from :class:`AsyncGuestAPI`, the token calls from
    :class:`AsyncTokenAPI`, the webhook calls from :class:`AsyncWebhookAPI`, the sending and
    parsing from :class:`AsyncAPIBase`.

    Args:
        transport: The transport all requests go through.
        clock: The monotonic clock waiters measure their deadlines with.
        sleep: The sleep waiters pause with between polls.

    Attributes:
        transport: The transport.
        clock: The waiters' clock.
        sleep: The waiters' sleep.
    """

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
            page_size=opt(page_size),
            page_token=opt(page_token),
            state=UNSET if state is None else [VMStateFilter(s) for s in state],
            label=UNSET if label is None else list(label),
        )
        body = await self._call(list_vms, VMList, kwargs, request)
        return Page(list(body.items), token(body.next_page_token))

    async def create_vm(
        self,
        body: Mapping[str, Any],
        *,
        idempotency_key: str | None,
        **request: Unpack[RequestOptions],
    ) -> OperationModel:
        """``POST /v1/vms`` with a ``VMCreate`` body given as a dict."""
        kwargs = create_vm._get_kwargs(
            body=VMCreate.from_dict(body), idempotency_key=opt(idempotency_key)
        )
        return await self._call(create_vm, OperationModel, kwargs, request)

    async def get_vm(self, vm: str, **request: Unpack[RequestOptions]) -> VMModel:
        """``GET /v1/vms/{vm}``."""
        return await self._call(get_vm, VMModel, get_vm._get_kwargs(vm), request)

    async def get_vm_if_changed(
        self, vm: str, etag: str, **request: Unpack[RequestOptions]
    ) -> VMModel | None:
        """``GET /v1/vms/{vm}`` with ``If-None-Match``: None when ``etag`` is still current."""
        response = await self._send(get_vm._get_kwargs(vm, if_none_match=etag), request)
        if response.status_code == 304:
            return None
        return parse(get_vm, VMModel, response)

    async def update_vm(
        self,
        vm: str,
        body: Mapping[str, Any],
        *,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> VMModel:
        """``PATCH /v1/vms/{vm}`` with a ``VMUpdate`` body given as a dict."""
        kwargs = update_vm._get_kwargs(vm, body=VMUpdate.from_dict(body), if_match=opt(if_match))
        return await self._call(update_vm, VMModel, kwargs, request)

    async def delete_vm(
        self, vm: str, *, force: bool, if_match: str | None, **request: Unpack[RequestOptions]
    ) -> OperationModel:
        """``DELETE /v1/vms/{vm}``."""
        kwargs = delete_vm._get_kwargs(vm, force=force, if_match=opt(if_match))
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
            vm, idempotency_key=opt(idempotency_key), if_match=opt(if_match)
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
                present(timeout_seconds=timeout_seconds, force_after_timeout=force_after_timeout)
            )
        kwargs = stop_vm._get_kwargs(
            vm, body=body, idempotency_key=opt(idempotency_key), if_match=opt(if_match)
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
            idempotency_key=opt(idempotency_key),
            if_match=opt(if_match),
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
            idempotency_key=opt(idempotency_key),
            if_match=opt(if_match),
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
            vm, page_size=opt(page_size), page_token=opt(page_token)
        )
        body = await self._call(list_snapshots, SnapshotList, kwargs, request)
        return Page(list(body.items), token(body.next_page_token))

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
        body = SnapshotCreate(name=name, description=opt(description))
        kwargs = create_snapshot._get_kwargs(vm, body=body, idempotency_key=opt(idempotency_key))
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
        kwargs = delete_snapshot._get_kwargs(vm, snapshot, if_match=opt(if_match))
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
            vm, snapshot, idempotency_key=opt(idempotency_key), if_match=opt(if_match)
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
            page_size=opt(page_size),
            page_token=opt(page_token),
            state=UNSET if state is None else [OperationState(s) for s in state],
            vm=opt(vm),
            kind=opt(kind),
        )
        body = await self._call(list_operations, OperationList, kwargs, request)
        return Page(list(body.items), token(body.next_page_token))

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
        kwargs = cancel_operation._get_kwargs(operation, idempotency_key=opt(idempotency_key))
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
            operation, page_size=opt(page_size), page_token=opt(page_token)
        )
        body = await self._call(list_operation_logs, OperationLogList, kwargs, request)
        return Page(list(body.items), token(body.next_page_token))

    async def list_hosts(self, **request: Unpack[RequestOptions]) -> list[HostModel]:
        """``GET /v1/hosts``: every host (the list is never paged)."""
        body = await self._call(list_hosts, HostList, list_hosts._get_kwargs(), request)
        return list(body.items)

    async def get_host(self, host: str, **request: Unpack[RequestOptions]) -> HostModel:
        """``GET /v1/hosts/{host}``."""
        return await self._call(get_host, HostModel, get_host._get_kwargs(host), request)
