"""Nemeton's live event feed (`GET /api/v1/events`, Server-Sent Events), as VMs that changed.

Each SSE message carries an `Event` as JSON (`{"event": "vm.started", "vmId": ...}`, see
`spec/peers/nemeton.yaml`). Only `vm.*` events say a VM's state changed; snapshot, console
and download events do not. A VM no vmkit id maps to yet (one just made in Nemeton's app)
is skipped: the reconciler's next pass adopts it, so nothing is lost by waiting.

The page documents no heartbeat, so the stream has no read timeout: a quiet feed is not a
lost one. A feed that ends or breaks is reconnected by the server (`core/change_feed.py`),
and events missed in between reach vmkit on the next reconciliation pass.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import Any

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse

from vmkit.peers.nemeton.models import Error
from vmkit.peers.nemeton.types import Response

from ..base import BackendError, BackendOperationFailedError
from ._common import HandleMap, PeerOptions, peer_errors
from ._nemeton_api import NAME, error_for

__all__ = ["changed_handle", "watch_vms"]

log = logging.getLogger("vmkit_server.backends.nemeton")
_PATH = "/api/v1/events"


async def watch_vms(options: PeerOptions, handles: HandleMap) -> AsyncIterator[str]:
    """The vmkit id of each mapped VM a `vm.*` event names, for as long as the feed lasts.

    Args:
        options: Where Nemeton answers, its token, and the timeout to connect within.
        handles: vmkit id → Nemeton id; events about unmapped VMs are skipped.

    Yields:
        vmkit VM ids, one per event (a VM changed twice is named twice).

    Raises:
        BackendUnavailableError: Nemeton is unreachable or refused the token (401).
        BackendTimeoutError: It did not answer within `timeout`.
        BackendOperationFailedError: It answered anything but an event stream.
    """
    timeout = httpx.Timeout(options.timeout, read=None)
    headers = {"Authorization": f"Bearer {options.token or ''}"}
    with peer_errors(NAME):
        async with (
            httpx.AsyncClient(base_url=options.url, timeout=timeout) as client,
            aconnect_sse(client, "GET", _PATH, headers=headers) as source,
        ):
            if not source.response.is_success:
                await source.response.aread()
                raise _refusal(source.response)
            async for message in source.aiter_sse():
                handle = changed_handle(message)
                vm_id = None if handle is None else handles.vm_id(handle)
                if vm_id is not None:
                    yield vm_id


def changed_handle(message: ServerSentEvent) -> str | None:
    """The Nemeton id of the VM a `vm.*` event names; None for any other message.

    Args:
        message: One SSE message of the feed.

    Returns:
        Its `vmId`, if its `event` (in the JSON, else the SSE `event:` field) is `vm.*`.
    """
    try:
        data: Any = json.loads(message.data)
    except ValueError:
        log.warning("Nemeton sent an event that is not JSON: %.200r", message.data)
        return None
    if not isinstance(data, dict):
        return None
    kind, handle = data.get("event", message.event), data.get("vmId")
    if isinstance(kind, str) and kind.startswith("vm.") and isinstance(handle, str):
        return handle
    return None


def _refusal(response: httpx.Response) -> BackendError:
    """The backend error for a feed Nemeton would not open (the adapter's own translation)."""
    if response.status_code == 404:  # the translation would read it as a missing VM
        return BackendOperationFailedError(
            f"Nemeton serves no event feed at {_PATH} (HTTP 404)",
            metadata={"nemeton_status": 404},
        )
    try:
        parsed: Error | None = Error.from_dict(response.json())
    except (ValueError, TypeError, AttributeError):
        parsed = None
    answer: Response[Any] = Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )
    return error_for(answer, "open the event feed", None, None)
