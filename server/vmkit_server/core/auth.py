"""Bearer tokens: the first admin token, hashing, and checking a request's token.

Tokens are `vmk_` + 43 url-safe random characters. Only their SHA-256 is stored; the
plaintext of the first admin token is written once to `<data-dir>/admin-token` (0600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ..problems import ProblemError
from ..store import Store, TokenRow
from .clock import Clock
from .ids import new_id

__all__ = ["ADMIN_TOKEN_FILE", "Principal", "TokenAuthority", "hash_token", "new_token"]

ADMIN_TOKEN_FILE = "admin-token"
ALL_SCOPES = ("read", "write", "connect", "admin")
_TOUCH_EVERY = 60.0  # seconds between last-used updates of one token


def new_token() -> str:
    """A new plaintext token."""
    return "vmk_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who made a request.

    Attributes:
        token_id: The token's id.
        name: The token's name.
        scopes: What it may do.
    """

    token_id: str
    name: str
    scopes: frozenset[str]


def _unauthenticated(detail: str) -> ProblemError:
    return ProblemError(
        401, "UNAUTHENTICATED", detail, headers={"WWW-Authenticate": 'Bearer realm="vmkit"'}
    )


class TokenAuthority:
    """Creates the first admin token and authenticates requests.

    Args:
        store: Where token hashes live.
        clock: The wall clock (expiry, last use).
    """

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        # hash -> row; valid rows only, so the hot path needs no query
        self._cache: dict[str, tuple[TokenRow, Principal]] = {}
        self._touched: dict[str, float] = {}  # token id -> monotonic time of the last touch

    def ensure_admin_token(self, data_dir: Path) -> Path:
        """On first start, create an admin token and write its plaintext to a 0600 file.

        Returns:
            The token file's path (it may be missing if someone deleted it later).
        """
        path = data_dir / ADMIN_TOKEN_FILE
        with self._store.tx() as tx:
            if tx.count_tokens() > 0:
                return path
            token = new_token()
            tx.insert_token(
                id=new_id("tok"),
                name="admin",
                prefix=token[:8],
                hash=hash_token(token),
                scopes=list(ALL_SCOPES),
                expires_at=None,
            )
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, (token + "\n").encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
        return path

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal behind an `Authorization` header.

        Raises:
            ProblemError: 401 `UNAUTHENTICATED` for a missing, malformed, unknown, expired or
                revoked token.
        """
        if not authorization:
            raise _unauthenticated("this endpoint needs 'Authorization: Bearer <token>'")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise _unauthenticated("the Authorization header must be 'Bearer <token>'")
        digest = hash_token(token)
        cached = self._cache.get(digest)
        if cached is None:
            with self._store.read() as tx:
                row = tx.find_token_by_hash(digest)
            # the lookup is by hash; compare again in constant time to keep timing flat
            if row is None or not hmac.compare_digest(row.hash, digest):
                raise _unauthenticated("the token is not valid")
            cached = (row, Principal(row.id, row.name, frozenset(row.scopes)))
        row, principal = cached
        if row.revoked_at is not None or (
            row.expires_at is not None and row.expires_at <= self._clock()
        ):
            self._cache.pop(digest, None)
            raise _unauthenticated("the token has expired or was revoked")
        self._cache[digest] = cached
        tick = time.monotonic()
        if tick - self._touched.get(row.id, -_TOUCH_EVERY) >= _TOUCH_EVERY:
            self._touched[row.id] = tick
            with self._store.tx() as tx:
                tx.touch_token(row.id, self._clock())
        return principal

    def forget(self, token_id: str) -> None:
        """Drop a token from the cache (after revocation)."""
        self._cache = {h: c for h, c in self._cache.items() if c[0].id != token_id}
