from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_create import WebhookCreate
from ...models.webhook_created import WebhookCreated
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookCreated:
    if response.status_code == 201:
        response_201 = WebhookCreated.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookCreated]:
    """Subscribe a URL to events.

     Events matching `types` are POSTed to `url` following the Standard Webhooks
    specification (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
    HMAC-SHA256>`), at least once, retried with exponential backoff for a day. The
    `secret` (`whsec_...`) is generated unless given and shown only in this answer.
    Only `http`/`https` URLs; link-local and metadata addresses are refused unless the
    server allows them.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookCreated]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookCreated | None:
    """Subscribe a URL to events.

     Events matching `types` are POSTed to `url` following the Standard Webhooks
    specification (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
    HMAC-SHA256>`), at least once, retried with exponential backoff for a day. The
    `secret` (`whsec_...`) is generated unless given and shown only in this answer.
    Only `http`/`https` URLs; link-local and metadata addresses are refused unless the
    server allows them.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookCreated
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookCreated]:
    """Subscribe a URL to events.

     Events matching `types` are POSTed to `url` following the Standard Webhooks
    specification (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
    HMAC-SHA256>`), at least once, retried with exponential backoff for a day. The
    `secret` (`whsec_...`) is generated unless given and shown only in this answer.
    Only `http`/`https` URLs; link-local and metadata addresses are refused unless the
    server allows them.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookCreated]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookCreated | None:
    """Subscribe a URL to events.

     Events matching `types` are POSTed to `url` following the Standard Webhooks
    specification (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
    HMAC-SHA256>`), at least once, retried with exponential backoff for a day. The
    `secret` (`whsec_...`) is generated unless given and shown only in this answer.
    Only `http`/`https` URLs; link-local and metadata addresses are refused unless the
    server allows them.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
