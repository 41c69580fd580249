"""``client.webhooks``: signed event deliveries to your URLs (calls need ``admin``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from vmkit._async._api import WebhookCreatedModel, WebhookDeliveryModel, WebhookModel
from vmkit._async._pagination import AsyncPaginator
from vmkit._async.resources._base import AsyncResource
from vmkit.types import Page, RequestOptions

__all__ = ["AsyncWebhooks"]

#: A webhook given by id, or as the object ``get``, ``list`` or ``create`` returned.
WebhookRef = str | WebhookModel | WebhookCreatedModel


def webhook_ref(webhook: WebhookRef) -> str:
    """The id of a webhook given by id or as a model."""
    return webhook if isinstance(webhook, str) else webhook.id


class AsyncWebhooks(AsyncResource):
    """Webhooks: ``client.webhooks``. Every call needs a token with the ``admin`` scope.

    The server POSTs each event whose type matches a webhook's ``types`` to its URL,
    signed per the Standard Webhooks specification; verify deliveries with
    :func:`vmkit.webhooks.verify`.
    """

    async def create(
        self,
        url: str,
        *,
        types: Sequence[str] | None = None,
        secret: str | None = None,
        enabled: bool | None = None,
        description: str | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> WebhookCreatedModel:
        """Subscribe a URL to events; the answer holds the signing secret, shown only here.

        Args:
            url: An ``http`` or ``https`` URL. The server refuses link-local and cloud
                metadata addresses (and, if so configured, private ones).
            types: Event types or patterns to deliver (``["vm.*"]``); every type when None.
            secret: The signing secret (``whsec_`` + base64 of 24 to 64 bytes); the server
                generates one when None.
            enabled: Whether to deliver at all (True when None).
            description: Free text (up to 256 characters).
            idempotency_key: The ``Idempotency-Key`` to send.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries`` (see
                :class:`vmkit.types.RequestOptions`).

        Returns:
            The webhook, with ``secret``: keep it to verify deliveries.

        Raises:
            vmkit.errors.UnprocessableEntityError: If the URL's address is not allowed
                (code ``WEBHOOK_URL_NOT_ALLOWED``), or the secret is malformed
                (``VALIDATION_FAILED``).
            vmkit.errors.PermissionDeniedError: If this client's token lacks ``admin``.
        """
        return await self._api.create_webhook(
            url,
            types=types,
            secret=secret,
            enabled=enabled,
            description=description,
            idempotency_key=idempotency_key,
            **options,
        )

    def list(self, *, page_size: int | None = None) -> AsyncPaginator[WebhookModel]:
        """List webhooks, oldest first, fetched lazily.

        Args:
            page_size: Webhooks per request (the server's default when None).

        Returns:
            A paginator of webhooks (never their secrets).
        """

        async def fetch(page_token: str | None) -> Page[WebhookModel]:
            return await self._api.list_webhooks(page_size=page_size, page_token=page_token)

        return AsyncPaginator(fetch)

    async def get(self, webhook: WebhookRef, **options: Unpack[RequestOptions]) -> WebhookModel:
        """Get a webhook (never its secret).

        Args:
            webhook: The webhook's id (``wh_...``) or model.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The webhook, with ``enabled``, ``disabled_reason`` and ``failure_count``.

        Raises:
            vmkit.errors.NotFoundError: If there is no such webhook.
        """
        return await self._api.get_webhook(webhook_ref(webhook), **options)

    async def update(
        self,
        webhook: WebhookRef,
        *,
        url: str | None = None,
        types: Sequence[str] | None = None,
        enabled: bool | None = None,
        description: str | None = None,
        if_match: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> WebhookModel:
        """Change a webhook; only the arguments given are changed.

        Re-enabling a webhook the server disabled after failures clears its failure count
        and resumes its waiting deliveries.

        Args:
            webhook: The webhook's id (``wh_...``) or model.
            url: A new URL (checked like at creation).
            types: New event types or patterns.
            enabled: Turn deliveries on or off.
            description: New free text.
            if_match: An ETag (``webhook.etag``); 412 if the webhook changed since.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The updated webhook.

        Raises:
            ValueError: If no change is given.
            vmkit.errors.NotFoundError: If there is no such webhook.
            vmkit.errors.PreconditionFailedError: If ``if_match`` is no longer its ETag.
            vmkit.errors.UnprocessableEntityError: If the new URL is not allowed.
        """
        if url is None and types is None and enabled is None and description is None:
            raise ValueError("nothing to change: give url, types, enabled or description")
        return await self._api.update_webhook(
            webhook_ref(webhook),
            url=url,
            types=types,
            enabled=enabled,
            description=description,
            if_match=if_match,
            **options,
        )

    async def delete(
        self, webhook: WebhookRef, *, if_match: str | None = None, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete a webhook; its pending deliveries are dropped.

        Args:
            webhook: The webhook's id (``wh_...``) or model.
            if_match: An ETag (``webhook.etag``); 412 if the webhook changed since.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Raises:
            vmkit.errors.NotFoundError: If there is no such webhook.
            vmkit.errors.PreconditionFailedError: If ``if_match`` is no longer its ETag.
        """
        await self._api.delete_webhook(webhook_ref(webhook), if_match=if_match, **options)

    async def test(
        self,
        webhook: WebhookRef,
        *,
        if_match: str | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> WebhookDeliveryModel:
        """Send a ``webhook.ping`` to the webhook now (even while it is disabled).

        Args:
            webhook: The webhook's id (``wh_...``) or model.
            if_match: An ETag (``webhook.etag``); 412 if the webhook changed since.
            idempotency_key: The ``Idempotency-Key`` to send.
            **options: Per-call ``timeout``, ``headers`` and ``max_retries``.

        Returns:
            The queued delivery (``state`` ``pending``); follow it with
                :meth:`deliveries`.

        Raises:
            vmkit.errors.NotFoundError: If there is no such webhook.
        """
        return await self._api.test_webhook(
            webhook_ref(webhook), if_match=if_match, idempotency_key=idempotency_key, **options
        )

    def deliveries(
        self, webhook: WebhookRef, *, page_size: int | None = None
    ) -> AsyncPaginator[WebhookDeliveryModel]:
        """A webhook's deliveries, newest first, fetched lazily.

        Each shows its ``message_id`` (the ``webhook-id`` header, the same on every
        retry), ``state`` (``pending``, ``succeeded`` or ``failed``), ``attempts``, the
        last ``response_status``, ``latency_ms`` and ``error``, and ``next_attempt_at``.

        Args:
            webhook: The webhook's id (``wh_...``) or model.
            page_size: Deliveries per request (the server's default when None).

        Returns:
            A paginator of deliveries.
        """
        webhook_id = webhook_ref(webhook)

        async def fetch(page_token: str | None) -> Page[WebhookDeliveryModel]:
            return await self._api.list_webhook_deliveries(
                webhook_id, page_size=page_size, page_token=page_token
            )

        return AsyncPaginator(fetch)
