"""The event stream over WebSocket: ``/v1/events/ws`` (outside the spec, like ``/metrics``).

It takes the query parameters of ``GET /v1/events`` (checked against the spec), plus the
token as ``?token=`` for clients that cannot set headers (browsers). Each event is one text
message ``{"id": ..., "event": <type>, "data": <Event>}``; a `reset` notice has the same
shape with a StreamReset as data; after `heartbeat_seconds` of silence the server sends
``{"event": "heartbeat"}``. The server closes with 1001 when it shuts down and 1008 when the
token is no longer valid. Refusals before the handshake are problem+json answers (401, 403,
404, 422) where the server supports WebSocket denial responses, else a close with 1008.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.websockets import WebSocket

from .._openapi import OperationSpec, load_operations
from .._validation import MISSING, SchemaCompiler, issue, json_pointer
from ..core.auth import Principal
from ..core.facade import Core
from ..core.streams import Subscription
from ..problems import VALIDATION_FAILED, ProblemError
from ._ws import bearer, header, refuse

__all__ = ["EVENTS_WS_PATH", "EventsWebSocket"]

log = logging.getLogger("vmkit_server.events")

EVENTS_WS_PATH = "/v1/events/ws"
_HEARTBEAT = '{"event":"heartbeat"}'
_SCOPE = "read"


class EventsWebSocket:
    """The ASGI endpoint serving the event stream to WebSocket clients.

    Args:
        spec: The OpenAPI document (the query parameters of ``listEvents`` are checked
            against it).
        core: The domain.
    """

    def __init__(self, spec: Mapping[str, Any], core: Core) -> None:
        only_events = {**spec, "paths": {"/v1/events": spec["paths"]["/v1/events"]}}
        op: OperationSpec = load_operations(only_events, SchemaCompiler(spec))["/v1/events"]["GET"]
        self._params = {k: p for k, p in op.query.items() if k not in {"page_size", "page_token"}}
        self._core = core

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one WebSocket connection."""
        ws = WebSocket(scope, receive, send)
        try:
            query = self._query(scope)
            subscription = self._core.events.subscribe(
                after=self._start_after(scope, query),
                types=query.get("types") or (),
                vm=query.get("vm"),
            )
        except ProblemError as exc:
            await refuse(ws, exc, EVENTS_WS_PATH)
            return
        try:
            await ws.accept()
            sender = asyncio.ensure_future(
                self._send_events(ws, subscription, float(query["heartbeat_seconds"]), scope)
            )
            listener = asyncio.ensure_future(_until_disconnect(receive))
            done, pending = await asyncio.wait(
                {sender, listener}, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
            for task in pending:
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await task
            for task in done:
                failure = task.exception()
                if failure is not None and not isinstance(failure, OSError):
                    log.error("the event WebSocket failed", exc_info=failure)
        finally:
            subscription.close()

    def _principal(self, scope: Any) -> Principal:
        auth = self._core.auth
        principal = auth.authenticate(bearer(scope))
        auth.authorize(principal, _SCOPE)
        return principal

    def _query(self, scope: Any) -> dict[str, Any]:
        self._principal(scope)
        sent: dict[str, list[str]] = {}
        for key, value in parse_qsl(
            scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True
        ):
            sent.setdefault(key, []).append(value)
        issues: list[dict[str, Any]] = []
        for key in sent:
            if key not in self._params and key != "token":
                detail = f"unknown query parameter {key!r}"
                issues.append(issue("query", json_pointer([key]), detail, "additionalProperties"))
        values: dict[str, Any] = {}
        for name, param in self._params.items():
            value = param.load(sent.get(name, []), issues)
            if value is not MISSING:
                values[name] = value
        last = header(scope, b"last-event-id")
        if last is not None and not (last.isdigit() and len(last) <= 18):
            detail = "Last-Event-ID must be an event id (digits)"
            issues.append(issue("header", "/Last-Event-ID", detail, "pattern"))
        if issues:
            raise ProblemError(422, VALIDATION_FAILED, "the request is invalid", errors=issues)
        return values

    @staticmethod
    def _start_after(scope: Any, query: dict[str, Any]) -> int | None:
        sent = header(scope, b"last-event-id")
        if sent is not None:
            return int(sent)
        for name in ("last_event_id", "since"):
            if query.get(name) is not None:
                return int(query[name])
        return None

    async def _send_events(
        self, ws: WebSocket, subscription: Subscription, heartbeat: float, scope: Any
    ) -> None:
        if subscription.reset is not None:
            await ws.send_text(subscription.reset.frame().ws)
        while True:
            frames = await subscription.next(heartbeat)
            if frames is None:
                await ws.close(1001, "the server is shutting down")
                return
            for frame in frames:
                await ws.send_text(frame.ws)
            if not frames:
                try:
                    self._principal(scope)
                except ProblemError:
                    await ws.close(1008, "the token is no longer valid")
                    return
                await ws.send_text(_HEARTBEAT)


async def _until_disconnect(receive: Any) -> None:
    """Read (and ignore) what the client sends until it disconnects."""
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
