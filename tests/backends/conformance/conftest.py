"""The conformance suite: the same tests, through the SDK, on every backend.

`target` is parametrized over `conformance_targets.TARGETS` at session scope, so each
backend (and its fake) starts once per xdist worker. A test that needs a capability the
backend does not declare is skipped, and `test_conformance_unsupported.py` checks that each
undeclared capability answers 501 instead: together every capability is exercised one way
or the other on every backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conformance_helpers import Target, delete_every_vm
from conformance_targets import TARGETS, setup_for

import vmkit
from vmkit_server.testing import start_server


@pytest.fixture(scope="session", params=TARGETS)
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """A vmkit server on one backend (and the backend's fake), for the whole session."""
    name = str(request.param)
    workdir: Path = tmp_path_factory.mktemp(f"conformance-{name}")
    with setup_for(name, workdir) as setup:
        server = start_server(
            workdir / "data",
            backend_name=setup.backend_name,
            backend_options=setup.backend_options,
            reconcile_interval=0.2,
        )
        try:
            with vmkit.Client(server.url, server.token) as client:
                host = client.hosts.list()[0]
                capabilities = host.capabilities.to_dict()
            yield Target(name, server, setup, {k: bool(v) for k, v in capabilities.items()})
        finally:
            try:
                with vmkit.Client(server.url, server.token) as client:
                    delete_every_vm(client)
            finally:
                server.stop()


@pytest.fixture
def client(target: Target) -> Iterator[vmkit.Client]:
    """An SDK client of the target's server; every VM a test leaves is deleted after it."""
    with vmkit.Client(target.server.url, target.server.token) as sdk:
        try:
            yield sdk
        finally:
            delete_every_vm(sdk)
