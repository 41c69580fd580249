"""A real server on a loopback socket, and SDK clients whose every response is checked
against the spec."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
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
def client(server: RunningServer, spec_checker: SpecChecker) -> Iterator[vmkit.Client]:
    """The sync SDK client, pointed at `server`, validating every response."""
    http = httpx.Client(
        base_url=server.url, event_hooks={"response": [spec_checker.check]}, timeout=30
    )
    with vmkit.Client(server.url, server.token, http_client=http) as c:
        yield c


def data_dir_of(server: RunningServer) -> Path:
    """The server's data directory."""
    return server.data_dir
