"""Snapshot rows: lookup by id or name, updates, cascade and paging."""

from __future__ import annotations

import pytest
from store_helpers import FakeClock, make_vm

from vmkit_server.store import SnapshotRow, Store, StoreConflictError, Tx


def _snap(tx: Tx, vm_id: str, name: str, **fields: object) -> SnapshotRow:
    return tx.insert_snapshot(
        id=f"snap_{vm_id}_{name}",
        vm_id=vm_id,
        name=name,
        includes_memory=False,
        vm_state="stopped",
        **fields,  # type: ignore[arg-type]
    )


def test_insert_and_get_by_id_or_name(store: Store, clock: FakeClock) -> None:
    """A snapshot starts creating at generation 1 and is found by id or name within its VM."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        snap = _snap(tx, vm.id, "before-upgrade", description="safe point")
    assert ("creating", 1, clock.now, "safe point") == (
        snap.state,
        snap.generation,
        snap.created_at,
        snap.description,
    )
    with store.read() as tx:
        assert snap == tx.get_snapshot(vm.id, snap.id)
        assert snap == tx.get_snapshot(vm.id, "before-upgrade")
        assert tx.get_snapshot("vm_other", "before-upgrade") is None
        assert tx.get_snapshot(vm.id, "nope") is None


def test_names_are_unique_per_vm(store: Store) -> None:
    """The same name on two VMs is fine; twice on one VM is a conflict."""
    with store.tx() as tx:
        a = make_vm(tx, "a")
        b = make_vm(tx, "b")
        _snap(tx, a.id, "s1")
        _snap(tx, b.id, "s1")
    with pytest.raises(StoreConflictError), store.tx() as tx:
        tx.insert_snapshot(
            id="snap_dup", vm_id=a.id, name="s1", includes_memory=True, vm_state="running"
        )


def test_snapshot_needs_an_existing_vm(store: Store) -> None:
    """Foreign keys are enforced: a snapshot of a missing VM is refused."""
    with pytest.raises(StoreConflictError), store.tx() as tx:
        _snap(tx, "vm_missing", "s1")


def test_update_with_generation(store: Store, clock: FakeClock) -> None:
    """update_snapshot bumps the generation and honours expected_generation."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        snap = _snap(tx, vm.id, "s1")
    later = clock.advance()
    with store.tx() as tx:
        assert tx.update_snapshot(snap.id, expected_generation=7, state="ready") is None
        ready = tx.update_snapshot(snap.id, expected_generation=1, state="ready", size_bytes=10)
    assert ready is not None
    assert ("ready", 10, 2, later) == (
        ready.state,
        ready.size_bytes,
        ready.generation,
        ready.updated_at,
    )


def test_delete_and_cascade(store: Store) -> None:
    """delete_snapshot removes one; deleting the VM removes the rest."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        s1 = _snap(tx, vm.id, "s1")
        s2 = _snap(tx, vm.id, "s2")
        assert tx.delete_snapshot(s1.id)
        assert not tx.delete_snapshot(s1.id)
        tx.delete_vm(vm.id)
        assert tx.get_snapshot(vm.id, s2.id) is None


def test_paging_with_equal_timestamps(store: Store) -> None:
    """Pages of one VM's snapshots follow (created_at, id) and skip other VMs."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        other = make_vm(tx, "other")
        for name in ["c", "a", "b"]:
            _snap(tx, vm.id, name)
        _snap(tx, other.id, "x")
    with store.read() as tx:
        first = tx.list_snapshots(vm.id, page_size=2, after=None)
        last = first[1]
        second = tx.list_snapshots(vm.id, page_size=2, after=(last.created_at, last.id))
    assert [s.name for s in first] == ["a", "b", "c"]  # page_size + 1 rows
    assert [s.name for s in second] == ["c"]
