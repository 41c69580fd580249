"""Transaction methods for the ``tokens`` table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update

from vmkit_server.store._base import TxBase, after_clause
from vmkit_server.store._types import UTCDateTime
from vmkit_server.store.rows import TokenRow
from vmkit_server.store.schema import tokens

__all__ = ["TokensTx"]

_t = tokens.c
_INSERT = insert(tokens).returning(*tokens.c)
_GET = select(tokens).where(_t.id == bindparam("token_id"))
_BY_HASH = select(tokens).where(_t.hash == bindparam("token_hash"))
_LIST = select(tokens).order_by(_t.created_at, _t.id)
_COUNT = select(func.count()).select_from(tokens)
_TOUCH = (
    update(tokens)
    .where(_t.id == bindparam("token_id"))
    .values(last_used_at=bindparam("when", type_=UTCDateTime()))
)
# The first revocation time is kept: revoking twice is not an error and changes nothing.
_REVOKE = (
    update(tokens)
    .where(_t.id == bindparam("token_id"))
    .values(revoked_at=func.coalesce(_t.revoked_at, bindparam("when", type_=UTCDateTime())))
    .returning(*tokens.c)
)


class TokensTx(TxBase):
    """Reads and writes of API tokens (stored hashed)."""

    __slots__ = ()

    def insert_token(
        self,
        *,
        id: str,
        name: str,
        prefix: str,
        hash: str,
        scopes: Sequence[str],
        expires_at: datetime | None = None,
        created_at: datetime | None = None,
    ) -> TokenRow:
        """Record a new token created at ``created_at`` (default ``clock()``).

        Args:
            id: The token id chosen by the caller.
            name: A human name.
            prefix: The first characters of the secret, for display.
            hash: The sha256 hex digest of the secret.
            scopes: Its scopes (``read``, ``write``, ``connect``, ``admin``).
            expires_at: When it stops working, if ever.
            created_at: Its creation time, when the caller computed ``expires_at`` from it.

        Returns:
            The stored row.

        Raises:
            StoreConflictError: If the id or the hash is taken.
        """
        values = {
            "id": id,
            "name": name,
            "prefix": prefix,
            "hash": hash,
            "scopes": list(scopes),
            "created_at": created_at or self._now(),
            "expires_at": expires_at,
            "revoked_at": None,
            "last_used_at": None,
        }
        row = self._write(_INSERT, values).one()
        return TokenRow(**row._mapping)

    def get_token(self, token_id: str) -> TokenRow | None:
        """Find a token by id.

        Args:
            token_id: The token id.

        Returns:
            The row, or None.
        """
        row = self._run(_GET, {"token_id": token_id}).first()
        return None if row is None else TokenRow(**row._mapping)

    def find_token_by_hash(self, hash: str) -> TokenRow | None:
        """Find a token by the sha256 hex digest of its secret.

        Args:
            hash: The digest.

        Returns:
            The row (possibly revoked or expired: the caller decides), or None.
        """
        row = self._run(_BY_HASH, {"token_hash": hash}).first()
        return None if row is None else TokenRow(**row._mapping)

    def list_tokens(
        self, *, page_size: int | None = None, after: tuple[datetime, str] | None = None
    ) -> list[TokenRow]:
        """Tokens in (created_at, id) order: all of them, or one page.

        Args:
            page_size: The page size; up to ``page_size + 1`` rows are returned so the
                caller can tell whether there is a next page. None: every token.
            after: (created_at, id) of the last token of the previous page.

        Returns:
            The rows.
        """
        stmt = _LIST
        if after is not None:
            stmt = stmt.where(after_clause(_t.created_at, _t.id, after))
        if page_size is not None:
            stmt = stmt.limit(page_size + 1)
        return [TokenRow(**r._mapping) for r in self._run(stmt)]

    def touch_token(self, token_id: str, when: datetime) -> bool:
        """Record that a token was used.

        Args:
            token_id: The token id.
            when: The time of use.

        Returns:
            True if the token exists.
        """
        return self._rowcount(_TOUCH, {"token_id": token_id, "when": when}) > 0

    def revoke_token(self, token_id: str, when: datetime) -> TokenRow | None:
        """Revoke a token; a token already revoked keeps its first revocation time.

        Args:
            token_id: The token id.
            when: The time of revocation.

        Returns:
            The updated row, or None if there is no such token.
        """
        row = self._write(_REVOKE, {"token_id": token_id, "when": when}).first()
        return None if row is None else TokenRow(**row._mapping)

    def count_tokens(self) -> int:
        """The number of tokens, revoked ones included.

        Returns:
            The count.
        """
        count: int = self._run(_COUNT).scalar_one()
        return count
