"""`Idempotency-Key` on HTTP: claim the key, run the handler, keep or replay its answer.

The rules are in `core.idempotency`; this module turns Starlette responses into stored
answers and back. Every POST handler is wrapped with `idempotent` by the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import Response

from ..core.idempotency import IdempotencyKeys, StoredAnswer, fingerprint
from ..routing import Call

__all__ = ["REPLAYED_HEADER", "SecretResponse", "idempotent"]

REPLAYED_HEADER = "Idempotent-Replayed"
_KEPT_HEADERS = frozenset({b"content-type", b"location", b"etag"})


class SecretResponse(Response):
    """An answer that shows a secret once: replays get `replay_body` instead of the body.

    Args:
        content: The body sent now (with the secret).
        replay_body: The body kept for replays (without it); the secret is never stored.
        status_code: The HTTP status.
        headers: Extra headers.
        media_type: The body's media type.
    """

    def __init__(
        self,
        content: bytes,
        *,
        replay_body: bytes,
        status_code: int,
        headers: dict[str, str] | None = None,
        media_type: str = "application/json",
    ) -> None:
        super().__init__(content, status_code=status_code, headers=headers, media_type=media_type)
        self.replay_body = replay_body


async def idempotent(
    call: Call, handler: Callable[[Call], Awaitable[Response]], keys: IdempotencyKeys
) -> Response:
    """Run `handler` once per `Idempotency-Key`; replay its kept answer to retries.

    Without a key (or without a principal to scope it to) the handler just runs.

    Args:
        call: The validated request.
        handler: The operation's handler.
        keys: The idempotency records.

    Returns:
        The handler's answer, or the stored one with `Idempotent-Replayed: true`.

    Raises:
        ProblemError: 422 `IDEMPOTENCY_KEY_REUSED`, 409 `IDEMPOTENCY_KEY_IN_FLIGHT`, or
            whatever the handler raised.
    """
    key = call.headers.get("Idempotency-Key")
    principal = call.principal
    token_id = getattr(principal, "token_id", None)
    if key is None or not isinstance(token_id, str):
        return await handler(call)
    scope = call.request.scope
    digest = fingerprint(scope["method"], scope["path"], scope["query_string"], call.body)
    stored = keys.begin(token_id, key, digest)
    if stored is not None:
        return _replay(stored)
    try:
        response = await handler(call)
    except BaseException:
        keys.release(token_id, key)
        raise
    body = getattr(response, "replay_body", getattr(response, "body", None))
    if not isinstance(body, bytes):
        keys.release(token_id, key)  # a streamed answer cannot be kept
        return response
    headers = {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in response.raw_headers
        if name in _KEPT_HEADERS
    }
    keys.finish(token_id, key, StoredAnswer(response.status_code, headers, body))
    return response


def _replay(stored: StoredAnswer) -> Response:
    headers = dict(stored.headers)
    headers[REPLAYED_HEADER] = "true"
    return Response(stored.body, status_code=stored.status, headers=headers)
