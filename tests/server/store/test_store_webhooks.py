"""Webhooks in the store: migration 2, the outbox written with each event, the cache of
enabled webhooks, due deliveries, paging and pruning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect
from store_helpers import FakeClock

from vmkit_server.store import EventRow, Store, Tx, WebhookRow
from vmkit_server.store.db import create_store_engine
from vmkit_server.store.migrations import MIGRATIONS, run_migrations

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _hook(tx: Tx, name: str, types: list[str], *, enabled: bool = True) -> WebhookRow:
    return tx.insert_webhook(
        id=f"wh_{name}",
        url=f"http://127.0.0.1:9/{name}",
        types=types,
        secret=SECRET,
        enabled=enabled,
    )


def _event(tx: Tx, type_: str) -> EventRow:
    return tx.append_event(type_, subject_type="vm", subject_id="vm_a", vm_id="vm_a", data={"n": 1})


def _queued(store: Store, webhook_id: str) -> list[str]:
    with store.read() as tx:
        rows = tx.list_webhook_deliveries(webhook_id, page_size=100)
    return [r.event_type for r in sorted(rows, key=lambda r: r.event_id or 0)]


def test_a_version_1_database_climbs_to_version_2_keeping_its_data(
    db_url: str, clock: FakeClock
) -> None:
    """Migration 1 creates only the version-1 tables; opening the store adds the webhook ones."""
    engine = create_store_engine(db_url)
    try:
        assert [1] == run_migrations(engine.begin, clock=clock, migrations=MIGRATIONS[:1])
        assert "webhooks" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    store = Store.open(db_url, clock=clock)
    try:
        assert 2 == store.schema_version()
        tables = set(inspect(store.engine).get_table_names())
        assert {"webhooks", "webhook_deliveries"} <= tables
    finally:
        store.close()


def test_an_event_queues_one_delivery_per_matching_enabled_webhook(store: Store) -> None:
    """Exact types, prefix patterns and `*` match; other types and disabled webhooks don't."""
    with store.tx() as tx:
        _hook(tx, "all", ["*"])
        _hook(tx, "vms", ["vm.*"])
        _hook(tx, "created", ["vm.created", "operation.finished"])
        _hook(tx, "off", ["*"], enabled=False)
        _hook(tx, "vmx", ["vmx.*"])
    with store.tx() as tx:
        for type_ in ("vm.created", "vm.snapshot.created", "operation.finished", "host.offline"):
            _event(tx, type_)
    assert ["vm.created", "vm.snapshot.created", "operation.finished", "host.offline"] == _queued(
        store, "wh_all"
    )
    assert ["vm.created", "vm.snapshot.created"] == _queued(store, "wh_vms")
    assert ["vm.created", "operation.finished"] == _queued(store, "wh_created")
    assert [] == _queued(store, "wh_off")
    assert [] == _queued(store, "wh_vmx")


def test_the_outbox_row_is_written_in_the_events_transaction(store: Store) -> None:
    """A change that rolls back leaves neither its event nor its deliveries."""
    with store.tx() as tx:
        _hook(tx, "all", ["*"])
    with pytest.raises(RuntimeError), store.tx() as tx:
        _event(tx, "vm.created")
        assert ["vm.created"] == [
            r.event_type for r in tx.list_webhook_deliveries("wh_all", page_size=10)
        ]
        raise RuntimeError("the change fails")
    assert [] == _queued(store, "wh_all")
    with store.read() as tx:
        assert tx.last_event_id() is None


def test_a_delivery_carries_the_standard_webhooks_payload(store: Store, clock: FakeClock) -> None:
    """Pending, due now, a `msg_` id, and `{type, timestamp, data}` with the Event as data."""
    with store.tx() as tx:
        _hook(tx, "all", ["*"])
        event = _event(tx, "vm.created")
    with store.read() as tx:
        (row,) = tx.list_webhook_deliveries("wh_all", page_size=10)
    assert ("pending", 0, event.id, clock.now, clock.now) == (
        row.state,
        row.attempts,
        row.event_id,
        row.created_at,
        row.next_attempt_at,
    )
    assert row.message_id.startswith("msg_") and row.id.startswith("whd_")
    stamp = row.payload["timestamp"]
    assert {
        "type": "vm.created",
        "timestamp": stamp,
        "data": {
            "id": event.id,
            "type": "vm.created",
            "time": stamp,
            "subject_type": "vm",
            "subject_id": "vm_a",
            "vm_id": "vm_a",
            "data": {"n": 1},
        },
    } == row.payload


