"""Idempotency keys: one per logical call, reused on every retry of that call."""

from __future__ import annotations

import uuid

__all__ = ["IDEMPOTENCY_HEADER", "new_idempotency_key"]

IDEMPOTENCY_HEADER = "Idempotency-Key"


def new_idempotency_key() -> str:
    """Mint a fresh idempotency key.

    Returns:
        ``"ik_"`` followed by 32 hex digits of a random UUID4.
    """
    return f"ik_{uuid.uuid4().hex}"
