"""Commit listeners hear the last event id of each committed write, and nothing else."""

from __future__ import annotations

import pytest

from vmkit_server.store import Store, Tx


def _append(tx: Tx, n: int) -> None:
    for i in range(n):
        tx.append_event("vm.updated", subject_type="vm", subject_id=f"vm_{i}", vm_id=None, data={})


def test_listeners_get_the_last_id_after_commit_only(store: Store) -> None:
    """One call per committed tx with events; none for a rollback or an event-less tx."""
    heard: list[int] = []
    store.on_events_committed(heard.append)
    with store.tx() as tx:
        _append(tx, 3)
        assert [] == heard  # not before the commit
    with store.read() as tx:
        last = tx.last_event_id()
    assert [last] == heard
    with pytest.raises(RuntimeError), store.tx() as tx:
        _append(tx, 1)
        raise RuntimeError("roll back")
    with store.tx() as tx:
        pass
    assert [last] == heard
