"""Assembles the ASGI app: store, backend, core services, the spec-driven router, lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ._datadir import DataDirLock
from ._docs_page import docs_html
from ._metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from ._metrics import Metrics
from ._ratelimit import RateLimit, RateLimiter
from .api import events, guest, hosts, images, operations, snapshots, system, tokens, vms, webhooks
from .api._idempotent import idempotent
from .api.console_ws import CONSOLE_WS_PATH, ConsoleWebSocket
from .api.events_ws import EVENTS_WS_PATH, EventsWebSocket
from .backends import load_backend
from .backends.base import Backend, BackendError
from .core.auth import ADMIN_TOKEN_FILE, check_token_file
from .core.change_feed import ChangeFeed
from .core.clock import Clock, utcnow
from .core.context import Services
from .core.facade import Core
from .core.idempotency import IdempotencyKeys
from .core.retention import EventRetention
from .core.runner import OperationRunner
from .core.webhooks import WebhookSettings
from .mcp import MCP_PATH, McpEndpoint
from .problems import ProblemError, problem_response
from .routing import Call, OperationInfo, SpecRouter
from .spec import load_spec
from .store import Store

__all__ = ["ServerConfig", "VmkitApp", "create_app"]

log = logging.getLogger("vmkit_server")

_API_MODULES = (vms, guest, images, snapshots, operations, hosts, system, tokens, events, webhooks)
# An operation that forgets its x-vmkit-scope needs the strongest one: fail closed.
_DEFAULT_SCOPE = "admin"
_OUTSIDE_SPEC = frozenset({"/docs", "/metrics"})


@dataclass
class ServerConfig:
    """How to run the server.

    Attributes:
        data_dir: Where the database, the admin token file and backend state live.
        backend: Backend name (`simulated`).
        backend_options: Backend-specific `key=value` options.
        database_url: SQLAlchemy URL; default SQLite `<data_dir>/vmkit.db`.
        reconcile_interval: Seconds between reconciliation/reaper passes.
        max_body_bytes: Largest accepted JSON request body.
        max_upload_bytes: Largest accepted file upload (``PUT /v1/vms/{vm}/files``).
        shutdown_grace: Seconds running operations get to finish at shutdown.
        event_retention_days: How long events are kept (a stream resuming from an older
            id gets a `reset`).
        webhooks: Webhook delivery: the addresses allowed, the retry schedule.
        rate_limit: Requests per token (or, without a valid token, per client address);
            None: unlimited (see docs/security.md for the CLI's default).
    """

    data_dir: Path
    backend: str = "simulated"
    backend_options: dict[str, str] = field(default_factory=dict)
    database_url: str | None = None
    reconcile_interval: float = 2.0
    max_body_bytes: int = 1 << 20
    max_upload_bytes: int = 64 << 20
    shutdown_grace: float = 5.0
    event_retention_days: float = 7.0
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    clock: Clock = utcnow
    rate_limit: RateLimit | None = None


def _snake(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


Handler = Callable[[Call, Core], Awaitable[Response]]


def _bind(handler: Handler, core: Core) -> Callable[[Call], Awaitable[Response]]:
    @functools.wraps(handler)
    async def bound(call: Call) -> Response:
        try:
            return await handler(call, core)
        except BackendError as exc:
            raise ProblemError(
                exc.status, exc.code, str(exc), metadata=dict(exc.metadata or {})
            ) from exc

    return bound


def _keyed(
    handler: Callable[[Call], Awaitable[Response]], keys: IdempotencyKeys
) -> Callable[[Call], Awaitable[Response]]:
    @functools.wraps(handler)
    async def keyed(call: Call) -> Response:
        return await idempotent(call, handler, keys)

    return keyed


def _handlers(
    spec: dict[str, Any], core: Core, keys: IdempotencyKeys
) -> dict[str, Callable[[Call], Awaitable[Response]]]:
    found: dict[str, Callable[[Call], Awaitable[Response]]] = {}
    for module in _API_MODULES:
        for name in module.__all__:
            found[name] = _bind(getattr(module, name), core)
    handlers = {}
    for item in spec["paths"].values():
        for method, op in item.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                handler = found[_snake(op["operationId"])]
                if method == "post":  # every POST takes Idempotency-Key (spec rule)
                    handler = _keyed(handler, keys)
                handlers[op["operationId"]] = handler
    return handlers


class VmkitApp:
    """The ASGI app: the router for HTTP, plus startup and shutdown on lifespan events.

    Args:
        config: How to run.
        backend: A backend instance to use instead of loading `config.backend` (tests).
    """

    def __init__(self, config: ServerConfig, *, backend: Backend | None = None) -> None:
        self.config = config
        check_token_file(config.data_dir / ADMIN_TOKEN_FILE)
        self._lock = DataDirLock(config.data_dir)
        try:
            url = config.database_url or f"sqlite:///{(config.data_dir / 'vmkit.db').resolve()}"
            self.store = Store.open(url, clock=config.clock)
            self.backend = backend or load_backend(
                config.backend, data_dir=config.data_dir, options=config.backend_options
            )
        except BaseException:
            self._lock.release()
            raise
        self.runner = OperationRunner(self.store, config.clock)
        self.core = Core.build(
            Services(self.store, self.backend, self.runner, config.clock),
            webhooks=config.webhooks,
        )
        self.idempotency = IdempotencyKeys(self.store, config.clock)
        self.change_feed = ChangeFeed(self.backend, self.core.reconciler.reconcile_one)
        self.event_retention = EventRetention(
            self.store, config.clock, keep=timedelta(days=config.event_retention_days)
        )
        spec = load_spec()
        self.metrics = Metrics(self.store)
        self.router = SpecRouter(
            spec,
            _handlers(spec, self.core, self.idempotency),
            authenticate=self._authenticate,
            max_body_bytes=config.max_body_bytes,
            max_upload_bytes=config.max_upload_bytes,
            observer=self.metrics.observe,
        )
        self.mcp = McpEndpoint(
            spec, self.router, authenticate=lambda s: self.core.auth.authenticate(_authorization(s))
        )
        self.token_file = config.data_dir / ADMIN_TOKEN_FILE
        self._loop_task: asyncio.Task[None] | None = None
        self.events_ws = EventsWebSocket(spec, self.core)
        self.console_ws = ConsoleWebSocket(self.core)
        self.started = asyncio.Event()
        self.rate_limiter = RateLimiter(config.rate_limit) if config.rate_limit else None

    async def _authenticate(self, request: Request, operation: OperationInfo) -> Any:
        """The request's principal, if its token has the scope the operation names."""
        auth = self.core.auth
        principal = self._principal(request.scope)
        auth.authorize(principal, operation.operation.get("x-vmkit-scope", _DEFAULT_SCOPE))
        return principal

    def _principal(self, scope: Scope) -> Any:
        """Who sent the request, counted against the rate limit (429 past it)."""
        try:
            principal = self.core.auth.authenticate(_authorization(scope))
        except ProblemError:
            if self.rate_limiter is not None:  # guesses count against the sender's address
                client = scope.get("client")
                self.rate_limiter.check(f"address:{client[0] if client else 'unknown'}")
            raise
        if self.rate_limiter is not None:
            self.rate_limiter.check(f"token:{principal.token_id}")
        return principal

    async def startup(self) -> None:
        """Open the backend, create the first admin token, recover, start background passes."""
        await self.backend.open()
        bus = self.core.svc.bus
        with self.store.read() as tx:
            bus.publish(tx.last_event_id() or 0)
        bus.attach(asyncio.get_running_loop())
        self.store.on_events_committed(bus.publish)
        self.token_file = self.core.auth.ensure_admin_token(self.config.data_dir)
        self.idempotency.recover()
        await self.core.reconciler.recover()
        self._loop_task = asyncio.get_running_loop().create_task(self._background())
        self.change_feed.start()
        self.core.webhooks.worker.start()
        self.started.set()

    def close_streams(self) -> None:
        """End the live event streams (SSE and WebSocket) now; new ones end at once.

        uvicorn waits for open responses before it sends the lifespan shutdown, so this runs
        first, from `StreamClosingServer.shutdown` (`_serving.py`); `shutdown` calls it too.
        """
        self.core.events.close()

    async def shutdown(self) -> None:
        """Let operations finish (briefly), stop background passes, close everything."""
        self.console_ws.close_all()
        self.close_streams()
        await self.mcp.stop()
        await self.change_feed.stop()
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        await self.core.webhooks.worker.stop()  # unsent deliveries wait in the outbox
        await self.runner.shutdown(self.config.shutdown_grace)
        await self.backend.close()
        self.store.close()
        self._lock.release()

    async def _background(self) -> None:
        while True:
            await asyncio.sleep(self.config.reconcile_interval)
            try:
                await self.core.reconciler.tick()
            except Exception:  # one bad pass must not stop the next
                log.exception("reconciliation pass failed")
            try:
                self.idempotency.prune()  # at most once a minute
            except Exception:
                log.exception("pruning expired idempotency keys failed")
            try:
                self.event_retention.prune()  # at most once every ten minutes
            except Exception:
                log.exception("pruning old events failed")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] == "http" and scope["path"] == MCP_PATH:
            await self.mcp(scope, receive, send)
            return
        if scope["type"] == "websocket" and scope["path"] == EVENTS_WS_PATH:
            await self.events_ws(scope, receive, send)
            return
        if scope["type"] == "websocket" and CONSOLE_WS_PATH.match(scope["path"]):
            await self.console_ws(scope, receive, send)
            return
        if scope["type"] == "http" and scope["path"] in _OUTSIDE_SPEC:
            await self._outside_spec(scope, receive, send)
            return
        await self.router(scope, receive, send)

    async def _outside_spec(self, scope: Scope, receive: Receive, send: Send) -> None:
        """`/docs` (public, like /openapi.json) and `/metrics` (needs a token)."""
        response: Response
        if scope["method"] not in {"GET", "HEAD"}:
            exc = ProblemError(405, "METHOD_NOT_ALLOWED", "only GET here", headers={"Allow": "GET"})
            response = problem_response(exc, instance=scope["path"], request_id=None)
        elif scope["path"] == "/docs":
            response = Response(docs_html(), media_type="text/html; charset=utf-8")
        else:
            try:
                principal = self._principal(scope)
                self.core.auth.authorize(principal, "read")
            except ProblemError as exc:
                response = problem_response(exc, instance=scope["path"], request_id=None)
            else:
                response = Response(self.metrics.render(), media_type=METRICS_CONTENT_TYPE)
        await response(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:
                    log.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _authorization(scope: Scope) -> str | None:
    # scan the raw headers: building Starlette's Headers object costs more than the check
    for name, value in scope["headers"]:
        if name == b"authorization":
            return str(value.decode("latin-1"))
    return None


def create_app(config: ServerConfig, *, backend: Backend | None = None) -> VmkitApp:
    """Build the server's ASGI app (startup happens on the ASGI lifespan event)."""
    return VmkitApp(config, backend=backend)
