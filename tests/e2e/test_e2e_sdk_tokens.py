"""client.tokens against a live server, and the typed errors tokens lead to (sync and async)."""

from __future__ import annotations

import pytest
from e2e_helpers import ResponseLog, unique_name

import vmkit
from vmkit.errors import (
    APIError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
)
from vmkit_server.testing import RunningServer


def test_create_use_list_get_and_revoke(client: vmkit.Client, server: RunningServer) -> None:
    """The secret works as a client's token until the token is revoked; then 401."""
    created = client.tokens.create("sdk-reader", scopes=["read", "write"], ttl_seconds=3600)
    assert created.secret is not None and created.secret.startswith("vmk_")
    assert (["read", "write"], "active", created.secret[4:12]) == (
        [s.value for s in created.scopes],
        created.state.value,
        created.prefix,
    )
    with vmkit.Client(server.url, created.secret) as reader:
        assert isinstance(reader.vms.list().to_list(), list)
        got = client.tokens.get(created)
        assert got.last_used_at is not None
        listed = {t.id: t for t in client.tokens.list(page_size=2)}
        assert created.id in listed
        revoked = client.tokens.revoke(created.id)
        assert "revoked" == revoked.state.value
        with pytest.raises(AuthenticationError) as refused:
            reader.vms.list().to_list()
    assert ("UNAUTHENTICATED", 401) == (refused.value.code, refused.value.status)


def test_a_token_without_the_scope_raises_permission_denied(
    client: vmkit.Client, server: RunningServer
) -> None:
    """A read token may look but not change: PermissionDeniedError naming the scope."""
    secret = client.tokens.create("look-only", scopes=["read"]).secret
    assert secret is not None
    with vmkit.Client(server.url, secret) as reader:
        reader.vms.list().to_list()
        with pytest.raises(PermissionDeniedError) as denied:
            reader.vms.create(unique_name("nope"))
        with pytest.raises(PermissionDeniedError):
            reader.tokens.list().to_list()
    assert ("PERMISSION_DENIED", 403) == (denied.value.code, denied.value.status)
    assert {"required_scope": "write", "token_scopes": ["read"]} == denied.value.problem.get(
        "metadata"
    )


def test_revoke_with_a_stale_etag_and_unknown_tokens(client: vmkit.Client) -> None:
    """if_match guards a revoke; an unknown id is NotFoundError."""
    created = client.tokens.create("guarded", scopes=["read"])
    with pytest.raises(PreconditionFailedError):
        client.tokens.revoke(created, if_match='"0000000000000000"')
    assert "revoked" == client.tokens.revoke(created, if_match=created.etag).state.value
    with pytest.raises(NotFoundError):
        client.tokens.get("tok_" + "0" * 26)


def test_unknown_scopes_are_refused_before_sending(client: vmkit.Client) -> None:
    """A typo in a scope is a ValueError listing the scopes, not a round trip."""
    with pytest.raises(ValueError, match="read, write, connect, admin"):
        client.tokens.create("typo", scopes=["raed"])


def test_a_replayed_creation_raises_instead_of_returning_no_secret(client: vmkit.Client) -> None:
    """The same idempotency key twice: the second call cannot show the secret, and says so."""
    key = f"ik_{unique_name('token')}"
    first = client.tokens.create("once", scopes=["read"], idempotency_key=key)
    with pytest.raises(APIError, match=first.id):
        client.tokens.create("once", scopes=["read"], idempotency_key=key)
    assert 1 == sum(1 for t in client.tokens.list() if t.id == first.id)


def test_a_replayed_post_is_marked_and_runs_once(
    client: vmkit.Client, response_log: ResponseLog
) -> None:
    """The SDK's retry of a POST (same key) gets the first answer back: one VM, one operation."""
    name = unique_name("replayed")
    key = f"ik_{name}"
    first = client.vms.create(name, idempotency_key=key)
    assert "idempotent-replayed" not in response_log.last("POST", "/v1/vms").headers
    second = client.vms.create(name, idempotency_key=key)
    assert "true" == response_log.last("POST", "/v1/vms").headers["idempotent-replayed"]
    assert first.id == second.id
    vm = client.vms.get(name)
    assert [first.id] == [op.id for op in client.operations.list(vm=vm, kind="vm.create")]


@pytest.mark.anyio
async def test_async_tokens(async_client: vmkit.AsyncClient, server: RunningServer) -> None:
    """The async twin: create, list, get, revoke, and the 401 afterwards."""
    created = await async_client.tokens.create("async", scopes=["read"])
    assert created.secret is not None
    assert created.id in [t.id async for t in async_client.tokens.list()]
    assert created.id == (await async_client.tokens.get(created.id)).id
    async with vmkit.AsyncClient(server.url, created.secret) as reader:
        await reader.vms.list().to_list()
        await async_client.tokens.revoke(created)
        with pytest.raises(AuthenticationError):
            await reader.vms.list().to_list()
