"""VM rows: insert, lookup, update with generations, paging and filters."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy import event
from store_helpers import FakeClock, make_vm

from vmkit_server.store import Store, StoreConflictError, StoreError


def test_insert_fills_bookkeeping(store: Store, clock: FakeClock) -> None:
    """insert_vm starts at generation 1 with all times set to the clock."""
    with store.tx() as tx:
        vm = make_vm(tx, "web", labels={"env": "prod"}, ip_addresses=["10.0.0.2"])
    assert (1, clock.now, clock.now, clock.now) == (
        vm.generation,
        vm.created_at,
        vm.updated_at,
        vm.state_changed_at,
    )
    assert vm.labels == {"env": "prod"}
    assert vm.ip_addresses == ["10.0.0.2"]
    assert vm.extra == {}
    assert vm.created_at.tzinfo == UTC


def test_get_by_id_and_by_name(store: Store) -> None:
    """get_vm finds a VM by its id or its name, and returns None otherwise."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
    with store.read() as tx:
        assert vm == tx.get_vm("vm_web")
        assert vm == tx.get_vm("web")
        assert tx.get_vm("vm_nope") is None
        assert tx.get_vm("nope") is None


def test_get_vm_uses_an_index(store: Store) -> None:
    """Both lookups of get_vm are index searches, never table scans."""
    plans: list[str] = []

    def capture(conn: object, cursor: object, statement: str, params: object, *_: object) -> None:
        if statement.startswith("SELECT"):
            rows = cursor.connection.execute(  # type: ignore[attr-defined]
                "EXPLAIN QUERY PLAN " + statement, params
            ).fetchall()
            plans.append(" ".join(r[3] for r in rows))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with store.read() as tx:
            tx.get_vm("vm_x")
            tx.get_vm("x")
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert len(plans) == 2
    for plan in plans:
        assert "USING INDEX" in plan or "USING PRIMARY KEY" in plan, plan


def test_duplicate_name_is_a_conflict(store: Store) -> None:
    """A second VM with a taken name raises StoreConflictError."""
    with store.tx() as tx:
        make_vm(tx, "web")
    with pytest.raises(StoreConflictError), store.tx() as tx:
        make_vm(tx, "web", id="vm_other")


def test_update_bumps_generation_and_times(store: Store, clock: FakeClock) -> None:
    """update_vm bumps generation and updated_at, and state_changed_at on a new state."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
    changed = clock.advance()
    with store.tx() as tx:
        started = tx.update_vm(vm.id, state="running", state_reason="booted")
    assert started is not None
    assert (2, changed, changed, "running", "booted") == (
        started.generation,
        started.updated_at,
        started.state_changed_at,
        started.state,
        started.state_reason,
    )
    later = clock.advance()
    with store.tx() as tx:
        same_state = tx.update_vm(vm.id, state="running", ready=True)
    assert same_state is not None
    assert (3, later, changed, True) == (
        same_state.generation,
        same_state.updated_at,
        same_state.state_changed_at,
        same_state.ready,
    )


def test_update_with_expected_generation(store: Store) -> None:
    """A stale expected_generation changes nothing and returns None; a fresh one works."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        assert tx.update_vm(vm.id, expected_generation=vm.generation + 1, cpus=4) is None
        updated = tx.update_vm(vm.id, expected_generation=vm.generation, cpus=4)
    assert updated is not None
    assert (updated.cpus, updated.generation) == (4, 2)
    with store.read() as tx:
        assert updated == tx.get_vm(vm.id)


def test_update_missing_vm_returns_none(store: Store) -> None:
    """update_vm on an unknown id returns None."""
    with store.tx() as tx:
        assert tx.update_vm("vm_missing", cpus=2) is None


def test_update_refuses_immutable_or_unknown_columns(store: Store) -> None:
    """update_vm rejects id, generation and columns that do not exist."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        with pytest.raises(StoreError, match="generation"):
            tx.update_vm(vm.id, generation=9)
        with pytest.raises(StoreError, match="colour"):
            tx.update_vm(vm.id, colour="red")


def test_update_json_columns(store: Store) -> None:
    """JSON columns round-trip through update_vm."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        updated = tx.update_vm(
            vm.id, labels={"a": "1"}, ip_addresses=["10.0.0.9"], extra={"pid": 42}
        )
    assert updated is not None
    assert (
        updated.labels,
        updated.ip_addresses,
        updated.extra,
    ) == ({"a": "1"}, ["10.0.0.9"], {"pid": 42})


