"""Bearer tokens: the first admin token, checking a request's token, and its scopes.

Only a token's SHA-256 is stored (see `core.tokens` for the format and the tokens API). The
plaintext of the first admin token is written once to `<data-dir>/admin-token` (0600), and
the server refuses to start while that file is open to other users. This module decides who
a request comes from and whether it may do what it asks.
"""

from __future__ import annotations

import hmac
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..problems import PERMISSION_DENIED, UNAUTHENTICATED, ProblemError
from ..store import Store, TokenRow
from .clock import Clock
from .ids import new_id
from .tokens import SCOPE_ORDER, Tokens, hash_token, new_token, token_prefix

__all__ = [
    "ADMIN_TOKEN_FILE",
    "ALL_SCOPES",
    "InsecureTokenFileError",
    "Principal",
    "TokenAuthority",
    "check_token_file",
    "hash_token",
    "new_token",
    "token_prefix",
]

ADMIN_TOKEN_FILE = "admin-token"
ALL_SCOPES = SCOPE_ORDER
# How long a token's row is trusted without reading it again; also the resolution of its
# last-used time. Revocation through this process takes effect at once (see `forget`).
_REVALIDATE_EVERY = 60.0


class InsecureTokenFileError(ValueError):
    """The admin token file can be read or changed by users other than its owner."""


def check_token_file(path: Path) -> None:
    """Refuse a token file that group or others may access (a missing file is fine).

    Args:
        path: The admin token file.

    Raises:
        InsecureTokenFileError: Its mode has any group or other permission bit.
    """
    if os.name != "posix":
        return  # permission bits mean nothing elsewhere
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        raise InsecureTokenFileError(
            f"refusing to start: the admin token file {path} is accessible to other users "
            f"(mode {mode:04o}); restrict it with: chmod 600 {path}"
        )


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

    def allows(self, scope: str) -> bool:
        """Whether the token may call an operation that needs `scope` (`admin` may all)."""
        return scope in self.scopes or "admin" in self.scopes


@dataclass(frozen=True, slots=True)
class _Known:
    row: TokenRow
    principal: Principal
    checked: float  # monotonic time the row was read


def _unauthenticated(detail: str) -> ProblemError:
    return ProblemError(
        401, UNAUTHENTICATED, detail, headers={"WWW-Authenticate": 'Bearer realm="vmkit"'}
    )


class TokenAuthority:
    """Creates the first admin token, authenticates requests and checks their scopes.

    Args:
        store: Where token hashes live.
        clock: The wall clock (expiry, last use).
        monotonic: The clock that times how long a token's row is trusted (tests fake it).

    Attributes:
        tokens: Creating, listing, reading and revoking tokens.
    """

    def __init__(
        self, store: Store, clock: Clock, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._clock = clock
        self._monotonic = monotonic
        # hash -> what we know of a valid token, so the hot path needs no query
        self._cache: dict[str, _Known] = {}
        self.tokens = Tokens(store, clock, on_revoke=self.forget)

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
                prefix=token_prefix(token),
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
        known = self._cache.get(digest)
        tick = self._monotonic()
        if known is None or tick - known.checked >= _REVALIDATE_EVERY:
            return self._load(digest, tick)
        if not self._valid(known.row):
            self._cache.pop(digest, None)
            raise _unauthenticated("the token has expired or was revoked")
        return known.principal

    def authorize(self, principal: Principal, scope: str) -> None:
        """Check that a principal may call an operation needing `scope`.

        Args:
            principal: Who asks.
            scope: The operation's `x-vmkit-scope`.

        Raises:
            ProblemError: 403 `PERMISSION_DENIED`, naming the scope needed.
        """
        if principal.allows(scope):
            return
        raise ProblemError(
            403,
            PERMISSION_DENIED,
            f"this token does not have the {scope!r} scope this operation needs",
            metadata={"required_scope": scope, "token_scopes": sorted(principal.scopes)},
        )

    def forget(self, token_id: str) -> None:
        """Drop a token from the cache (after revocation), so its next use reads the store."""
        self._cache = {h: k for h, k in self._cache.items() if k.row.id != token_id}

    def _valid(self, row: TokenRow) -> bool:
        return row.revoked_at is None and (row.expires_at is None or row.expires_at > self._clock())

    def _load(self, digest: str, tick: float) -> Principal:
        """Read a token's row (first use, or trusted for too long), cache it, stamp its use."""
        self._cache.pop(digest, None)
        with self._store.read() as tx:
            row = tx.find_token_by_hash(digest)
        # the lookup is by hash; compare again in constant time to keep timing flat
        if row is None or not hmac.compare_digest(row.hash, digest):
            raise _unauthenticated("the token is not valid")
        if not self._valid(row):
            raise _unauthenticated("the token has expired or was revoked")
        principal = Principal(row.id, row.name, frozenset(row.scopes))
        self._cache[digest] = _Known(row, principal, tick)
        with self._store.tx() as tx:
            tx.touch_token(row.id, self._clock())
        return principal
