"""Standard Webhooks secrets and signatures, on the sending side.

A secret is `whsec_` + base64 of 24 to 64 random bytes; the signature of a message is
`v1,` + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), where the key
is the secret's decoded bytes. (The SDK's `vmkit.webhooks` verifies them; it is kept apart
so that each side checks the other in the tests.)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

__all__ = ["SECRET_PREFIX", "new_secret", "secret_key", "signature"]

SECRET_PREFIX = "whsec_"
_MIN_BYTES, _MAX_BYTES = 24, 64
_NEW_BYTES = 32


def new_secret() -> str:
    """A new signing secret: `whsec_` and base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_NEW_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a secret.

    Args:
        secret: `whsec_` + base64.

    Returns:
        The decoded bytes.

    Raises:
        ValueError: Not `whsec_` + base64 of 24 to 64 bytes.
    """
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a webhook secret starts with {SECRET_PREFIX!r}")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"the part after {SECRET_PREFIX!r} is not base64: {exc}") from None
    if not _MIN_BYTES <= len(key) <= _MAX_BYTES:
        raise ValueError(
            f"a webhook secret holds {_MIN_BYTES} to {_MAX_BYTES} bytes, not {len(key)}"
        )
    return key


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header of one attempt.

    Args:
        key: The secret's bytes (:func:`secret_key`).
        message_id: The `webhook-id` header.
        timestamp: The `webhook-timestamp` header (Unix seconds).
        body: The exact bytes sent.

    Returns:
        `v1,<base64 HMAC-SHA256>`.
    """
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
