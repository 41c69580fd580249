"""The API layer's webhook calls (``/v1/webhooks``: CRUD, ``:test``, deliveries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from vmkit._async._api_base import AsyncAPIBase, opt, present, token
from vmkit._generated.api.webhooks import (
    create_webhook,
    delete_webhook,
    get_webhook,
    list_webhook_deliveries,
    list_webhooks,
    test_webhook,
    update_webhook,
)
from vmkit._generated.models import Webhook as WebhookModel
from vmkit._generated.models import WebhookCreate, WebhookDeliveryList, WebhookList, WebhookUpdate
from vmkit._generated.models import WebhookCreated as WebhookCreatedModel
from vmkit._generated.models import WebhookDelivery as WebhookDeliveryModel
from vmkit._generated.types import UNSET
from vmkit.types import Page, RequestOptions

__all__ = ["AsyncWebhookAPI", "WebhookCreatedModel", "WebhookDeliveryModel", "WebhookModel"]


class AsyncWebhookAPI(AsyncAPIBase):
    """Creating, listing, reading, changing, deleting and testing webhooks (``admin``)."""

    async def list_webhooks(
        self,
        *,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[WebhookModel]:
        """``GET /v1/webhooks``: one page."""
        kwargs = list_webhooks._get_kwargs(page_size=opt(page_size), page_token=opt(page_token))
        body = await self._call(list_webhooks, WebhookList, kwargs, request)
        return Page(list(body.items), token(body.next_page_token))

    async def create_webhook(
        self,
        url: str,
        *,
        types: Sequence[str] | None,
        secret: str | None,
        enabled: bool | None,
        description: str | None,
        idempotency_key: str | None,
        **request: Unpack[RequestOptions],
    ) -> WebhookCreatedModel:
        """``POST /v1/webhooks``: the new webhook with its secret."""
        body = WebhookCreate(
            url=url,
            types=UNSET if types is None else list(types),
            secret=opt(secret),
            enabled=opt(enabled),
            description=opt(description),
        )
        kwargs = create_webhook._get_kwargs(body=body, idempotency_key=opt(idempotency_key))
        return await self._call(create_webhook, WebhookCreatedModel, kwargs, request)

    async def get_webhook(self, webhook: str, **request: Unpack[RequestOptions]) -> WebhookModel:
        """``GET /v1/webhooks/{webhook}``."""
        kwargs = get_webhook._get_kwargs(webhook)
        return await self._call(get_webhook, WebhookModel, kwargs, request)

    async def update_webhook(
        self,
        webhook: str,
        *,
        url: str | None,
        types: Sequence[str] | None,
        enabled: bool | None,
        description: str | None,
        if_match: str | None,
        **request: Unpack[RequestOptions],
    ) -> WebhookModel:
        """``PATCH /v1/webhooks/{webhook}`` with the fields that are not None."""
        fields = present(
            url=url,
            types=None if types is None else list(types),
            enabled=enabled,
            description=description,
        )
        kwargs = update_webhook._get_kwargs(
            webhook, body=WebhookUpdate.from_dict(fields), if_match=opt(if_match)
        )
        return await self._call(update_webhook, WebhookModel, kwargs, request)

    async def delete_webhook(
        self, webhook: str, *, if_match: str | None, **request: Unpack[RequestOptions]
    ) -> None:
        """``DELETE /v1/webhooks/{webhook}`` (204: nothing to parse)."""
        await self._send(delete_webhook._get_kwargs(webhook, if_match=opt(if_match)), request)

    async def test_webhook(
        self,
        webhook: str,
        *,
        if_match: str | None,
        idempotency_key: str | None,
        **request: Unpack[RequestOptions],
    ) -> WebhookDeliveryModel:
        """``POST /v1/webhooks/{webhook}:test``: the queued ping delivery."""
        kwargs = test_webhook._get_kwargs(
            webhook, idempotency_key=opt(idempotency_key), if_match=opt(if_match)
        )
        return await self._call(test_webhook, WebhookDeliveryModel, kwargs, request)

    async def list_webhook_deliveries(
        self,
        webhook: str,
        *,
        page_size: int | None,
        page_token: str | None,
        **request: Unpack[RequestOptions],
    ) -> Page[WebhookDeliveryModel]:
        """``GET /v1/webhooks/{webhook}/deliveries``: one page, newest first."""
        kwargs = list_webhook_deliveries._get_kwargs(
            webhook, page_size=opt(page_size), page_token=opt(page_token)
        )
        body = await self._call(list_webhook_deliveries, WebhookDeliveryList, kwargs, request)
        return Page(list(body.items), token(body.next_page_token))
