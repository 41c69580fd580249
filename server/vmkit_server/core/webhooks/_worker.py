"""The delivery worker: sends what the outbox holds, records each attempt, retries, disables.

It wakes when events are committed (the bus), when a ping is queued or a webhook re-enabled,
when an attempt ends, and when the next retry is due; it never polls faster than that. At
most one attempt per webhook is in flight, and at most `max_parallel` webhooks at once. The
outbox rows are the truth: a delivery whose attempt was cut short (shutdown, crash) is still
pending, and is sent again, with the same `webhook-id`, as soon as the server runs again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta

from ...store import Tx, WebhookDeliveryRow, WebhookRow
from ..context import Services
from ..render import render_json
from ._sender import AttemptError, HttpSender, Sender
from ._settings import PING, WebhookSettings
from ._signing import secret_key, signature
from ._views import webhook_view

__all__ = ["DeliveryWorker"]

log = logging.getLogger("vmkit_server.webhooks")

_MIN_PAUSE = 0.01  # seconds; the clock and the database may disagree by a hair
_PRUNE_EVERY = timedelta(hours=1)


class DeliveryWorker:
    """Delivers pending webhook deliveries in the background.

    Args:
        svc: The shared services (store, clock, bus).
        settings: Retry schedule, URL policy, parallelism.
        sender: Sends attempts (default: :class:`HttpSender`, made at the first use).
    """

    def __init__(
        self, svc: Services, settings: WebhookSettings, *, sender: Sender | None = None
    ) -> None:
        self._svc = svc
        self._settings = settings
        self._sender = sender
        self._inflight: dict[str, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pruned_at: datetime | None = None
        self._subscribed = True  # whether any webhook is enabled, as of the last pass

    @property
    def sender(self) -> Sender:
        """The sender attempts go through."""
        if self._sender is None:
            self._sender = HttpSender(self._settings)
        return self._sender

    def start(self) -> None:
        """Start delivering in the background (call from the server's event loop)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="webhook-delivery"
            )

    async def stop(self) -> None:
        """Stop; attempts in flight are abandoned (their deliveries stay pending)."""
        tasks = [*self._inflight.values(), *([self._task] if self._task else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        self._inflight.clear()
        if self._sender is not None:
            await self._sender.aclose()
            self._sender = None

    def wake(self) -> None:
        """Look at the outbox now (a ping was queued, a webhook re-enabled)."""
        self._wake.set()

    async def deliver_due(self) -> list[WebhookDeliveryRow]:
        """Make one attempt for each webhook with a due delivery, and wait for them.

        The background loop does the same without waiting; this is for tests that drive
        the clock themselves.

        Returns:
            The deliveries as recorded after their attempts.
        """
        with self._svc.store.read() as tx:
            due = tx.due_webhook_deliveries(self._svc.clock(), limit=self._settings.max_parallel)
        done = await asyncio.gather(*(self.deliver(d) for d in due))
        return [d for d in done if d is not None]

    async def deliver(self, delivery: WebhookDeliveryRow) -> WebhookDeliveryRow | None:
        """Make one attempt of a delivery and record its outcome.

        Args:
            delivery: The pending delivery.

        Returns:
            The delivery as recorded, or None if its webhook is gone.
        """
        with self._svc.store.read() as tx:
            webhook = tx.get_webhook(delivery.webhook_id)
        if webhook is None:
            return None
        body = render_json(delivery.payload)
        started = self._svc.clock()
        timestamp = int(started.timestamp())
        headers = {
            "Content-Type": "application/json",
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(
                secret_key(webhook.secret), delivery.message_id, timestamp, body
            ),
        }
        status: int | None = None
        error: str | None = None
        clock = time.perf_counter()
        try:
            status = await self.sender.send(webhook.url, headers, body)
        except AttemptError as exc:
            error = exc.reason
        latency_ms = round((time.perf_counter() - clock) * 1000, 3)
        if status is not None and not 200 <= status < 300:
            error = f"the receiver answered HTTP {status}"
        return self._record(delivery, status, error, latency_ms, started)

    def _record(
        self,
        delivery: WebhookDeliveryRow,
        status: int | None,
        error: str | None,
        latency_ms: float,
        started: datetime,
    ) -> WebhookDeliveryRow | None:
        """Write an attempt's outcome; count a final failure against the webhook."""
        now = self._svc.clock()
        attempts = delivery.attempts + 1
        fields: dict[str, object] = {
            "attempts": attempts,
            "response_status": status,
            "latency_ms": latency_ms,
            "error": error,
            "last_attempt_at": started,
        }
        retry_in = None if error is None else self._settings.retry_delay(attempts)
        if error is None:
            fields.update(state="succeeded", next_attempt_at=None, delivered_at=now)
        elif retry_in is not None:
            fields.update(next_attempt_at=now + retry_in)
        else:
            fields.update(state="failed", next_attempt_at=None)
        with self._svc.store.tx() as tx:
            row = tx.update_webhook_delivery(delivery.id, **fields)
            if row is None or row.event_type == PING or row.state == "pending":
                return row
            webhook = tx.get_webhook(row.webhook_id)
            if webhook is not None:
                self._count(tx, webhook, failed=row.state == "failed")
        if row.state == "failed":
            log.warning(
                "webhook %s: delivery %s failed after %d attempts: %s",
                row.webhook_id,
                row.id,
                attempts,
                error,
            )
        return row

    def _count(self, tx: Tx, webhook: WebhookRow, *, failed: bool) -> None:
        """Deliveries failing in a row disable the webhook; a success resets the count."""
        if not failed:
            if webhook.failure_count:
                tx.update_webhook(webhook.id, failure_count=0)
            return
        count = webhook.failure_count + 1
        if count < self._settings.disable_after or not webhook.enabled:
            tx.update_webhook(webhook.id, failure_count=count)
            return
        disabled = tx.update_webhook(
            webhook.id, failure_count=count, enabled=False, disabled_reason="failing"
        )
        assert disabled is not None  # read in this transaction
        tx.append_event(
            "webhook.disabled",
            subject_type="webhook",
            subject_id=webhook.id,
            vm_id=None,
            data={"webhook": webhook_view(disabled), "reason": "failing"},
        )
        # not the URL: it may carry credentials
        log.warning("webhook %s disabled: %d deliveries in a row failed", webhook.id, count)

    async def _run(self) -> None:
        bus = self._svc.bus
        loop = asyncio.get_running_loop()
        seen = bus.last_id
        due_at = loop.time()  # when the next pending delivery is due (loop clock)
        while True:
            # New events matter only when some webhook is enabled (else they queue nothing);
            # pings and re-enabled webhooks call wake().
            events = bus.last_id > seen and self._subscribed
            seen = bus.last_id
            if events or self._wake.is_set() or loop.time() >= due_at:
                self._wake.clear()
                try:
                    pause = self._pass()
                except Exception:  # one bad pass must not stop deliveries for good
                    log.exception("webhook delivery pass failed")
                    pause = self._settings.poll_interval
                due_at = loop.time() + pause
            await self._sleep(seen, max(0.0, due_at - loop.time()))

    async def _sleep(self, seen: int, pause: float) -> None:
        """Until an event newer than `seen` is committed, `wake()`, or `pause` passes."""
        waits = {
            asyncio.ensure_future(self._svc.bus.wait_after(seen, pause)),
            asyncio.ensure_future(self._wake.wait()),
        }
        try:
            await asyncio.wait(waits, timeout=pause, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waits:
                waiter.cancel()

    def _pass(self) -> float:
        """Start attempts for what is due; return the seconds until the next is due."""
        settings = self._settings
        now = self._svc.clock()
        self._prune(now)
        free = settings.max_parallel - len(self._inflight)
        with self._svc.store.read() as tx:
            self._subscribed = bool(tx.enabled_webhooks())  # cached: no query, usually
            due = (
                tx.due_webhook_deliveries(now, limit=free, skip_webhooks=list(self._inflight))
                if free > 0
                else []
            )
            for delivery in due:
                self._inflight[delivery.webhook_id] = asyncio.get_running_loop().create_task(
                    self._attempt(delivery), name=f"webhook-delivery-{delivery.id}"
                )
            if len(self._inflight) >= settings.max_parallel:
                return settings.poll_interval  # the end of an attempt wakes the loop
            next_due = tx.next_webhook_delivery_due(skip_webhooks=list(self._inflight))
        if next_due is None:
            return settings.poll_interval
        wait = (next_due - self._svc.clock()).total_seconds()
        return min(settings.poll_interval, max(_MIN_PAUSE, wait))

    async def _attempt(self, delivery: WebhookDeliveryRow) -> None:
        try:
            await self.deliver(delivery)
        except Exception:
            log.exception(
                "webhook %s: delivery %s could not be attempted", delivery.webhook_id, delivery.id
            )
        finally:
            self._inflight.pop(delivery.webhook_id, None)
            self._wake.set()

    def _prune(self, now: datetime) -> None:
        if self._pruned_at is not None and now - self._pruned_at < _PRUNE_EVERY:
            return
        self._pruned_at = now
        try:
            with self._svc.store.tx() as tx:
                tx.prune_webhook_deliveries(now - timedelta(seconds=self._settings.keep_finished))
        except Exception:  # pruning can wait for the next hour
            log.exception("pruning finished webhook deliveries failed")
