"""Fixtures for the router tests: a router over routing_helpers.SPEC and a client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from routing_helpers import GOOD_TOKEN, SPEC, ErrorLog, authenticate, handlers

from vmkit_server.routing import SpecRouter


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def error_log() -> ErrorLog:
    return []


@pytest.fixture
def make_router(error_log: ErrorLog) -> Callable[..., SpecRouter]:
    def make(**kwargs: Any) -> SpecRouter:
        kwargs.setdefault("authenticate", authenticate)
        kwargs.setdefault("max_body_bytes", 1024)
        kwargs.setdefault("on_error", lambda exc, request: error_log.append((exc, request)))
        return SpecRouter(SPEC, handlers(), **kwargs)

    return make


@pytest.fixture
def router(make_router: Callable[..., SpecRouter]) -> SpecRouter:
    return make_router()


@pytest.fixture
async def client(router: SpecRouter) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=router)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {GOOD_TOKEN}"},
    ) as c:
        yield c