def test_webhook_writes_refresh_the_cache_and_a_rollback_leaves_it_true(store: Store) -> None:
    """A webhook created, disabled or deleted is seen by the next event at once; one created
    in a transaction that rolls back is never seen, even by later transactions."""
    with store.tx() as tx:
        assert () == tx.enabled_webhooks()
        _hook(tx, "a", ["*"])
        assert (("wh_a", ("*",)),) == tx.enabled_webhooks()
    with pytest.raises(RuntimeError), store.tx() as tx:
        _hook(tx, "ghost", ["*"])
        assert 2 == len(tx.enabled_webhooks())
        raise RuntimeError("undo")
    with store.tx() as tx:
        assert ["wh_a"] == [w for w, _ in tx.enabled_webhooks()]
        tx.update_webhook("wh_a", enabled=False)
    with store.tx() as tx:
        assert () == tx.enabled_webhooks()
        _event(tx, "vm.created")
        tx.update_webhook("wh_a", enabled=True, types=["vm.*"])
    with store.tx() as tx:
        assert (("wh_a", ("vm.*",)),) == tx.enabled_webhooks()
        tx.delete_webhook("wh_a")
    with store.read() as tx:
        assert () == tx.enabled_webhooks()


def test_deleting_a_webhook_drops_its_deliveries(store: Store) -> None:
    """Pending deliveries go with their webhook (a cascade)."""
    with store.tx() as tx:
        _hook(tx, "a", ["*"])
        _event(tx, "vm.created")
        delivery = tx.list_webhook_deliveries("wh_a", page_size=1)[0]
        assert tx.delete_webhook("wh_a")
        assert tx.get_webhook_delivery(delivery.id) is None


def test_due_deliveries_are_one_per_webhook_oldest_first(store: Store, clock: FakeClock) -> None:
    """Each webhook's longest-waiting due delivery; not yet due, finished, in-flight webhooks
    and disabled webhooks (except pings) are left out; the next due time is reported."""
    with store.tx() as tx:
        _hook(tx, "a", ["*"])
        _hook(tx, "b", ["*"])
        first = _event(tx, "vm.created")
    clock.advance()
    with store.tx() as tx:
        _event(tx, "vm.updated")
        _hook(tx, "off", ["*"], enabled=False)
        ping = tx.insert_webhook_delivery(
            webhook_id="wh_off", event_type="webhook.ping", payload={"type": "webhook.ping"}
        )
    with store.read() as tx:
        due = tx.due_webhook_deliveries(clock.now, limit=10)
        assert [("wh_a", first.id), ("wh_b", first.id), ("wh_off", None)] == sorted(
            (d.webhook_id, d.event_id) for d in due
        )
        assert ["wh_b"] == [
            d.webhook_id
            for d in tx.due_webhook_deliveries(
                clock.now, limit=10, skip_webhooks=["wh_a", "wh_off"]
            )
        ]
        assert 1 == len(tx.due_webhook_deliveries(clock.now, limit=1))
    with store.tx() as tx:
        for d in due:
            later = clock.now + timedelta(seconds=30)
            tx.update_webhook_delivery(d.id, attempts=1, next_attempt_at=later)
        tx.update_webhook_delivery(ping.id, state="succeeded", next_attempt_at=None)
    with store.read() as tx:
        assert ["vm.updated", "vm.updated"] == [
            d.event_type for d in tx.due_webhook_deliveries(clock.now, limit=10)
        ]
        assert clock.now == tx.next_webhook_delivery_due()
        assert tx.next_webhook_delivery_due(skip_webhooks=["wh_a", "wh_b"]) is None


def test_deliveries_page_newest_first(store: Store, clock: FakeClock) -> None:
    """Pages run from the newest delivery back, without gaps or repeats."""
    with store.tx() as tx:
        _hook(tx, "a", ["*"])
    for _ in range(5):
        clock.advance()
        with store.tx() as tx:
            _event(tx, "vm.updated")
    seen = []
    before = None
    with store.read() as tx:
        while True:
            rows = tx.list_webhook_deliveries("wh_a", page_size=2, before=before)
            seen += rows[:2]
            if len(rows) <= 2:
                break
            before = (rows[1].created_at, rows[1].id)
    times = [r.created_at for r in seen]
    assert 5 == len({r.id for r in seen})
    assert sorted(times, reverse=True) == times


def test_finished_deliveries_are_pruned_pending_ones_kept(store: Store, clock: FakeClock) -> None:
    """Pruning deletes succeeded and failed deliveries last tried before the cut, only."""
    with store.tx() as tx:
        _hook(tx, "a", ["*"])
        for _ in range(3):
            _event(tx, "vm.updated")
        done, failed, pending = tx.list_webhook_deliveries("wh_a", page_size=3)
        tx.update_webhook_delivery(done.id, state="succeeded", last_attempt_at=clock.now)
        tx.update_webhook_delivery(failed.id, state="failed", last_attempt_at=clock.now)
        tx.update_webhook_delivery(pending.id, attempts=1, last_attempt_at=clock.now)
    with store.tx() as tx:
        assert 0 == tx.prune_webhook_deliveries(clock.now)
        assert 2 == tx.prune_webhook_deliveries(clock.now + timedelta(seconds=1))
        assert [pending.id] == [r.id for r in tx.list_webhook_deliveries("wh_a", page_size=3)]
