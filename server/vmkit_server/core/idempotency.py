"""`Idempotency-Key`: the first answer to a POST is remembered and replayed for its retries.

Keys are scoped per token and kept 24 hours. A request with a key first *claims* it (a row in
state ``in_flight``, written before the handler runs), then *finishes* it with the answer. A
second request with the same key and the same fingerprint (method, path, query and body)
gets the stored answer without running anything; with another fingerprint it is refused
with 422 `IDEMPOTENCY_KEY_REUSED`; while the first is still running, 409
`IDEMPOTENCY_KEY_IN_FLIGHT`.

Only answers that did the work are kept: 2xx. An error answer changed nothing (guards run
before any change, and long work fails inside its operation, not in the answer), so its key
is released and the same request may be sent again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..problems import ProblemError
from ..store import Store, StoreConflictError
from .clock import Clock

__all__ = [
    "IN_FLIGHT",
    "KEY_TTL",
    "REUSED",
    "IdempotencyKeys",
    "StoredAnswer",
    "fingerprint",
    "is_kept",
]

IN_FLIGHT = "IDEMPOTENCY_KEY_IN_FLIGHT"
REUSED = "IDEMPOTENCY_KEY_REUSED"
#: How long a key is remembered.
KEY_TTL = timedelta(hours=24)
_PRUNE_EVERY = timedelta(minutes=1)  # between deletions of expired keys


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An answer as it is kept and replayed.

    Attributes:
        status: The HTTP status.
        headers: The headers worth replaying (lower-case names).
        body: The body.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes


def fingerprint(method: str, path: str, query: bytes, body: Any) -> str:
    """What must be equal for a request to count as a retry of another.

    Args:
        method: The HTTP method.
        path: The request path.
        query: The raw query string.
        body: The parsed JSON body, raw bytes, or None.

    Returns:
        A hex digest of the method, path, query and canonical body (JSON with sorted keys,
        so the order of an object's fields does not matter).
    """
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query):
        digest.update(len(part).to_bytes(8, "big") + part)
    if isinstance(body, bytes):
        digest.update(b"B" + body)
    elif body is not None:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest.update(b"J" + canonical.encode())
    return digest.hexdigest()


def is_kept(status: int) -> bool:
    """Whether an answer with this status is remembered for replays (only 2xx are)."""
    return 200 <= status < 300


class IdempotencyKeys:
    """Claims, finishes and replays `Idempotency-Key` records.

    Every method is synchronous and runs one short transaction: two requests of this process
    can never both claim a key, since transactions on the store are serialised.

    Args:
        store: Where the records live (the `idempotency_keys` table).
        clock: The wall clock (expiry).
        ttl: How long a key is kept.
    """

    def __init__(self, store: Store, clock: Clock, *, ttl: timedelta = KEY_TTL) -> None:
        self._store = store
        self._clock = clock
        self._ttl = ttl
        self._pruned_at: datetime | None = None

    def begin(self, token_id: str, key: str, request_hash: str) -> StoredAnswer | None:
        """Claim a key for a request, or find the answer to replay.

        Args:
            token_id: The token that sent the key.
            key: The `Idempotency-Key`.
            request_hash: The request's `fingerprint`.

        Returns:
            None when the key was free and is now claimed (run the request, then `finish`
            or `release`); the stored answer when this is a retry of a finished request.

        Raises:
            ProblemError: 422 `IDEMPOTENCY_KEY_REUSED` (the key was used for another
                request), 409 `IDEMPOTENCY_KEY_IN_FLIGHT` (its request is still running).
        """
        now = self._clock()
        try:
            with self._store.tx() as tx:
                row = tx.get_idempotency(token_id, key)
                if row is not None and row.expires_at <= now:
                    tx.delete_idempotency(token_id, key)
                    row = None
                if row is None:
                    tx.insert_idempotency(
                        token_id=token_id,
                        key=key,
                        request_hash=request_hash,
                        expires_at=now + self._ttl,
                    )
                    return None
        except StoreConflictError:
            # Another process claimed it between our read and our insert (shared database).
            raise _in_flight(key) from None
        if row.request_hash != request_hash:
            raise ProblemError(
                422,
                REUSED,
                f"Idempotency-Key {key!r} was already used for a different request (another "
                "method, path or body); use a new key for a new request",
                metadata={"idempotency_key": key},
            )
        if row.state != "done" or row.status_code is None:
            raise _in_flight(key)
        return StoredAnswer(
            row.status_code, dict(row.response_headers or {}), row.response_body or b""
        )

    def finish(self, token_id: str, key: str, answer: StoredAnswer) -> None:
        """Record a claimed key's answer, or release the key if the answer is not kept.

        Args:
            token_id: The token that sent the key.
            key: The `Idempotency-Key`.
            answer: What was sent (see `is_kept`).
        """
        if not is_kept(answer.status):
            self.release(token_id, key)
            return
        with self._store.tx() as tx:
            tx.complete_idempotency(
                token_id,
                key,
                status_code=answer.status,
                response_headers=dict(answer.headers),
                response_body=answer.body,
            )

    def release(self, token_id: str, key: str) -> None:
        """Forget a claimed key: its request failed, and may be sent again.

        Args:
            token_id: The token that sent the key.
            key: The `Idempotency-Key`.
        """
        with self._store.tx() as tx:
            tx.delete_idempotency(token_id, key)

    def recover(self) -> int:
        """At start: release keys left in flight by a previous run (nothing runs them now).

        Returns:
            How many were released.
        """
        with self._store.tx() as tx:
            return tx.release_in_flight_idempotency()

    def prune(self) -> int:
        """Delete expired keys, at most once a minute (cheap to call on every background pass).

        Returns:
            How many were deleted.
        """
        now = self._clock()
        if self._pruned_at is not None and now - self._pruned_at < _PRUNE_EVERY:
            return 0
        self._pruned_at = now
        with self._store.tx() as tx:
            return tx.prune_idempotency(now)


def _in_flight(key: str) -> ProblemError:
    return ProblemError(
        409,
        IN_FLIGHT,
        f"a request with Idempotency-Key {key!r} is still being handled; retry when it is done",
        metadata={"idempotency_key": key},
        headers={"Retry-After": "1"},
    )
