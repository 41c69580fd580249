"""The durable event log: monotonic ids, filters and pruning."""

from __future__ import annotations

from datetime import timedelta

from store_helpers import FakeClock

from vmkit_server.store import EventRow, Store, Tx


def _ev(tx: Tx, type: str, vm_id: str | None = "vm_a") -> EventRow:
    return tx.append_event(
        type, subject_type="vm", subject_id=vm_id or "x", vm_id=vm_id, data={"t": type}
    )


def test_append_and_list(store: Store, clock: FakeClock) -> None:
    """Events come back in id order after the given id, with their data."""
    with store.tx() as tx:
        first = _ev(tx, "vm.created")
        second = _ev(tx, "vm.state_changed")
    assert first.id < second.id
    assert (clock.now, {"t": "vm.created"}) == (first.time, first.data)
    with store.read() as tx:
        assert [first, second] == tx.list_events(after_id=0, limit=10)
        assert [second] == tx.list_events(after_id=first.id, limit=10)
        assert [first] == tx.list_events(after_id=0, limit=1)


def test_type_patterns_and_vm_filter(store: Store) -> None:
    """types= matches exact names and prefix patterns; vm_id= keeps one VM's events."""
    with store.tx() as tx:
        _ev(tx, "vm.created", "vm_a")
        _ev(tx, "vm.snapshot.created", "vm_b")
        _ev(tx, "operation.finished", "vm_a")
        _ev(tx, "vmx.other", None)
        _ev(tx, "host.offline", None)
    with store.read() as tx:

        def types(**kw: object) -> list[str]:
            rows = tx.list_events(after_id=0, limit=10, **kw)  # type: ignore[arg-type]
            return [e.type for e in rows]

        assert types(types=["vm.*"]) == ["vm.created", "vm.snapshot.created"]
        assert types(types=["vm.*", "host.offline"]) == [
            "vm.created",
            "vm.snapshot.created",
            "host.offline",
        ]
        assert types(types=["operation.finished"]) == ["operation.finished"]
        assert len(types(types=["*"])) == 5
        assert types(vm_id="vm_a") == ["vm.created", "operation.finished"]
        assert types(vm_id="vm_a", types=["vm.*"]) == ["vm.created"]


def test_ids_never_reused_after_delete_and_reopen(db_url: str, clock: FakeClock) -> None:
    """After pruning every event and reopening, new ids still exceed all earlier ones."""
    store = Store.open(db_url, clock=clock)
    with store.tx() as tx:
        _ev(tx, "vm.created")
        last = _ev(tx, "vm.deleted")
    clock.advance(3600)
    with store.tx() as tx:
        assert tx.prune_events(clock.now) == 2
        assert (tx.first_event_id(), tx.last_event_id()) == (None, None)
    store.close()
    reopened = Store.open(db_url, clock=clock)
    try:
        with reopened.tx() as tx:
            fresh = _ev(tx, "vm.created")
        assert fresh.id > last.id
    finally:
        reopened.close()


def test_first_last_and_prune(store: Store, clock: FakeClock) -> None:
    """prune_events keeps events at or after the cut-off; first/last ids follow."""
    with store.tx() as tx:
        old = _ev(tx, "vm.created")
        cut = clock.advance(60)
        kept = _ev(tx, "vm.updated")
        newest = _ev(tx, "vm.updated")
        assert (old.id, newest.id) == (tx.first_event_id(), tx.last_event_id())
        assert tx.prune_events(cut) == 1
        assert tx.prune_events(cut - timedelta(seconds=1)) == 0
        assert (kept.id, newest.id) == (tx.first_event_id(), tx.last_event_id())
