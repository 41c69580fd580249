"""The webhooks API's rules: create (secret shown once), list, get, update, delete, test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...problems import ProblemError
from ...store import WebhookDeliveryRow, WebhookRow
from .. import errors
from ..clock import isoformat
from ..context import Services
from ..guards import require_etag
from ..ids import new_id
from ..paging import decode_page_token, page_of
from ._settings import PING, WebhookSettings
from ._signing import new_secret, secret_key
from ._urls import UrlRefusedError, UrlUnresolvedError, resolve_target
from ._views import delivery_view, webhook_view
from ._worker import DeliveryWorker

__all__ = ["Webhooks"]

_DEFAULT_TYPES = ("*",)


def _refused(url: str, reason: str) -> ProblemError:
    return ProblemError(
        422,
        "WEBHOOK_URL_NOT_ALLOWED",
        f"webhooks may not be sent to {url}: {reason}",
        metadata={"url": url},
        errors=[{"location": "body", "pointer": "/url", "detail": reason, "keyword": "format"}],
    )


def _bad_secret(reason: str) -> ProblemError:
    return ProblemError(
        422,
        "VALIDATION_FAILED",
        f"secret: {reason}",
        errors=[{"location": "body", "pointer": "/secret", "detail": reason, "keyword": "format"}],
    )


class Webhooks:
    """Webhooks and their deliveries, and the worker that sends them.

    Args:
        svc: The shared services.
        settings: The server's webhook settings.

    Attributes:
        settings: The settings.
        worker: The delivery worker (the app starts and stops it).
    """

    def __init__(self, svc: Services, settings: WebhookSettings) -> None:
        self._svc = svc
        self.settings = settings
        self.worker = DeliveryWorker(svc, settings)

    async def check_url(self, url: str) -> None:
        """Refuse a URL the server may not call (checked again before each attempt).

        A host name that does not resolve now is accepted: it may later, and each attempt
        checks what it resolves to then.

        Raises:
            ProblemError: 422 `WEBHOOK_URL_NOT_ALLOWED`.
        """
        try:
            await resolve_target(url, self.settings)
        except UrlRefusedError as exc:
            raise _refused(url, exc.reason) from None
        except UrlUnresolvedError:
            pass

    def list(
        self, *, page_size: int, page_token: str | None
    ) -> tuple[Sequence[WebhookRow], str | None]:
        """One page of webhooks, oldest first, and the next page's token."""
        after = decode_page_token(page_token)
        with self._svc.store.read() as tx:
            rows = tx.list_webhooks(page_size=page_size, after=after)
        return page_of(rows, page_size)

    async def create(self, body: Mapping[str, Any]) -> tuple[WebhookRow, str]:
        """Make a webhook from a validated `WebhookCreate` body.

        Returns:
            The stored row and its secret (generated unless the body gave one).

        Raises:
            ProblemError: 422 `WEBHOOK_URL_NOT_ALLOWED`, or `VALIDATION_FAILED` for a
                secret that is not `whsec_` + base64 of 24 to 64 bytes.
        """
        secret = body.get("secret") or new_secret()
        try:
            secret_key(secret)
        except ValueError as exc:
            raise _bad_secret(str(exc)) from None
        await self.check_url(body["url"])
        with self._svc.store.tx() as tx:
            row = tx.insert_webhook(
                id=new_id("wh"),
                url=body["url"],
                types=body.get("types") or _DEFAULT_TYPES,
                secret=secret,
                enabled=body.get("enabled", True),
                description=body.get("description", ""),
            )
        self.worker.wake()  # new events may now owe it deliveries
        return row, secret

    def get(self, webhook_id: str) -> WebhookRow:
        """One webhook.

        Raises:
            ProblemError: 404 `WEBHOOK_NOT_FOUND`.
        """
        with self._svc.store.read() as tx:
            row = tx.get_webhook(webhook_id)
        if row is None:
            raise errors.not_found("webhook", webhook_id)
        return row

    async def update(
        self, webhook_id: str, body: Mapping[str, Any], *, if_match: str | None
    ) -> WebhookRow:
        """Apply a validated `WebhookUpdate`; re-enabling clears the failure count.

        Raises:
            ProblemError: 404 `WEBHOOK_NOT_FOUND`, 412 `PRECONDITION_FAILED`, 422
                `WEBHOOK_URL_NOT_ALLOWED`.
        """
        if "url" in body:
            await self.check_url(body["url"])
        fields = {k: body[k] for k in ("url", "types", "enabled", "description") if k in body}
        if "enabled" in fields:
            fields["disabled_reason"] = None
            if fields["enabled"]:
                fields["failure_count"] = 0
        with self._svc.store.tx() as tx:
            row = tx.get_webhook(webhook_id)
            if row is None:
                raise errors.not_found("webhook", webhook_id)
            require_etag(webhook_id, webhook_view(row)["etag"], if_match)
            updated = tx.update_webhook(webhook_id, expected_generation=row.generation, **fields)
        assert updated is not None  # read in the same transaction
        if updated.enabled:
            self.worker.wake()  # its waiting deliveries may be due
        return updated

    def delete(self, webhook_id: str, *, if_match: str | None) -> None:
        """Delete a webhook with its deliveries (pending ones are dropped).

        Raises:
            ProblemError: 404 `WEBHOOK_NOT_FOUND`, 412 `PRECONDITION_FAILED`.
        """
        with self._svc.store.tx() as tx:
            row = tx.get_webhook(webhook_id)
            if row is None:
                raise errors.not_found("webhook", webhook_id)
            require_etag(webhook_id, webhook_view(row)["etag"], if_match)
            tx.delete_webhook(webhook_id)

    def test(self, webhook_id: str, *, if_match: str | None) -> WebhookDeliveryRow:
        """Queue a `webhook.ping` delivery, sent now even if the webhook is disabled.

        Raises:
            ProblemError: 404 `WEBHOOK_NOT_FOUND`, 412 `PRECONDITION_FAILED`.
        """
        now = self._svc.clock()
        with self._svc.store.tx() as tx:
            row = tx.get_webhook(webhook_id)
            if row is None:
                raise errors.not_found("webhook", webhook_id)
            require_etag(webhook_id, webhook_view(row)["etag"], if_match)
            delivery = tx.insert_webhook_delivery(
                webhook_id=webhook_id,
                event_type=PING,
                payload={
                    "type": PING,
                    "timestamp": isoformat(now),
                    "data": {"webhook_id": webhook_id, "url": row.url},
                },
            )
        self.worker.wake()
        return delivery

    def deliveries(
        self, webhook_id: str, *, page_size: int, page_token: str | None
    ) -> tuple[Sequence[WebhookDeliveryRow], str | None]:
        """One page of a webhook's deliveries, newest first, and the next page's token.

        Raises:
            ProblemError: 404 `WEBHOOK_NOT_FOUND`.
        """
        before = decode_page_token(page_token)
        with self._svc.store.read() as tx:
            if tx.get_webhook(webhook_id) is None:
                raise errors.not_found("webhook", webhook_id)
            rows = tx.list_webhook_deliveries(webhook_id, page_size=page_size, before=before)
        return page_of(rows, page_size)

    view = staticmethod(webhook_view)
    delivery_view = staticmethod(delivery_view)
