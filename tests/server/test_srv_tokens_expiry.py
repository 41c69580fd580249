"""Token lifetimes on a clock the test moves: expiry, last use, and the principal cache.

The app runs in-process (httpx.ASGITransport, lifespan driven by hand) so that its wall
clock can be a fake one; nothing here waits in real time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from vmkit_server.app import ServerConfig, VmkitApp, create_app

pytestmark = pytest.mark.anyio


class FakeClock:
    """A wall clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class App:
    """The app, its clock, and an admin client."""

    app: VmkitApp
    clock: FakeClock
    admin: httpx.AsyncClient

    def client(self, secret: str) -> httpx.AsyncClient:
        """A client of the same app sending `secret`."""
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="http://vmkit.test",
            headers={"Authorization": f"Bearer {secret}"},
        )

    async def create(self, *scopes: str, **extra: Any) -> dict[str, Any]:
        """A new token's 201 body."""
        response = await self.admin.post(
            "/v1/tokens", json={"name": "t", "scopes": list(scopes), **extra}
        )
        assert 201 == response.status_code, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[App]:
    """The app on a fake clock, started; stopped after the test."""
    clock = FakeClock()
    app = create_app(ServerConfig(data_dir=tmp_path / "data", clock=clock, reconcile_interval=60))
    await app.startup()
    try:
        secret = app.token_file.read_text().strip()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://vmkit.test",
            headers={"Authorization": f"Bearer {secret}"},
        ) as admin:
            yield App(app, clock, admin)
    finally:
        await app.shutdown()


async def test_a_token_works_until_it_expires(running: App) -> None:
    """Before `expires_at` the token works; from then on it is 401 and listed `expired`."""
    token = await running.create("read", ttl_seconds=60)
    async with running.client(token["secret"]) as http:
        running.clock.advance(59)
        assert 200 == (await http.get("/v1/vms")).status_code
        running.clock.advance(1)
        refused = await http.get("/v1/vms")
    assert (401, "UNAUTHENTICATED") == (refused.status_code, refused.json()["code"])
    shown = (await running.admin.get(f"/v1/tokens/{token['id']}")).json()
    assert "expired" == shown["state"]


async def test_last_use_is_stamped_at_most_once_a_minute(
    running: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first use sets `last_used_at`; uses within a minute leave it; a later use moves it."""
    ticks = [1000.0]
    monkeypatch.setattr(running.app.core.auth, "_monotonic", lambda: ticks[0])
    token = await running.create("read")
    url = f"/v1/tokens/{token['id']}"
    async with running.client(token["secret"]) as http:
        await http.get("/v1/vms")
        first = (await running.admin.get(url)).json()["last_used_at"]
        running.clock.advance(30)
        ticks[0] += 30
        await http.get("/v1/vms")
        unchanged = (await running.admin.get(url)).json()["last_used_at"]
        running.clock.advance(31)
        ticks[0] += 31
        await http.get("/v1/vms")
        moved = (await running.admin.get(url)).json()["last_used_at"]
    assert first is not None
    assert first == unchanged
    expected = datetime.fromisoformat(first) + timedelta(seconds=61)
    assert expected == datetime.fromisoformat(moved)


async def test_a_revocation_made_elsewhere_is_seen_within_a_minute(
    running: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token revoked behind the server's back (another process) stops working once the
    server reads its row again, at most a minute later; the API's own revoke is immediate."""
    ticks = [1000.0]
    monkeypatch.setattr(running.app.core.auth, "_monotonic", lambda: ticks[0])
    token = await running.create("read")
    async with running.client(token["secret"]) as http:
        assert 200 == (await http.get("/v1/vms")).status_code
        with running.app.store.tx() as tx:
            tx.revoke_token(token["id"], running.clock())
        ticks[0] += 59
        assert 200 == (await http.get("/v1/vms")).status_code
        ticks[0] += 1
        assert 401 == (await http.get("/v1/vms")).status_code


async def test_revoking_the_admin_token_locks_it_out(running: App) -> None:
    """A token may revoke itself; its next request is refused."""
    listed = (await running.admin.get("/v1/tokens")).json()["items"]
    admin_id = next(t["id"] for t in listed if t["name"] == "admin")
    assert 200 == (await running.admin.delete(f"/v1/tokens/{admin_id}")).status_code
    assert 401 == (await running.admin.get("/v1/tokens")).status_code
