"""The delivery worker on a clock that only moves when told: signing, retries on schedule
with the same webhook-id, final failure, disabling with an event, pings, and the sender's
address policy. The network is replaced by a recording sender; the real one is used end to
end in tests/e2e/test_e2e_webhooks.py."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vmkit.webhooks import verify
from vmkit_server.backends import load_backend
from vmkit_server.core.context import Services
from vmkit_server.core.runner import OperationRunner
from vmkit_server.core.webhooks import (
    AttemptError,
    DeliveryWorker,
    HttpSender,
    WebhookSettings,
)
from vmkit_server.store import Store, WebhookDeliveryRow

pytestmark = pytest.mark.anyio

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SCHEDULE = (5.0, 300.0)


class Clock:
    """A wall clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Sender:
    """Records what would be POSTed and answers with the next of `answers` (int or error)."""

    answers: list[int | str] = field(default_factory=list)
    sent: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)

    async def send(self, url: str, headers: Mapping[str, str], body: bytes) -> int:
        self.sent.append((url, dict(headers), body))
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, str):
            raise AttemptError(answer)
        return answer

    async def aclose(self) -> None:
        pass


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'vmkit.db'}", clock=clock)
    yield s
    s.close()


@pytest.fixture
def svc(store: Store, clock: Clock, tmp_path: Path) -> Services:
    backend = load_backend("simulated", data_dir=tmp_path, options={})
    return Services(store, backend, OperationRunner(store, clock), clock)


def _worker(svc: Services, sender: Sender, **settings: object) -> DeliveryWorker:
    options: dict[str, object] = {"retry_schedule": SCHEDULE, "jitter": 0.0, "disable_after": 2}
    options.update(settings)
    return DeliveryWorker(svc, WebhookSettings(**options), sender=sender)  # type: ignore[arg-type]


def _hook(store: Store, name: str, types: list[str]) -> str:
    with store.tx() as tx:
        return tx.insert_webhook(
            id=f"wh_{name}", url=f"http://receiver.test/{name}", types=types, secret=SECRET
        ).id


def _event(store: Store, type_: str = "vm.created") -> None:
    with store.tx() as tx:
        tx.append_event(type_, subject_type="vm", subject_id="vm_a", vm_id="vm_a", data={})


def _delivery(store: Store, webhook_id: str) -> WebhookDeliveryRow:
    with store.read() as tx:
        return tx.list_webhook_deliveries(webhook_id, page_size=1)[0]


async def test_an_attempt_is_signed_per_standard_webhooks(svc: Services, clock: Clock) -> None:
    """The SDK's verifier accepts what the worker sends; the body is the stored payload."""
    sender = Sender()
    hook = _hook(svc.store, "a", ["*"])
    _event(svc.store)
    (done,) = await _worker(svc, sender).deliver_due()
    ((url, headers, body),) = sender.sent
    assert "http://receiver.test/a" == url
    payload = verify(body, headers, SECRET, now=clock.now)
    assert ("vm.created", done.message_id) == (payload["type"], headers["webhook-id"])
    assert str(int(clock.now.timestamp())) == headers["webhook-timestamp"]
    assert ("succeeded", 1, 200, clock.now) == (
        done.state,
        done.attempts,
        done.response_status,
        done.delivered_at,
    )
    assert hook == done.webhook_id


async def test_failures_are_retried_on_schedule_with_the_same_id_then_fail(
    svc: Services, clock: Clock
) -> None:
    """After each failure the next attempt waits its delay; nothing is sent earlier; the
    webhook-id never changes; after the last delay the delivery is `failed`."""
    sender = Sender(answers=[500, "connection refused", 503])
    worker = _worker(svc, sender)
    hook = _hook(svc.store, "a", ["vm.created"])
    _event(svc.store)
    (first,) = await worker.deliver_due()
    assert ("pending", 1, 500) == (first.state, first.attempts, first.response_status)
    assert "the receiver answered HTTP 500" == first.error
    assert clock.now + timedelta(seconds=5) == first.next_attempt_at
    clock.advance(4.9)
    assert [] == await worker.deliver_due()
    clock.advance(0.1)
    (second,) = await worker.deliver_due()
    assert ("pending", 2, None, "connection refused") == (
        second.state,
        second.attempts,
        second.response_status,
        second.error,
    )
    assert clock.now + timedelta(seconds=300) == second.next_attempt_at
    clock.advance(300)
    (third,) = await worker.deliver_due()
    assert ("failed", 3, None) == (third.state, third.attempts, third.next_attempt_at)
    clock.advance(86400)
    assert [] == await worker.deliver_due()
    assert 1 == len({headers["webhook-id"] for _, headers, _ in sender.sent})
    assert 3 == len(sender.sent)
    with svc.store.read() as tx:
        assert 1 == tx.get_webhook(hook).failure_count  # type: ignore[union-attr]


