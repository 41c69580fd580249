"""Idempotency keys over time: kept 24 hours, pruned, and released after a restart.

The app runs in-process on a fake wall clock (httpx.ASGITransport, lifespan by hand).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import httpx
import pytest

from vmkit_server.app import ServerConfig, VmkitApp, create_app
from vmkit_server.core.idempotency import fingerprint, is_kept

pytestmark = pytest.mark.anyio


class FakeClock:
    """A wall clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def _started(data_dir: Path, clock: FakeClock) -> VmkitApp:
    app = create_app(ServerConfig(data_dir=data_dir, clock=clock, reconcile_interval=60))
    await app.startup()
    return app


def _client(app: VmkitApp) -> httpx.AsyncClient:
    secret = app.token_file.read_text().strip()
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://vmkit.test",
        headers={"Authorization": f"Bearer {secret}"},
    )


@pytest.fixture
def clock() -> FakeClock:
    """The app's wall clock."""
    return FakeClock()


@pytest.fixture
async def app(tmp_path: Path, clock: FakeClock) -> AsyncIterator[VmkitApp]:
    """The app, started; stopped after the test."""
    running = await _started(tmp_path / "data", clock)
    try:
        yield running
    finally:
        await running.shutdown()


async def test_a_key_is_kept_for_24_hours(app: VmkitApp, clock: FakeClock) -> None:
    """Until 24 h have passed the key is taken; from then on it is free for a new request."""
    async with _client(app) as http:
        headers = {"Idempotency-Key": "daily"}
        assert 202 == (await http.post("/v1/vms", json={"name": "a"}, headers=headers)).status_code
        clock.advance(24 * 3600 - 1)
        reused = await http.post("/v1/vms", json={"name": "b"}, headers=headers)
        clock.advance(1)
        fresh = await http.post("/v1/vms", json={"name": "b"}, headers=headers)
    assert (422, "IDEMPOTENCY_KEY_REUSED") == (reused.status_code, reused.json()["code"])
    assert (202, None) == (fresh.status_code, fresh.headers.get("idempotent-replayed"))


async def test_expired_keys_are_pruned_at_most_once_a_minute(
    app: VmkitApp, clock: FakeClock
) -> None:
    """prune() deletes keys older than 24 h and keeps younger ones; it runs once a minute."""
    async with _client(app) as http:
        for name in ("old-1", "old-2"):
            await http.post("/v1/vms", json={"name": name}, headers={"Idempotency-Key": name})
        clock.advance(12 * 3600)
        await http.post("/v1/vms", json={"name": "young"}, headers={"Idempotency-Key": "young"})
    clock.advance(12 * 3600 - 30)
    assert 0 == app.idempotency.prune()  # nothing has expired yet
    clock.advance(30)
    assert 0 == app.idempotency.prune()  # "old-*" have, but the last pass was 30 s ago
    clock.advance(30)
    assert 2 == app.idempotency.prune()
    with app.store.read() as tx:
        left = [t.id for t in tx.list_tokens() if tx.get_idempotency(t.id, "young") is not None]
    assert 1 == len(left)


async def test_the_background_pass_prunes(tmp_path: Path, clock: FakeClock) -> None:
    """The reconcile loop prunes expired keys without any request asking for it."""
    app = create_app(ServerConfig(data_dir=tmp_path / "data", clock=clock, reconcile_interval=0))
    await app.startup()
    try:
        with app.store.read() as tx:
            admin_id = tx.list_tokens()[0].id
        assert app.idempotency.begin(admin_id, "stale", "h") is None
        clock.advance(24 * 3600)

        def kept() -> bool:
            with app.store.read() as tx:
                return tx.get_idempotency(admin_id, "stale") is not None

        for _ in range(10_000):  # each pass of the loop yields once; this bounds the wait
            if not kept():
                break
            await anyio.lowlevel.checkpoint()
        assert not kept()
    finally:
        await app.shutdown()


async def test_keys_left_in_flight_by_a_crash_are_released_at_start(
    tmp_path: Path, clock: FakeClock
) -> None:
    """A key claimed by a request that a crash interrupted does not stay 409 for a day."""
    first = await _started(tmp_path / "data", clock)
    with first.store.read() as tx:
        admin_id = tx.list_tokens()[0].id
    digest = fingerprint("POST", "/v1/vms", b"", {"name": "lost"})
    assert first.idempotency.begin(admin_id, "crashed", digest) is None  # claimed, never done
    async with _client(first) as http:
        busy = await http.post(
            "/v1/vms", json={"name": "lost"}, headers={"Idempotency-Key": "crashed"}
        )
    assert (409, "IDEMPOTENCY_KEY_IN_FLIGHT") == (busy.status_code, busy.json()["code"])
    await first.shutdown()
    second = await _started(tmp_path / "data", clock)
    try:
        async with _client(second) as http:
            retried = await http.post(
                "/v1/vms", json={"name": "lost"}, headers={"Idempotency-Key": "crashed"}
            )
    finally:
        await second.shutdown()
    assert 202 == retried.status_code


def test_only_successful_answers_are_kept() -> None:
    """2xx answers are replayed; errors (the request changed nothing) are not."""
    assert [True, True, True] == [is_kept(s) for s in (200, 201, 202)]
    assert not any(is_kept(s) for s in (400, 404, 409, 412, 422, 500, 503, 504))


def test_the_fingerprint_ignores_field_order_and_nothing_else() -> None:
    """Method, path, query and body decide; JSON field order and spacing do not."""
    base = fingerprint("POST", "/v1/vms", b"", {"name": "a", "cpus": 1})
    assert base == fingerprint("post", "/v1/vms", b"", {"cpus": 1, "name": "a"})
    others = {
        fingerprint("PUT", "/v1/vms", b"", {"name": "a", "cpus": 1}),
        fingerprint("POST", "/v1/vms/a:start", b"", {"name": "a", "cpus": 1}),
        fingerprint("POST", "/v1/vms", b"x=1", {"name": "a", "cpus": 1}),
        fingerprint("POST", "/v1/vms", b"", {"name": "a", "cpus": 2}),
        fingerprint("POST", "/v1/vms", b"", None),
        fingerprint("POST", "/v1/vms", b"", b'{"name":"a","cpus":1}'),
    }
    assert base not in others and 6 == len(others)