def test_delete_vm(store: Store) -> None:
    """delete_vm removes the VM and says whether it existed."""
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        assert tx.delete_vm(vm.id)
        assert not tx.delete_vm(vm.id)
        assert tx.get_vm(vm.id) is None


def test_paging_with_equal_timestamps(store: Store) -> None:
    """With one instant for every VM, pages follow id order with no gaps or repeats."""
    with store.tx() as tx:
        for name in ["e", "c", "a", "d", "b"]:
            make_vm(tx, name)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        with store.read() as tx:
            rows = tx.list_vms(page_size=2, after=after)
        pages += 1
        page, more = rows[:2], len(rows) > 2
        seen.extend(r.id for r in page)
        if not more:
            break
        after = (page[-1].created_at, page[-1].id)
    assert seen == ["vm_a", "vm_b", "vm_c", "vm_d", "vm_e"]
    assert pages == 3


def test_list_orders_by_creation_time_first(store: Store, clock: FakeClock) -> None:
    """An older VM comes first even when its id sorts last."""
    with store.tx() as tx:
        make_vm(tx, "z")
        clock.advance()
        make_vm(tx, "a")
    with store.read() as tx:
        assert [r.id for r in tx.list_vms(page_size=10, after=None)] == ["vm_z", "vm_a"]


def test_list_filters_by_states(store: Store) -> None:
    """states= keeps VMs in any of the given states."""
    with store.tx() as tx:
        make_vm(tx, "a", state="running")
        make_vm(tx, "b", state="stopped")
        make_vm(tx, "c", state="paused")
    with store.read() as tx:
        rows = tx.list_vms(page_size=10, after=None, states=["running", "paused"])
    assert [r.id for r in rows] == ["vm_a", "vm_c"]


def test_list_filters_by_every_label_pair(store: Store) -> None:
    """labels= keeps only VMs carrying all the given pairs, keys with dots and slashes too."""
    with store.tx() as tx:
        make_vm(tx, "a", labels={"env": "prod", "team": "core", "k8s.io/app": "web"})
        make_vm(tx, "b", labels={"env": "prod", "team": "edge"})
        make_vm(tx, "c", labels={"env": "dev", "team": "core"})
        make_vm(tx, "d", labels={})
    with store.read() as tx:

        def names(**labels: str) -> list[str]:
            return [r.name for r in tx.list_vms(page_size=10, after=None, labels=labels)]

        assert names(env="prod") == ["a", "b"]
        assert names(env="prod", team="core") == ["a"]
        assert names(env="dev", team="edge") == []
        assert [
            r.name for r in tx.list_vms(page_size=10, after=None, labels={"k8s.io/app": "web"})
        ] == ["a"]
        rows = tx.list_vms(page_size=10, after=None, states=["stopped"], labels={"team": "core"})
        assert [r.name for r in rows] == ["a", "c"]


def test_expired_vms(store: Store, clock: FakeClock) -> None:
    """list_expired_vms returns VMs expiring at or before now, soonest first."""
    now = clock.now
    with store.tx() as tx:
        make_vm(tx, "late", expires_at=now - timedelta(seconds=10))
        make_vm(tx, "later", expires_at=now - timedelta(seconds=20))
        make_vm(tx, "exact", expires_at=now)
        make_vm(tx, "future", expires_at=now + timedelta(seconds=1))
        make_vm(tx, "forever")
    with store.read() as tx:
        assert [r.name for r in tx.list_expired_vms(now)] == ["later", "late", "exact"]


def test_all_and_count(store: Store) -> None:
    """all_vms and count_vms see every VM."""
    with store.tx() as tx:
        make_vm(tx, "a")
        make_vm(tx, "b")
    with store.read() as tx:
        assert [r.name for r in tx.all_vms()] == ["a", "b"]
        assert tx.count_vms() == 2


def test_rename_to_taken_name_is_a_conflict(store: Store) -> None:
    """update_vm to a name another VM holds raises StoreConflictError."""
    with store.tx() as tx:
        make_vm(tx, "a")
        b = make_vm(tx, "b")
    with pytest.raises(StoreConflictError), store.tx() as tx:
        tx.update_vm(b.id, name="a")


def test_explicit_state_changed_at_wins(store: Store, clock: FakeClock) -> None:
    """A caller-given state_changed_at (e.g. observed by the backend) is kept as is."""
    observed = clock.now
    with store.tx() as tx:
        vm = make_vm(tx, "web")
        clock.advance()
        updated = tx.update_vm(vm.id, state="running", state_changed_at=observed)
    assert updated is not None
    assert (updated.state_changed_at, updated.updated_at) == (observed, clock.now)