async def test_failing_deliveries_in_a_row_disable_the_webhook_with_an_event(
    svc: Services,
) -> None:
    """`disable_after` failed deliveries disable it (`failing`), append `webhook.disabled`
    (delivered to the other webhooks that want it) and stop new deliveries; a success in
    between resets the count."""
    sender = Sender(answers=[500, 200, 500, 500])
    worker = _worker(svc, sender, retry_schedule=())
    hook = _hook(svc.store, "bad", ["vm.*"])
    watch = _hook(svc.store, "watch", ["webhook.disabled"])
    for _ in range(4):
        _event(svc.store)
        await worker.deliver_due()
    with svc.store.read() as tx:
        row = tx.get_webhook(hook)
        events = tx.list_events(after_id=0, limit=100, types=["webhook.*"])
    assert row is not None
    assert (False, "failing", 2) == (row.enabled, row.disabled_reason, row.failure_count)
    (event,) = events
    assert ("webhook", hook, "failing") == (
        event.subject_type,
        event.subject_id,
        event.data["reason"],
    )
    assert event.data["webhook"]["enabled"] is False and "secret" not in event.data["webhook"]
    assert "webhook.disabled" == _delivery(svc.store, watch).event_type
    _event(svc.store)
    assert "vm.created" == _delivery(svc.store, hook).event_type
    with svc.store.read() as tx:
        assert 4 == len(tx.list_webhook_deliveries(hook, page_size=10))


async def test_a_ping_goes_to_a_disabled_webhook_and_counts_for_nothing(svc: Services) -> None:
    """Pings are sent while disabled, and their failures do not count toward disabling."""
    sender = Sender(answers=[500])
    worker = _worker(svc, sender, retry_schedule=(), disable_after=1)
    hook = _hook(svc.store, "a", ["*"])
    with svc.store.tx() as tx:
        tx.update_webhook(hook, enabled=False)
        tx.insert_webhook_delivery(webhook_id=hook, event_type="webhook.ping", payload={})
    (ping,) = await worker.deliver_due()
    assert ("failed", "webhook.ping") == (ping.state, ping.event_type)
    with svc.store.read() as tx:
        assert 0 == tx.get_webhook(hook).failure_count  # type: ignore[union-attr]


async def test_a_deleted_webhooks_delivery_is_dropped(svc: Services) -> None:
    """An attempt whose webhook is gone sends nothing and records nothing."""
    sender = Sender()
    hook = _hook(svc.store, "a", ["*"])
    _event(svc.store)
    delivery = _delivery(svc.store, hook)
    with svc.store.tx() as tx:
        tx.delete_webhook(hook)
    assert await _worker(svc, sender).deliver(delivery) is None
    assert [] == sender.sent


def test_retry_delays_are_jittered_within_bounds() -> None:
    """Each delay is stretched or shrunk by at most `jitter`; none is left after the schedule."""
    low = WebhookSettings(retry_schedule=(10.0, 20.0), jitter=0.1, rng=lambda: 0.0)
    high = WebhookSettings(retry_schedule=(10.0, 20.0), jitter=0.1, rng=lambda: 0.999999)
    assert timedelta(seconds=9) == low.retry_delay(1)
    assert 22 > high.retry_delay(2).total_seconds() > 21.99  # type: ignore[union-attr]
    assert low.retry_delay(3) is None
    with pytest.raises(ValueError):
        WebhookSettings(jitter=1.0)


async def test_the_http_sender_refuses_an_address_before_connecting() -> None:
    """A URL whose address the settings forbid is refused as an attempt error, unsent."""
    sender = HttpSender(WebhookSettings(allow_private=False))
    try:
        with pytest.raises(AttemptError, match=r"refused: 127\.0\.0\.1 is a loopback"):
            await sender.send("http://127.0.0.1:1/", {}, b"{}")
        with pytest.raises(AttemptError, match=r"refused: 169\.254\.169\.254 is link-local"):
            await sender.send("http://169.254.169.254/latest/meta-data/", {}, b"{}")
    finally:
        await sender.aclose()
