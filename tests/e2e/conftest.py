"""A real server on a loopback socket, and SDK clients whose every response is checked
against the spec."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from e2e_helpers import ResponseLog
from spec_check import SpecChecker

import vmkit
from vmkit_server.testing import RunningServer, start_server


@pytest.fixture(scope="module")
def spec_checker() -> Iterator[SpecChecker]:
    """Collects spec violations of every response; the module fails if there were any."""
    checker = SpecChecker()
    yield checker
    assert checker.failures == []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend, on 127.0.0.1 and a free port, for this module."""
    running = start_server(tmp_path_factory.mktemp("server") / "data")
    yield running
    running.stop()


@pytest.fixture
def response_log() -> ResponseLog:
    """Every response the test's SDK clients received (status and headers)."""
    return ResponseLog()


@pytest.fixture
def client(
    server: RunningServer, spec_checker: SpecChecker, response_log: ResponseLog
) -> Iterator[vmkit.Client]:
    """The sync SDK client, pointed at `server`, validating every response."""
    hooks = [spec_checker.check, response_log.record]
    with (
        httpx.Client(base_url=server.url, event_hooks={"response": hooks}, timeout=30) as http,
        vmkit.Client(server.url, server.token, http_client=http) as c,
    ):
        yield c


@pytest.fixture
async def async_client(
    server: RunningServer, spec_checker: SpecChecker, response_log: ResponseLog
) -> AsyncIterator[vmkit.AsyncClient]:
    """The async SDK client, pointed at `server`, validating every response."""
    hooks = [spec_checker.acheck, response_log.arecord]
    async with (
        httpx.AsyncClient(base_url=server.url, event_hooks={"response": hooks}, timeout=30) as http,
        vmkit.AsyncClient(server.url, server.token, http_client=http) as c,
    ):
        yield c
