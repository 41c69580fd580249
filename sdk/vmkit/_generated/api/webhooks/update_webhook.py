from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook import Webhook
from ...models.webhook_update import WebhookUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    webhook: str,
    *,
    body: WebhookUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/webhooks/{webhook}".format(
            webhook=quote(str(webhook), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Webhook:
    if response.status_code == 200:
        response_200 = Webhook.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | Webhook]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | Webhook]:
    """Change a webhook's URL, types, description or enabled flag.

     Re-enabling a webhook that was disabled after failures clears its failure count.

    Args:
        webhook (str):
        if_match (str | Unset):
        body (WebhookUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
    """

    kwargs = _get_kwargs(
        webhook=webhook,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | Webhook | None:
    """Change a webhook's URL, types, description or enabled flag.

     Re-enabling a webhook that was disabled after failures clears its failure count.

    Args:
        webhook (str):
        if_match (str | Unset):
        body (WebhookUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
    """

    return sync_detailed(
        webhook=webhook,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    webhook: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
    if_match: str | Unset = UNSET,
) -> Response[Problem | Webhook]:
    """Change a webhook's URL, types, description or enabled flag.

     Re-enabling a webhook that was disabled after failures clears its failure count.

    Args:
        webhook (str):
        if_match (str | Unset):
        body (WebhookUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
    """

    kwargs = _get_kwargs(
        webhook=webhook,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
    if_match: str | Unset = UNSET,
) -> Problem | Webhook | None:
    """Change a webhook's URL, types, description or enabled flag.

     Re-enabling a webhook that was disabled after failures clears its failure count.

    Args:
        webhook (str):
        if_match (str | Unset):
        body (WebhookUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
    """

    return (
        await asyncio_detailed(
            webhook=webhook,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
