"""Idempotency-Key records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_helpers import FakeClock

from vmkit_server.store import Store, StoreConflictError


def test_claim_complete_and_replay(store: Store, clock: FakeClock) -> None:
    """A key is claimed in flight, then completed with the answer to replay."""
    expires = clock.now + timedelta(hours=24)
    with store.tx() as tx:
        claimed = tx.insert_idempotency(
            token_id="tok_1", key="k1", request_hash="h1", expires_at=expires
        )
        assert ("in_flight", None, clock.now) == (
            claimed.state,
            claimed.status_code,
            claimed.created_at,
        )
        done = tx.complete_idempotency(
            "tok_1",
            "k1",
            status_code=202,
            response_headers={"location": "/v1/operations/op_1"},
            response_body=b'{"id": "op_1"}',
        )
    assert done is not None
    with store.read() as tx:
        assert done == tx.get_idempotency("tok_1", "k1")
        assert tx.get_idempotency("tok_2", "k1") is None
    assert (
        done.state,
        done.status_code,
        done.response_headers,
        done.response_body,
    ) == ("done", 202, {"location": "/v1/operations/op_1"}, b'{"id": "op_1"}')


def test_key_is_unique_per_token(store: Store, clock: FakeClock) -> None:
    """The same key may be used by two tokens but only once per token."""
    expires = clock.now + timedelta(hours=1)
    with store.tx() as tx:
        tx.insert_idempotency(token_id="tok_1", key="k", request_hash="h", expires_at=expires)
        tx.insert_idempotency(token_id="tok_2", key="k", request_hash="h", expires_at=expires)
    with pytest.raises(StoreConflictError), store.tx() as tx:
        tx.insert_idempotency(token_id="tok_1", key="k", request_hash="h2", expires_at=expires)


def test_delete_complete_missing_and_prune(store: Store, clock: FakeClock) -> None:
    """Records can be forgotten one by one or pruned once expired."""
    now = clock.now
    with store.tx() as tx:
        tx.insert_idempotency(token_id="t", key="old", request_hash="h", expires_at=now)
        tx.insert_idempotency(
            token_id="t", key="new", request_hash="h", expires_at=now + timedelta(seconds=1)
        )
        tx.insert_idempotency(token_id="t", key="drop", request_hash="h", expires_at=now)
        assert tx.delete_idempotency("t", "drop")
        assert not tx.delete_idempotency("t", "drop")
        missing = tx.complete_idempotency(
            "t", "drop", status_code=200, response_headers={}, response_body=b""
        )
        assert missing is None
        assert tx.prune_idempotency(now) == 1
        assert tx.get_idempotency("t", "old") is None
        assert tx.get_idempotency("t", "new") is not None
