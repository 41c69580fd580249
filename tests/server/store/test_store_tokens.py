"""API token rows (stored hashed)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from store_helpers import FakeClock

from vmkit_server.store import Store, StoreConflictError, TokenRow, Tx


def _token(tx: Tx, token_id: str, secret: str, **kw: object) -> TokenRow:
    return tx.insert_token(
        id=token_id,
        name=f"{token_id} token",
        prefix=secret[:8],
        hash=hashlib.sha256(secret.encode()).hexdigest(),
        scopes=["read", "write"],
        **kw,  # type: ignore[arg-type]
    )


def test_insert_get_and_find_by_hash(store: Store, clock: FakeClock) -> None:
    """A token is found by id and by the hash of its secret."""
    expires = clock.now + timedelta(days=30)
    with store.tx() as tx:
        token = _token(tx, "tok_1", "vmk_secret1", expires_at=expires)
    assert (["read", "write"], clock.now, expires, None, None) == (
        token.scopes,
        token.created_at,
        token.expires_at,
        token.revoked_at,
        token.last_used_at,
    )
    with store.read() as tx:
        assert token == tx.get_token("tok_1")
        assert token == tx.find_token_by_hash(hashlib.sha256(b"vmk_secret1").hexdigest())
        assert tx.find_token_by_hash("0" * 64) is None
        assert tx.get_token("tok_nope") is None


def test_hash_is_unique(store: Store) -> None:
    """Two tokens cannot share a hash."""
    with store.tx() as tx:
        _token(tx, "tok_1", "vmk_same")
    with pytest.raises(StoreConflictError), store.tx() as tx:
        _token(tx, "tok_2", "vmk_same")


def test_touch_revoke_list_count(store: Store, clock: FakeClock) -> None:
    """touch sets last_used_at; revoke keeps the first time; list/count see all."""
    with store.tx() as tx:
        _token(tx, "tok_b", "vmk_b")
        _token(tx, "tok_a", "vmk_a")
        used = clock.advance()
        assert tx.touch_token("tok_a", used)
        assert not tx.touch_token("tok_missing", used)
        revoked = clock.advance()
        first = tx.revoke_token("tok_a", revoked)
        again = tx.revoke_token("tok_a", clock.advance())
        assert tx.revoke_token("tok_missing", revoked) is None
    assert first is not None and again is not None
    assert (used, revoked, revoked) == (first.last_used_at, first.revoked_at, again.revoked_at)
    with store.read() as tx:
        assert [t.id for t in tx.list_tokens()] == ["tok_a", "tok_b"]
        assert tx.count_tokens() == 2
