"""The tokens API over a real socket: create (secret once), list, get, revoke; 401s."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from vmkit_server.testing import RunningServer, start_server

SECRET = re.compile(r"^vmk_[A-Za-z0-9_-]{43}$")
TOKEN_FIELDS = {
    "id",
    "name",
    "prefix",
    "scopes",
    "state",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
    "etag",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend for this module."""
    running = start_server(tmp_path_factory.mktemp("tokens") / "data")
    yield running
    running.stop()


@pytest.fixture
def admin(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        yield client


def create(admin: httpx.Client, name: str, *scopes: str, **extra: Any) -> dict[str, Any]:
    """Create a token through the API; return the 201 body."""
    response = admin.post("/v1/tokens", json={"name": name, "scopes": list(scopes), **extra})
    assert 201 == response.status_code, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(server: RunningServer, secret: str) -> httpx.Client:
    """httpx sending `secret` as the bearer token."""
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {secret}"}, timeout=30
    )


def when(text: str) -> datetime:
    """An API timestamp as a datetime."""
    return datetime.fromisoformat(text)


def test_create_answers_201_with_the_secret_shown_once(
    server: RunningServer, admin: httpx.Client
) -> None:
    """201, Location and ETag; the secret is `vmk_` + 43 url-safe characters; reads omit it."""
    response = admin.post("/v1/tokens", json={"name": "ci", "scopes": ["admin", "read"]})
    assert 201 == response.status_code
    body = response.json()
    assert TOKEN_FIELDS | {"secret"} == body.keys()
    assert SECRET.match(body["secret"])
    assert f"/v1/tokens/{body['id']}" == response.headers["location"]
    assert body["etag"] == response.headers["etag"]
    assert (body["secret"][4:12], ["read", "admin"], "active") == (
        body["prefix"],
        body["scopes"],
        body["state"],
    )
    assert (None, None, None) == (body["expires_at"], body["last_used_at"], body["revoked_at"])
    got = admin.get(response.headers["location"])
    listed = admin.get("/v1/tokens", params={"page_size": 1000})
    assert TOKEN_FIELDS == got.json().keys()
    assert body["secret"] not in got.text + listed.text
    assert body["id"] in [t["id"] for t in listed.json()["items"]]


def test_the_admin_token_is_listed_by_its_prefix(
    server: RunningServer, admin: httpx.Client
) -> None:
    """The first token is `admin` with every scope, shown by the 8 characters after `vmk_`."""
    assert SECRET.match(server.token)
    first = admin.get("/v1/tokens", params={"page_size": 1}).json()["items"][0]
    assert ("admin", server.token[4:12]) == (first["name"], first["prefix"])
    assert ["read", "write", "connect", "admin"] == first["scopes"]


def test_a_new_token_works_and_its_use_is_recorded(
    server: RunningServer, admin: httpx.Client
) -> None:
    """The secret authenticates at once; the token's `last_used_at` is then set."""
    token = create(admin, "reader", "read")
    with bearer(server, token["secret"]) as http:
        assert 200 == http.get("/v1/vms").status_code
    used = admin.get(f"/v1/tokens/{token['id']}").json()
    assert used["last_used_at"] is not None
    assert when(used["last_used_at"]) >= when(token["created_at"])
    assert used["etag"] != token["etag"]


def test_a_revoked_token_is_refused_on_its_next_request(
    server: RunningServer, admin: httpx.Client
) -> None:
    """Revocation takes effect at once, even for a token the server has just seen."""
    token = create(admin, "short-lived", "read")
    with bearer(server, token["secret"]) as http:
        assert 200 == http.get("/v1/vms").status_code  # now known to the server
        revoked = admin.delete(f"/v1/tokens/{token['id']}")
        refused = http.get("/v1/vms")
    assert (200, "revoked") == (revoked.status_code, revoked.json()["state"])
    assert revoked.json()["revoked_at"] is not None
    assert (401, "UNAUTHENTICATED") == (refused.status_code, refused.json()["code"])
    assert refused.headers["www-authenticate"].startswith("Bearer")
    again = admin.delete(f"/v1/tokens/{token['id']}")
    assert (200, revoked.json()["revoked_at"]) == (again.status_code, again.json()["revoked_at"])
    listed = admin.get("/v1/tokens", params={"page_size": 1000}).json()["items"]
    assert "revoked" == next(t["state"] for t in listed if t["id"] == token["id"])


