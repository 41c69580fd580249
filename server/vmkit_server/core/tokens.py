"""API tokens: their format, and the tokens API's rules (create, list, get, revoke).

A token is `vmk_` + 43 url-safe random characters (256 bits). Only its SHA-256 is stored,
with the 8 characters after `vmk_` as a `prefix` to tell tokens apart; the plaintext is
shown once, in the answer to the request that created it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from ..store import Store, TokenRow
from . import errors
from .clock import Clock
from .guards import require_etag
from .ids import new_id
from .paging import decode_page_token, page_of
from .views import token_view

__all__ = ["SCOPE_ORDER", "Tokens", "hash_token", "new_token", "token_prefix"]

#: The scopes in the order they are stored and shown.
SCOPE_ORDER = ("read", "write", "connect", "admin")
_SCHEME = "vmk_"


def new_token() -> str:
    """A new plaintext token: `vmk_` and 43 url-safe characters."""
    return _SCHEME + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token (its SHA-256, hex): enough for 256 random bits."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_prefix(token: str) -> str:
    """What lists show of a token: the first 8 characters after `vmk_`."""
    return token.removeprefix(_SCHEME)[:8]


class Tokens:
    """Creates, lists, reads and revokes API tokens.

    Args:
        store: Where token hashes live.
        clock: The wall clock (creation, expiry, revocation).
        on_revoke: Told the id of every token revoked, so caches forget it at once.
    """

    def __init__(self, store: Store, clock: Clock, *, on_revoke: Callable[[str], None]) -> None:
        self._store = store
        self._clock = clock
        self._on_revoke = on_revoke

    def create(self, body: Mapping[str, Any]) -> tuple[TokenRow, str]:
        """Make a token from a validated `TokenCreate` body.

        Returns:
            The stored row and the plaintext secret (which nothing keeps).
        """
        secret = new_token()
        wanted = set(body["scopes"])
        ttl = body.get("ttl_seconds")
        now = self._clock()
        expires_at = now + timedelta(seconds=ttl) if ttl else None
        with self._store.tx() as tx:
            row = tx.insert_token(
                id=new_id("tok"),
                name=body["name"],
                prefix=token_prefix(secret),
                hash=hash_token(secret),
                scopes=[s for s in SCOPE_ORDER if s in wanted],
                expires_at=expires_at,
                created_at=now,
            )
        return row, secret

    def list(
        self, *, page_size: int, page_token: str | None
    ) -> tuple[Sequence[TokenRow], str | None]:
        """One page of tokens, oldest first, and the next page's token."""
        after = decode_page_token(page_token)
        with self._store.read() as tx:
            rows = tx.list_tokens(page_size=page_size, after=after)
        return page_of(rows, page_size)

    def get(self, token_id: str) -> TokenRow:
        """One token.

        Raises:
            ProblemError: 404 `TOKEN_NOT_FOUND`.
        """
        with self._store.read() as tx:
            row = tx.get_token(token_id)
        if row is None:
            raise errors.not_found("token", token_id)
        return row

    def revoke(self, token_id: str, *, if_match: str | None) -> TokenRow:
        """Revoke a token: its next request is refused. Revoking twice changes nothing.

        Raises:
            ProblemError: 404 `TOKEN_NOT_FOUND`, 412 `PRECONDITION_FAILED`.
        """
        with self._store.tx() as tx:
            row = tx.get_token(token_id)
            if row is None:
                raise errors.not_found("token", token_id)
            require_etag(token_id, self.view(row)["etag"], if_match)
            revoked = tx.revoke_token(token_id, self._clock())
        assert revoked is not None  # read in the same transaction
        self._on_revoke(token_id)
        return revoked

    def view(self, row: TokenRow) -> dict[str, Any]:
        """The API's Token object for a row, as of now."""
        return token_view(row, self._clock())
