"""The API layer's token calls (``/v1/tokens``: create, list, get, revoke)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from vmkit._async._api_base import AsyncAPIBase, opt, token
from vmkit._generated.api.tokens import create_token, get_token, list_tokens, revoke_token
from vmkit._generated.models import Token as TokenModel
from vmkit._generated.models import TokenCreate, TokenList, TokenScope
from vmkit._generated.models import TokenCreated as TokenCreatedModel
from vmkit.types import Page, RequestOptions

__all__ = ["AsyncTokenAPI", "TokenCreatedModel", "TokenModel"]


class AsyncTokenAPI(AsyncAPIBase):
    """Creating, listing, reading and revoking API tokens (the ``admin`` scope)."""

    async def list_tokens(
        self,
        *,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[TokenModel]:
        """``GET /v1/tokens``: one page."""
        kwargs = list_tokens._get_kwargs(page_size=opt(page_size), page_token=opt(page_token))
        body = await self._call(list_tokens, TokenList, kwargs, request)
        return Page(list(body.items), token(body.next_page_token))

    async def create_token(
        self,
        name: str,
        scopes: Sequence[str],
        *,
        ttl_seconds: int | None,
        idempotency_key: str | None,
        **request: Unpack[RequestOptions],
    ) -> TokenCreatedModel:
        """``POST /v1/tokens``: the new token with its secret (null in a replay)."""
        body = TokenCreate(
            name=name, scopes=[TokenScope(s) for s in scopes], ttl_seconds=opt(ttl_seconds)
        )
        kwargs = create_token._get_kwargs(body=body, idempotency_key=opt(idempotency_key))
        return await self._call(create_token, TokenCreatedModel, kwargs, request)

    async def get_token(self, token_id: str, **request: Unpack[RequestOptions]) -> TokenModel:
        """``GET /v1/tokens/{token}``."""
        kwargs = get_token._get_kwargs(token_id)
        return await self._call(get_token, TokenModel, kwargs, request)

    async def revoke_token(
        self, token_id: str, *, if_match: str | None, **request: Unpack[RequestOptions]
    ) -> TokenModel:
        """``DELETE /v1/tokens/{token}``."""
        kwargs = revoke_token._get_kwargs(token_id, if_match=opt(if_match))
        return await self._call(revoke_token, TokenModel, kwargs, request)
