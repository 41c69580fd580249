"""Fixtures of the SDK client tests: respx routes, an injected clock, an async client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx
from client_helpers import BASE_URL, TOKEN, FakeTime

import vmkit


@pytest.fixture
def fake_time() -> FakeTime:
    """A clock and sleep that move only when the client sleeps."""
    return FakeTime()


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    """respx routes for BASE_URL."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def client(fake_time: FakeTime) -> AsyncIterator[vmkit.AsyncClient]:
    """An AsyncClient on BASE_URL whose sleeps and clock are `fake_time`'s."""
    async with vmkit.AsyncClient(
        BASE_URL, TOKEN, sleep=fake_time.asleep, clock=fake_time.clock
    ) as client:
        yield client
