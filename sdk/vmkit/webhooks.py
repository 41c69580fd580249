"""Verifying (and signing) webhook deliveries, per the Standard Webhooks specification.

A vmkit server POSTs each event to your webhook's URL with three headers:

- ``webhook-id``: the message id (``msg_...``), the same on every retry of a delivery:
  use it to ignore duplicates;
- ``webhook-timestamp``: when this attempt was signed, in Unix seconds;
- ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of
  ``"{webhook-id}.{webhook-timestamp}.{body}"``, keyed with the bytes of the webhook's
  secret (``whsec_`` + base64). Several space-separated signatures may be present.

Check all of them before trusting a delivery, against the *raw* body bytes (not a
re-serialized JSON)::

    from vmkit.errors import WebhookVerificationError
    from vmkit.webhooks import verify

    try:
        event = verify(request_body, request_headers, secret)
    except WebhookVerificationError:
        return 400

This module does no I/O and needs no web framework: pass it the body and the headers
from whatever received them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vmkit.errors import WebhookVerificationError

__all__ = ["DEFAULT_TOLERANCE", "sign", "verify"]

#: Seconds a delivery's timestamp may differ from the receiver's clock (either way).
DEFAULT_TOLERANCE = 300.0

_PREFIX = "whsec_"
_TIMESTAMP = re.compile(r"^[0-9]{1,15}$")


def _key(secret: str) -> bytes:
    """The HMAC key of a secret, with or without its ``whsec_`` prefix."""
    try:
        key = base64.b64decode(secret.removeprefix(_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            "the webhook secret is malformed: expected 'whsec_' followed by base64"
        ) from None
    if not key:
        raise WebhookVerificationError("the webhook secret is empty")
    return key


def _bytes(payload: bytes | str) -> bytes:
    return payload.encode() if isinstance(payload, str) else bytes(payload)


def _seconds(when: float | datetime) -> float:
    return when.timestamp() if isinstance(when, datetime) else float(when)


def _digest(key: bytes, message_id: str, timestamp: str, body: bytes) -> bytes:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return hmac.new(key, signed, hashlib.sha256).digest()


def sign(
    payload: bytes | str,
    secret: str,
    *,
    message_id: str,
    timestamp: float | datetime,
) -> str:
    """The ``webhook-signature`` value a sender puts on a delivery.

    Useful to test a receiver: send ``payload`` with the headers ``webhook-id:
    message_id``, ``webhook-timestamp: int(timestamp)`` and ``webhook-signature:`` this.

    Args:
        payload: The exact body.
        secret: The webhook's secret (``whsec_...``).
        message_id: The ``webhook-id``.
        timestamp: When it is sent: Unix seconds (whole seconds are signed) or an aware
            datetime.

    Returns:
        ``v1,<base64 HMAC-SHA256>``.

    Raises:
        vmkit.errors.WebhookVerificationError: If the secret is malformed.
    """
    stamp = str(int(_seconds(timestamp)))
    digest = _digest(_key(secret), message_id, stamp, _bytes(payload))
    return "v1," + base64.b64encode(digest).decode()


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"the {name} header is missing")


def verify(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | datetime | None = None,
) -> dict[str, Any]:
    """Check a delivery's signature and timestamp; return its parsed JSON body.

    Args:
        payload: The raw request body, exactly as received.
        headers: The request headers (any mapping; names are matched case-insensitively).
        secret: The webhook's secret (``whsec_...``, shown once when it was created).
        tolerance: Seconds the ``webhook-timestamp`` may be away from ``now``, either way:
            older deliveries may be replays.
        now: The current time (Unix seconds or an aware datetime); the system clock when
            None.

    Returns:
        The parsed body, ``{"type", "timestamp", "data"}``, where ``data`` is the event as
            the events API shows it (``webhook.ping`` has ``{"webhook_id", "url"}``).

    Raises:
        vmkit.errors.WebhookVerificationError: If a ``webhook-*`` header is missing or
            malformed, the timestamp is older or newer than ``tolerance`` allows, no
            ``v1`` signature matches (constant-time comparison), the secret is malformed,
            or the body is not a JSON object.
    """
    key = _key(secret)
    message_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp").strip()
    signatures = _header(headers, "webhook-signature")
    if not _TIMESTAMP.match(stamp):
        raise WebhookVerificationError(
            f"the webhook-timestamp header is not Unix seconds: {stamp!r}"
        )
    age = _seconds(time.time() if now is None else now) - int(stamp)
    if age > tolerance:
        raise WebhookVerificationError(
            f"the delivery is too old: signed {age:.0f} s ago, more than {tolerance:g} s"
        )
    if -age > tolerance:
        raise WebhookVerificationError(
            f"the delivery is from the future: signed {-age:.0f} s ahead, more than "
            f"{tolerance:g} s (is a clock wrong?)"
        )
    body = _bytes(payload)
    expected = _digest(key, message_id, stamp, body)
    if not any(_matches(candidate, expected) for candidate in signatures.split()):
        raise WebhookVerificationError("no v1 signature matches: wrong secret or altered body")
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise WebhookVerificationError(f"the body is not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise WebhookVerificationError("the body is not a JSON object")
    return parsed


def _matches(candidate: str, expected: bytes) -> bool:
    """Whether one ``version,base64`` entry is a ``v1`` signature equal to ``expected``."""
    version, sep, encoded = candidate.partition(",")
    if version != "v1" or not sep:
        return False  # another scheme (v1a: asymmetric), or not a signature at all
    try:
        given = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(given, expected)
