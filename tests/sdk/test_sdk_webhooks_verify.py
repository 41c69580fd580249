"""`vmkit.webhooks`: the Standard Webhooks reference vector, and every way a delivery can
fail verification."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from vmkit import errors
from vmkit.errors import WebhookVerificationError
from vmkit.webhooks import DEFAULT_TOLERANCE, sign, verify

# The reference test vector of the Standard Webhooks libraries
# (standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py).
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
PAYLOAD = '{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def _headers(**override: str) -> dict[str, str]:
    headers = {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(TIMESTAMP),
        "webhook-signature": SIGNATURE,
    }
    headers.update({k.replace("_", "-"): v for k, v in override.items()})
    return headers


def test_sign_gives_the_reference_signature() -> None:
    """sign() reproduces the reference vector, from seconds or from a datetime."""
    assert SIGNATURE == sign(PAYLOAD, SECRET, message_id=MSG_ID, timestamp=TIMESTAMP)
    when = datetime.fromtimestamp(TIMESTAMP, UTC)
    assert SIGNATURE == sign(PAYLOAD.encode(), SECRET, message_id=MSG_ID, timestamp=when)


def test_verify_accepts_the_reference_delivery_and_returns_the_payload() -> None:
    """Bytes or text, any header case, with or without the whsec_ prefix."""
    assert {"test": 2432232314} == verify(PAYLOAD, _headers(), SECRET, now=TIMESTAMP)
    shouty = {k.upper(): v for k, v in _headers().items()}
    assert {"test": 2432232314} == verify(PAYLOAD.encode(), shouty, SECRET, now=TIMESTAMP)
    bare = SECRET.removeprefix("whsec_")
    assert {"test": 2432232314} == verify(PAYLOAD, _headers(), bare, now=TIMESTAMP)


def test_one_matching_signature_among_several_is_enough() -> None:
    """Space-separated signatures (key rotation): other versions and wrong ones are skipped."""
    signatures = " ".join(
        [
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v1a,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v1,not-base64!",
            "garbage",
            SIGNATURE,
        ]
    )
    headers = _headers(webhook_signature=signatures)
    assert {"test": 2432232314} == verify(PAYLOAD, headers, SECRET, now=TIMESTAMP)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_refused(missing: str) -> None:
    """Each of the three headers is required."""
    headers = _headers()
    del headers[missing]
    with pytest.raises(WebhookVerificationError, match=f"the {missing} header is missing"):
        verify(PAYLOAD, headers, SECRET, now=TIMESTAMP)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            {"webhook_signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="},
            "no v1 signature",
        ),
        ({"webhook_signature": "v2," + SIGNATURE[3:]}, "no v1 signature"),
        ({"webhook_id": "msg_other"}, "no v1 signature"),
        ({"webhook_timestamp": "hello"}, "not Unix seconds"),
        ({"webhook_timestamp": "1614265330.5"}, "not Unix seconds"),
        ({"webhook_timestamp": str(TIMESTAMP + 1)}, "no v1 signature"),
    ],
)
def test_a_wrong_header_is_refused(change: dict[str, str], match: str) -> None:
    """A signature, id or timestamp that does not match what was signed fails."""
    with pytest.raises(WebhookVerificationError, match=match):
        verify(PAYLOAD, _headers(**change), SECRET, now=TIMESTAMP)


def test_an_altered_body_or_another_secret_is_refused() -> None:
    """One changed byte, or the right body checked with another key, fails."""
    with pytest.raises(WebhookVerificationError, match="no v1 signature"):
        verify(PAYLOAD.replace("2", "3"), _headers(), SECRET, now=TIMESTAMP)
    other = "whsec_" + base64.b64encode(b"x" * 24).decode()
    with pytest.raises(WebhookVerificationError, match="no v1 signature"):
        verify(PAYLOAD, _headers(), other, now=TIMESTAMP)


def test_stale_and_future_timestamps_are_refused_outside_the_tolerance() -> None:
    """Within `tolerance` either way is fine; a second beyond it is a replay or a bad clock."""
    limit = DEFAULT_TOLERANCE
    assert verify(PAYLOAD, _headers(), SECRET, now=TIMESTAMP + limit)
    assert verify(PAYLOAD, _headers(), SECRET, now=TIMESTAMP - limit)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(PAYLOAD, _headers(), SECRET, now=TIMESTAMP + limit + 1)
    with pytest.raises(WebhookVerificationError, match="from the future"):
        verify(PAYLOAD, _headers(), SECRET, now=TIMESTAMP - limit - 1)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(PAYLOAD, _headers(), SECRET, now=TIMESTAMP + 11, tolerance=10)
    later = datetime.fromtimestamp(TIMESTAMP + 3600, UTC)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(PAYLOAD, _headers(), SECRET, now=later)


def test_the_system_clock_is_the_default() -> None:
    """Without `now`, a delivery signed just now passes and the 2021 vector is stale."""
    fresh = datetime.now(UTC)
    headers = _headers(
        webhook_timestamp=str(int(fresh.timestamp())),
        webhook_signature=sign(PAYLOAD, SECRET, message_id=MSG_ID, timestamp=fresh),
    )
    assert {"test": 2432232314} == verify(PAYLOAD, headers, SECRET)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(PAYLOAD, _headers(), SECRET)


@pytest.mark.parametrize("secret", ["whsec_not base64!", "whsec_", ""])
def test_a_malformed_secret_is_refused(secret: str) -> None:
    """The secret must be (whsec_ and) non-empty base64."""
    with pytest.raises(WebhookVerificationError, match="secret"):
        verify(PAYLOAD, _headers(), secret, now=TIMESTAMP)
    with pytest.raises(WebhookVerificationError, match="secret"):
        sign(PAYLOAD, secret, message_id=MSG_ID, timestamp=TIMESTAMP)


@pytest.mark.parametrize(("body", "match"), [("[1, 2]", "not a JSON object"), ("{", "not JSON")])
def test_a_signed_body_must_be_a_json_object(body: str, match: str) -> None:
    """A correctly signed body that is not a JSON object still fails."""
    headers = _headers(webhook_signature=sign(body, SECRET, message_id=MSG_ID, timestamp=TIMESTAMP))
    with pytest.raises(WebhookVerificationError, match=match):
        verify(body, headers, SECRET, now=TIMESTAMP)


def test_the_error_belongs_to_the_sdk_tree() -> None:
    """Catch it as WebhookVerificationError or as any VmkitError; it is not an API error."""
    assert issubclass(WebhookVerificationError, errors.VmkitError)
    assert not issubclass(WebhookVerificationError, errors.APIError)


def test_importing_the_verifier_loads_no_http_client_code() -> None:
    """`vmkit.webhooks` is sans-I/O: it imports neither the clients nor the generated code."""
    code = textwrap.dedent(
        """
        import sys
        import vmkit.webhooks
        heavy = ("vmkit._generated", "vmkit._async", "vmkit._sync", "vmkit_server", "httpx_sse")
        print(sorted(m for m in sys.modules if m.startswith(heavy)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "[]" == out.strip()


def test_payload_round_trip_through_json() -> None:
    """A payload built with json.dumps verifies to the same object."""
    body = json.dumps({"type": "vm.created", "timestamp": "t", "data": {"id": 1}})
    headers = _headers(webhook_signature=sign(body, SECRET, message_id=MSG_ID, timestamp=TIMESTAMP))
    assert json.loads(body) == verify(body, headers, SECRET, now=TIMESTAMP)
