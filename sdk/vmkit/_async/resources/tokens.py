"""``client.tokens``: API tokens and their scopes (calls need a token with ``admin``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from vmkit import errors
from vmkit._async._api import TokenCreatedModel, TokenModel
from vmkit._async._pagination import AsyncPaginator
from vmkit._async.resources._base import AsyncResource
from vmkit.types import Page, RequestOptions

__all__ = ["SCOPES", "AsyncTokens"]

#: The scopes a token can carry (see :meth:`AsyncTokens.create`).
SCOPES = ("read", "write", "connect", "admin")

#: A token given by id, or as the object ``get``, ``list`` or ``create`` returned.
TokenRef = str | TokenModel | TokenCreatedModel


def token_ref(token: TokenRef) -> str:
    """The id of a token given by id or as a model."""
    return token if isinstance(token, str) else token.id


class AsyncTokens(AsyncResource):
    """API tokens: ``client.tokens``. Every call needs a token with the ``admin`` scope."""

    async def create(
        self,
        name: str,
        *,
        scopes: Sequence[str],
        ttl_seconds: int | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> TokenCreatedModel:
        """Create a token; its ``secret`` is in this answer only (the server keeps a hash).

        Scopes are independent: ``write`` does not imply ``read``, so a token that changes
        VMs and waits for its operations needs both. ``admin`` may do everything.

        Args:
            name: What the token is for (need not be unique).
            scopes: Some of ``"read"`` (look), ``"write"`` (change VMs, snapshots,
                operations), ``"connect"`` (exec, files, console, screenshot) and ``"admin"``
                (tokens, and everything else).
            ttl_seconds: Let the token expire this many seconds from now (never when None).
            idempotency_key: The ``Idempotency-Key`` to send.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The token, with ``secret``: send it as ``Authorization: Bearer <secret>``, or
            pass it as ``token=`` to a client.

        Raises:
            ValueError: If a scope is not one of :data:`SCOPES`.
            vmkit.errors.PermissionDeniedError: If this client's token lacks ``admin``.
            vmkit.errors.APIError: If the token was created by an earlier request with the
                same idempotency key, whose answer was lost: the server cannot show its
                secret again (the message names the token; revoke it and create another).
        """
        unknown = [s for s in scopes if s not in SCOPES]
        if unknown:
            raise ValueError(f"unknown scope {unknown[0]!r}: choose from {', '.join(SCOPES)}")
        created = await self._api.create_token(
            name, scopes, ttl_seconds=ttl_seconds, idempotency_key=idempotency_key, **options
        )
        if created.secret is None:
            raise errors.APIError(
                f"token {created.id} ({created.name!r}) was created by an earlier request with "
                "the same idempotency key, and its secret cannot be shown again: revoke it and "
                "create another"
            )
        return created

    def list(self, *, page_size: int | None = None) -> AsyncPaginator[TokenModel]:
        """List tokens, oldest first (revoked and expired ones too), fetched lazily.

        Args:
            page_size: Tokens per request (the server's default when None).

        Returns:
            A paginator of tokens; each shows its ``prefix``, never its secret.
        """

        async def fetch(page_token: str | None) -> Page[TokenModel]:
            return await self._api.list_tokens(page_size=page_size, page_token=page_token)

        return AsyncPaginator(fetch)

    async def get(self, token: TokenRef, **options: Unpack[RequestOptions]) -> TokenModel:
        """Get a token (never its secret).

        Args:
            token: The token's id (``tok_...``) or model.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The token, with its ``state`` (``active``, ``expired`` or ``revoked``) and when
            it was last used.

        Raises:
            vmkit.errors.NotFoundError: If there is no such token.
        """
        return await self._api.get_token(token_ref(token), **options)

    async def revoke(
        self, token: TokenRef, *, if_match: str | None = None, **options: Unpack[RequestOptions]
    ) -> TokenModel:
        """Revoke a token: its next request is refused with 401. Revoking twice is harmless.

        Args:
            token: The token's id (``tok_...``) or model.
            if_match: An ETag (``token.etag``); 412 if the token changed since.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The token, ``state`` ``revoked``.

        Raises:
            vmkit.errors.NotFoundError: If there is no such token.
            vmkit.errors.PreconditionFailedError: If ``if_match`` is no longer its ETag.
        """
        return await self._api.revoke_token(token_ref(token), if_match=if_match, **options)
