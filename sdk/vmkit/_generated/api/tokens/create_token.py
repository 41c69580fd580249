from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.token_create import TokenCreate
from ...models.token_created import TokenCreated
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TokenCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tokens",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TokenCreated:
    if response.status_code == 201:
        response_201 = TokenCreated.from_dict(response.json())

        return response_201

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TokenCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | TokenCreated]:
    """Create an API token.

     Answers the new token with its `secret` (`vmk_...`), shown this once: the server keeps
    only a hash. A replay of this request (same `Idempotency-Key`) answers the same token
    with `secret: null`, since the server cannot show it again; revoke that token and
    create another.

    Args:
        idempotency_key (str | Unset):
        body (TokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenCreated]
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
    body: TokenCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | TokenCreated | None:
    """Create an API token.

     Answers the new token with its `secret` (`vmk_...`), shown this once: the server keeps
    only a hash. A replay of this request (same `Idempotency-Key`) answers the same token
    with `secret: null`, since the server cannot show it again; revoke that token and
    create another.

    Args:
        idempotency_key (str | Unset):
        body (TokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenCreated
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | TokenCreated]:
    """Create an API token.

     Answers the new token with its `secret` (`vmk_...`), shown this once: the server keeps
    only a hash. A replay of this request (same `Idempotency-Key`) answers the same token
    with `secret: null`, since the server cannot show it again; revoke that token and
    create another.

    Args:
        idempotency_key (str | Unset):
        body (TokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TokenCreated]
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
    body: TokenCreate,
    idempotency_key: str | Unset = UNSET,
) -> Problem | TokenCreated | None:
    """Create an API token.

     Answers the new token with its `secret` (`vmk_...`), shown this once: the server keeps
    only a hash. A replay of this request (same `Idempotency-Key`) answers the same token
    with `secret: null`, since the server cannot show it again; revoke that token and
    create another.

    Args:
        idempotency_key (str | Unset):
        body (TokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TokenCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