def test_revoke_honours_if_match(server: RunningServer, admin: httpx.Client) -> None:
    """A stale or weak ETag is 412 PRECONDITION_FAILED and revokes nothing; the current works."""
    token = create(admin, "guarded", "read")
    url = f"/v1/tokens/{token['id']}"
    stale = admin.delete(url, headers={"If-Match": '"0000000000000000"'})
    weak = admin.delete(url, headers={"If-Match": f"W/{token['etag']}"})
    for response in (stale, weak):
        assert (412, "PRECONDITION_FAILED") == (response.status_code, response.json()["code"])
        assert token["etag"] == response.json()["metadata"]["etag"]
    assert "active" == admin.get(url).json()["state"]
    done = admin.delete(url, headers={"If-Match": token["etag"]})
    assert (200, "revoked") == (done.status_code, done.json()["state"])


def test_ttl_sets_the_expiry(admin: httpx.Client) -> None:
    """`ttl_seconds` makes `expires_at` that long after creation."""
    token = create(admin, "day", "read", ttl_seconds=86400)
    lifetime = when(token["expires_at"]) - when(token["created_at"])
    assert timedelta(seconds=86400) == lifetime


def test_list_pages_oldest_first(admin: httpx.Client) -> None:
    """page_size / page_token walk every token once, in creation order."""
    made = [create(admin, f"paged-{i}", "read")["id"] for i in range(3)]
    seen: list[str] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"page_size": 2}
        if token:
            params["page_token"] = token
        page = admin.get("/v1/tokens", params=params).json()
        assert len(page["items"]) <= 2
        seen += [t["id"] for t in page["items"]]
        token = page["next_page_token"]
        if token is None:
            break
    assert len(seen) == len(set(seen))
    assert made == [i for i in seen if i in made]


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({"name": "x", "scopes": ["root"]}, "/scopes/0"),
        ({"name": "x", "scopes": []}, "/scopes"),
        ({"name": "x", "scopes": ["read", "read"]}, "/scopes"),
        ({"scopes": ["read"]}, "/name"),
        ({"name": "", "scopes": ["read"]}, "/name"),
        ({"name": "n" * 129, "scopes": ["read"]}, "/name"),
        ({"name": "a\nb", "scopes": ["read"]}, "/name"),
        ({"name": "x", "scopes": ["read"], "ttl_seconds": 59}, "/ttl_seconds"),
        ({"name": "x", "scopes": ["read"], "ttl_seconds": "1h"}, "/ttl_seconds"),
        ({"name": "x", "scopes": ["read"], "secret": "vmk_mine"}, "/secret"),
    ],
)
def test_invalid_create_bodies_are_422(
    admin: httpx.Client, payload: dict[str, Any], pointer: str
) -> None:
    """Unknown, empty or repeated scopes, bad names and lifetimes: 422 at the field."""
    response = admin.post("/v1/tokens", json=payload)
    assert (422, "VALIDATION_FAILED") == (response.status_code, response.json()["code"])
    assert pointer in {issue["pointer"] for issue in response.json()["errors"]}


def test_unknown_and_malformed_token_ids(admin: httpx.Client) -> None:
    """A well-formed id that does not exist is 404 TOKEN_NOT_FOUND; a malformed one 422."""
    missing = "tok_" + "0" * 26
    for response in (admin.get(f"/v1/tokens/{missing}"), admin.delete(f"/v1/tokens/{missing}")):
        assert (404, "TOKEN_NOT_FOUND") == (response.status_code, response.json()["code"])
    assert 422 == admin.get("/v1/tokens/admin").status_code


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer vmk_" + "A" * 43, "Bearer " + "x" * 300, "Token abc", "Bearer"],
    ids=["missing", "unknown", "long", "other-scheme", "empty"],
)
def test_bad_tokens_get_401_on_the_tokens_api(
    server: RunningServer, authorization: str | None
) -> None:
    """No token, an unknown one or another scheme: 401 with WWW-Authenticate."""
    headers = {} if authorization is None else {"Authorization": authorization}
    response = httpx.get(f"{server.url}/v1/tokens", headers=headers)
    assert (401, "UNAUTHENTICATED") == (response.status_code, response.json()["code"])
    assert response.headers["www-authenticate"].startswith("Bearer")
