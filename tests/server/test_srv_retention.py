"""EventRetention deletes events past the retention period, at most once per interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from vmkit_server.core.retention import EventRetention
from vmkit_server.store import Store


class Clock:
    """A settable wall clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _event(store: Store) -> None:
    with store.tx() as tx:
        tx.append_event("vm.updated", subject_type="vm", subject_id="vm_x", vm_id=None, data={})


def test_old_events_go_recent_ones_stay_and_pruning_is_rate_limited(tmp_path: Path) -> None:
    """Events older than `keep` are deleted; a second prune within `every` does nothing."""
    clock = Clock()
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}", clock=clock)
    try:
        _event(store)
        clock.now += timedelta(days=2)
        _event(store)
        retention = EventRetention(
            store, clock, keep=timedelta(days=1), every=timedelta(minutes=10)
        )
        assert 1 == retention.prune()
        with store.read() as tx:
            assert 1 == len(tx.list_events(after_id=0, limit=10))
        clock.now += timedelta(minutes=5)
        assert 0 == retention.prune()  # too soon: the last prune was 5 minutes ago
        clock.now += timedelta(days=2)
        assert 1 == retention.prune()
    finally:
        store.close()
