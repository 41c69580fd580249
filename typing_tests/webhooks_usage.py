"""What code managing webhooks, and a receiver verifying them, sees."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_type

import vmkit
from vmkit.errors import WebhookVerificationError
from vmkit.webhooks import sign, verify


def manage(client: vmkit.Client) -> str:
    hook = client.webhooks.create("https://ci.example.com/vmkit", types=["vm.*"])
    assert_type(hook.secret, str)
    assert_type(hook.id, str)
    for listed in client.webhooks.list(page_size=10):
        assert_type(listed.enabled, bool)
        assert_type(listed.disabled_reason, str | None)
    changed = client.webhooks.update(hook, enabled=False, if_match=hook.etag)
    assert_type(changed.failure_count, int)
    ping = client.webhooks.test(changed)
    assert_type(ping.message_id, str)
    for delivery in client.webhooks.deliveries(hook.id):
        assert_type(delivery.attempts, int)
        assert_type(delivery.response_status, int | None)
    assert_type(client.webhooks.delete(hook), None)
    return hook.secret


async def manage_async(client: vmkit.AsyncClient) -> None:
    hook = await client.webhooks.create("https://ci.example.com/vmkit")
    async for delivery in client.webhooks.deliveries(hook):
        assert_type(delivery.event_id, int | None)
    await client.webhooks.delete(hook)


def receive(body: bytes, headers: Mapping[str, str], secret: str) -> str | None:
    try:
        event = verify(body, headers, secret, tolerance=60)
    except WebhookVerificationError as exc:
        assert_type(exc.message, str)
        return None
    assert_type(event, dict[str, Any])
    assert_type(sign(body, secret, message_id="msg_1", timestamp=0), str)
    return str(event["type"])
