"""The `nemeton` backend follows Nemeton's event feed (`watch()`), against the fake on a socket."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes._nemeton_state import FakeNemeton
from fakes._support import serve_app
from fakes.nemeton import DEFAULT_TOKEN, create_app
from httpx_sse import ServerSentEvent
from starlette.applications import Starlette

import vmkit
from vmkit_server.backends.base import BackendUnavailableError, Watching
from vmkit_server.backends.peers._nemeton_events import changed_handle
from vmkit_server.backends.peers.nemeton import from_options
from vmkit_server.testing import start_server

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
#: Seconds a wait for the feed's subscription may take before the test fails.
SUBSCRIBE_TIMEOUT = 30.0


@pytest.fixture
def app() -> Starlette:
    """A fresh fake Nemeton with short steps."""
    return create_app(step_seconds=0.01)


@pytest.fixture
def subscribed(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set once a client has subscribed to the fake's feed: every later event reaches it."""
    fake: FakeNemeton = app.state.nemeton
    done = threading.Event()
    subscribe = fake.subscribe

    def subscribe_and_tell() -> asyncio.Queue[dict[str, Any]]:
        queue = subscribe()
        done.set()
        return queue

    monkeypatch.setattr(fake, "subscribe", subscribe_and_tell)
    return done


@pytest.fixture
def url(app: Starlette) -> Iterator[str]:
    """Where the fake answers."""
    with serve_app(app) as base:
        yield base


def options(url: str, token: str = DEFAULT_TOKEN) -> dict[str, str]:
    """The backend's options for the fake at `url`."""
    return {"url": url, "token": token, "poll_interval": "0.01"}


def make_vm(url: str, name: str) -> str:
    """A VM made in Nemeton's app (the fake's stand-in route); its Nemeton id."""
    response = httpx.post(f"{url}/_fake/vms", json={"name": name}, headers=AUTH)
    response.raise_for_status()
    return str(response.json()["id"])


@pytest.mark.anyio
async def test_a_change_made_in_nemeton_comes_out_as_the_vmkit_id(
    url: str, subscribed: threading.Event, tmp_path: Path
) -> None:
    """A VM started through Nemeton's API is named by its vmkit id; unmapped VMs are skipped."""
    backend = from_options(options(url), state_dir=tmp_path)
    assert isinstance(backend, Watching)
    mine, other = make_vm(url, "mine"), make_vm(url, "other")
    await backend.adopt(mine, "vm_mine")
    feed = backend.watch()
    first = asyncio.ensure_future(anext(feed))
    try:
        assert await asyncio.to_thread(subscribed.wait, SUBSCRIBE_TIMEOUT)
        async with httpx.AsyncClient(base_url=f"{url}/api/v1", headers=AUTH) as nemeton:
            for handle in (other, mine):  # `other` first: its events must not come out
                (await nemeton.post(f"/vms/{handle}/start")).raise_for_status()
            assert "vm_mine" == await first
            (await nemeton.post(f"/vms/{mine}/pause")).raise_for_status()
            assert "vm_mine" == await anext(feed)
    finally:
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        await feed.aclose()  # type: ignore[attr-defined]  # an async generator
        await backend.close()


@pytest.mark.anyio
async def test_a_wrong_token_makes_the_feed_unavailable(url: str, tmp_path: Path) -> None:
    """Nemeton's 401 on the feed is the adapter's 503: it refused the token."""
    backend = from_options(options(url, token="not-the-token"), state_dir=tmp_path)
    try:
        with pytest.raises(BackendUnavailableError, match="refused the token") as caught:
            await anext(backend.watch())
        assert 401 == caught.value.metadata["nemeton_status"]
    finally:
        await backend.close()


@pytest.mark.parametrize(
    ("message", "handle"),
    [
        (ServerSentEvent("vm.stopped", '{"event": "vm.stopped", "vmId": "n-1"}'), "n-1"),
        (ServerSentEvent("vm.error", '{"vmId": "n-1"}'), "n-1"),  # the type from the SSE field
        (ServerSentEvent("snapshot.created", '{"event": "snapshot.created", "vmId": "n-1"}'), None),
        (ServerSentEvent("console.output", '{"event": "console.output", "vmId": "n-1"}'), None),
        (ServerSentEvent("vm.started", '{"event": "vm.started"}'), None),
        (ServerSentEvent("vm.started", "not json"), None),
        (ServerSentEvent("vm.started", '["vm.started"]'), None),
    ],
)
def test_only_vm_events_name_a_vm(message: ServerSentEvent, handle: str | None) -> None:
    """`vm.*` events give their `vmId`; other types and malformed data give nothing."""
    assert handle == changed_handle(message)


def test_a_change_in_nemeton_becomes_a_vmkit_event_without_a_pass(
    url: str, subscribed: threading.Event, tmp_path: Path
) -> None:
    """With passes an hour apart, a VM started in Nemeton's app is `vm.state_changed` at once."""
    handle = make_vm(url, "desk")
    server = start_server(
        tmp_path / "data",
        backend_name="nemeton",
        backend_options=options(url),
        reconcile_interval=3600,  # only the pass at start runs: it adopts the VM
    )
    try:
        with vmkit.Client(server.url, server.token) as client:
            with client.events.stream("vm.created", last_event_id=0) as events:
                created = next(e for e in events if e.data["vm"]["extra"]["adopted_from"] == handle)
            assert subscribed.wait(SUBSCRIBE_TIMEOUT)
            httpx.post(f"{url}/api/v1/vms/{handle}/start", headers=AUTH).raise_for_status()
            with client.events.stream("vm.state_changed", last_event_id=created.id) as events:
                changed = next(iter(events))
        assert (created.vm_id, "stopped", "running") == (
            changed.vm_id,
            changed.data["previous_state"],
            changed.data["vm"]["state"],
        )
    finally:
        server.stop()
