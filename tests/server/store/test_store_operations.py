"""Operation rows and their logs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_helpers import FakeClock

from vmkit_server.store import OperationRow, Store, StoreConflictError, Tx


def _op(tx: Tx, op_id: str, target: str = "vm_a", **fields: object) -> OperationRow:
    return tx.insert_operation(
        id=op_id,
        kind="vm.start",
        target_id=target,
        target_name=target.removeprefix("vm_"),
        **fields,  # type: ignore[arg-type]
    )


def test_insert_and_get(store: Store, clock: FakeClock) -> None:
    """A new operation is pending at generation 1 with empty error/result."""
    with store.tx() as tx:
        op = _op(tx, "op_1", params={"timeout_seconds": 30})
    assert ("pending", 1, None, None, {"timeout_seconds": 30}, False, clock.now) == (
        op.state,
        op.generation,
        op.error,
        op.result,
        op.params,
        op.cancel_requested,
        op.created_at,
    )
    with store.read() as tx:
        assert op == tx.get_operation("op_1")
        assert tx.get_operation("op_nope") is None


def test_update_progress_error_and_result(store: Store, clock: FakeClock) -> None:
    """update_operation stores JSON error/result, bumps generation, honours expectations."""
    with store.tx() as tx:
        _op(tx, "op_1")
        started = clock.advance()
        running = tx.update_operation("op_1", state="running", started_at=started, progress=0.5)
        assert running is not None
        assert tx.update_operation("op_1", expected_generation=1, state="failed") is None
        finished = clock.advance()
        failed = tx.update_operation(
            "op_1",
            expected_generation=2,
            state="failed",
            finished_at=finished,
            error={"code": "BACKEND_UNAVAILABLE", "status": 503},
        )
    assert failed is not None
    assert ("failed", 3, started, finished, {"code": "BACKEND_UNAVAILABLE", "status": 503}) == (
        failed.state,
        failed.generation,
        failed.started_at,
        failed.finished_at,
        failed.error,
    )
    assert failed.progress == 0.5


def test_list_filters_and_paging(store: Store) -> None:
    """list_operations pages in (created_at, id) order and filters by state/target/kind."""
    with store.tx() as tx:
        _op(tx, "op_c", "vm_a")
        _op(tx, "op_a", "vm_b", state="running")
        _op(tx, "op_b", "vm_a", state="succeeded")
        tx.insert_operation(id="op_d", kind="vm.stop", target_id="vm_a", target_name="a")
    with store.read() as tx:

        def ids(**kw: object) -> list[str]:
            rows = tx.list_operations(page_size=10, after=None, **kw)  # type: ignore[arg-type]
            return [r.id for r in rows]

        assert ids() == ["op_a", "op_b", "op_c", "op_d"]
        assert ids(target_id="vm_a") == ["op_b", "op_c", "op_d"]
        assert ids(states=["pending", "running"]) == ["op_a", "op_c", "op_d"]
        assert ids(kind="vm.stop") == ["op_d"]
        page = tx.list_operations(page_size=1, after=None)
        rest = tx.list_operations(page_size=10, after=(page[0].created_at, page[0].id))
    assert [r.id for r in page] == ["op_a", "op_b"]
    assert [r.id for r in rest] == ["op_b", "op_c", "op_d"]


def test_unfinished_and_active(store: Store, clock: FakeClock) -> None:
    """unfinished_operations and active_operation_for ignore finished operations."""
    with store.tx() as tx:
        _op(tx, "op_1", "vm_a", state="succeeded")
        clock.advance()
        _op(tx, "op_2", "vm_a", state="running")
        clock.advance()
        _op(tx, "op_3", "vm_b")
        clock.advance()
        _op(tx, "op_4", "vm_c", state="cancelled")
    with store.read() as tx:
        assert [o.id for o in tx.unfinished_operations()] == ["op_2", "op_3"]
        active = tx.active_operation_for("vm_a")
        assert active is not None
        assert active.id == "op_2"
        assert tx.active_operation_for("vm_c") is None


def test_prune_only_old_finished_operations(store: Store, clock: FakeClock) -> None:
    """prune_operations deletes finished ones before the cut-off, with their logs."""
    old = clock.now
    with store.tx() as tx:
        _op(tx, "op_old", state="succeeded")
        tx.update_operation("op_old", finished_at=old)
        tx.append_log("op_old", "info", "done")
        _op(tx, "op_running", state="running")
        _op(tx, "op_recent", state="failed")
        tx.update_operation("op_recent", finished_at=old + timedelta(days=8))
        assert tx.prune_operations(old + timedelta(days=7)) == 1
        assert tx.get_operation("op_old") is None
        assert tx.list_logs("op_old", after_seq=0, limit=10) == []
        assert {"op_running", "op_recent"} == {
            o.id for o in tx.list_operations(page_size=10, after=None)
        }


def test_logs_are_numbered_per_operation(store: Store, clock: FakeClock) -> None:
    """append_log numbers lines 1, 2, ... per operation; list_logs pages by seq."""
    with store.tx() as tx:
        _op(tx, "op_1")
        _op(tx, "op_2")
        first = tx.append_log("op_1", "info", "one")
        tx.append_log("op_2", "info", "other")
        tx.append_log("op_1", "warning", "two")
    with store.tx() as tx:
        third = tx.append_log("op_1", "error", "three")
    assert (1, 3, clock.now) == (first.seq, third.seq, third.time)
    with store.read() as tx:
        assert [r.message for r in tx.list_logs("op_1", after_seq=0, limit=2)] == ["one", "two"]
        rest = tx.list_logs("op_1", after_seq=2, limit=10)
        assert [(r.seq, r.level, r.message) for r in rest] == [(3, "error", "three")]
        assert [r.seq for r in tx.list_logs("op_2", after_seq=0, limit=10)] == [1]


def test_log_for_missing_operation_is_refused(store: Store) -> None:
    """A log line needs its operation (foreign key)."""
    with pytest.raises(StoreConflictError), store.tx() as tx:
        tx.append_log("op_missing", "info", "x")
