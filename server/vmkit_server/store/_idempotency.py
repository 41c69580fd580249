"""Transaction methods for the ``idempotency_keys`` table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update

from vmkit_server.store._base import TxBase
from vmkit_server.store._types import UTCDateTime
from vmkit_server.store.rows import IdempotencyRow
from vmkit_server.store.schema import idempotency_keys

__all__ = ["IdempotencyTx"]

_k = idempotency_keys.c
_KEY = (_k.token_id == bindparam("p_token_id")) & (_k.key == bindparam("p_key"))
_GET = select(idempotency_keys).where(_KEY)
_INSERT = insert(idempotency_keys).returning(*idempotency_keys.c)
# SET columns come from the execution parameters.
_COMPLETE = update(idempotency_keys).where(_KEY).returning(*idempotency_keys.c)
_DELETE = delete(idempotency_keys).where(_KEY)
_PRUNE = delete(idempotency_keys).where(_k.expires_at <= bindparam("now", type_=UTCDateTime()))
_IN_FLIGHT = delete(idempotency_keys).where(_k.state == "in_flight")


class IdempotencyTx(TxBase):
    """Reads and writes of remembered ``Idempotency-Key`` answers."""

    __slots__ = ()

    def get_idempotency(self, token_id: str, key: str) -> IdempotencyRow | None:
        """Find the record of a key used by a token.

        Args:
            token_id: The token that sent the key (keys are scoped per token).
            key: The ``Idempotency-Key`` value.

        Returns:
            The row (possibly expired: the caller compares ``expires_at``), or None.
        """
        row = self._run(_GET, {"p_token_id": token_id, "p_key": key}).first()
        return None if row is None else IdempotencyRow(**row._mapping)

    def insert_idempotency(
        self, *, token_id: str, key: str, request_hash: str, expires_at: datetime
    ) -> IdempotencyRow:
        """Claim a key for a request now in flight, created at ``clock()``.

        Args:
            token_id: The token that sent the key.
            key: The ``Idempotency-Key`` value.
            request_hash: A digest of the request (method, path, body).
            expires_at: When the record may be forgotten.

        Returns:
            The stored row, in state ``in_flight``.

        Raises:
            StoreConflictError: If the token already used that key.
        """
        values = {
            "token_id": token_id,
            "key": key,
            "request_hash": request_hash,
            "state": "in_flight",
            "status_code": None,
            "response_headers": None,
            "response_body": None,
            "created_at": self._now(),
            "expires_at": expires_at,
        }
        return IdempotencyRow(**self._write(_INSERT, values).one()._mapping)

    def complete_idempotency(
        self,
        token_id: str,
        key: str,
        *,
        status_code: int,
        response_headers: Mapping[str, str],
        response_body: bytes,
    ) -> IdempotencyRow | None:
        """Record the answer to a key's request, which later replays return.

        Args:
            token_id: The token that sent the key.
            key: The ``Idempotency-Key`` value.
            status_code: The HTTP status sent.
            response_headers: The headers to replay.
            response_body: The body to replay.

        Returns:
            The updated row (state ``done``), or None if the key is not recorded.
        """
        params = {
            "p_token_id": token_id,
            "p_key": key,
            "state": "done",
            "status_code": status_code,
            "response_headers": dict(response_headers),
            "response_body": response_body,
        }
        row = self._write(_COMPLETE, params).first()
        return None if row is None else IdempotencyRow(**row._mapping)

    def delete_idempotency(self, token_id: str, key: str) -> bool:
        """Forget a key, e.g. when its request failed before any answer was sent.

        Args:
            token_id: The token that sent the key.
            key: The ``Idempotency-Key`` value.

        Returns:
            True if a record was deleted.
        """
        return self._rowcount(_DELETE, {"p_token_id": token_id, "p_key": key}) > 0

    def prune_idempotency(self, now: datetime) -> int:
        """Delete records that expired at or before ``now``.

        Args:
            now: The current time.

        Returns:
            How many records were deleted.
        """
        return self._rowcount(_PRUNE, {"now": now})

    def release_in_flight_idempotency(self) -> int:
        """Forget every key still in flight: at start, no request of this process is.

        Returns:
            How many records were deleted.
        """
        return self._rowcount(_IN_FLIGHT)
