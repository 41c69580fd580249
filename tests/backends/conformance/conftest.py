"""The conformance suite: the same tests, through the SDK, on every backend.

`target` is parametrized over `conformance_targets.TARGETS` at session scope, so each
backend (and its fake) starts once per xdist worker. A test that needs a capability the
backend does not declare is skipped, and `test_conformance_unsupported.py` checks that each
undeclared capability answers 501 instead: together every capability is exercised one way
or the other on every backend.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conformance_targets import TARGETS, setup_for
from fakes._support import ConformanceSetup

import vmkit
from vmkit.errors import VmkitError
from vmkit_server.testing import RunningServer, start_server

#: Seconds any one wait may take (a QEMU boot under TCG included).
WAIT = 120.0
_names = itertools.count()


@dataclass
class Target:
    """One backend under test.

    Attributes:
        name: The target's name (the backend's).
        server: The vmkit server running on it.
        setup: How it was set up.
        capabilities: What the server says the backend supports.
    """

    name: str
    server: RunningServer
    setup: ConformanceSetup
    capabilities: dict[str, bool]

    def require(self, *capabilities: str) -> None:
        """Skip the test unless the backend declares every one of `capabilities`."""
        missing = [c for c in capabilities if not self.capabilities.get(c, False)]
        if missing:
            pytest.skip(f"{self.name} does not declare {', '.join(missing)}")

    def new_vm(self, client: vmkit.Client, prefix: str = "conf", **kwargs: Any) -> vmkit.VM:
        """A stopped VM of this backend with a fresh name, waiting for it.

        A backend that cannot create VMs (Nemeton's API has no create) gets one made on the
        system itself, and the VM vmkit adopts is returned.
        """
        name = f"{prefix}-{next(_names)}"
        if not self.capabilities["create"] and self.setup.make_outside_vm is not None:
            handle = self.setup.make_outside_vm(name)
            return client.vms.get(adopted_vm(client, handle)["id"])
        args = {**self.setup.create, **kwargs}
        return client.vms.create(name, wait=True, wait_timeout=WAIT, **args)


def adopted_vm(client: vmkit.Client, handle: str) -> dict[str, Any]:
    """The VM (as its `vm.created` event shows it) vmkit adopted for the system's `handle`.

    Waits on the live event stream, from its start, for the adoption; the reconciler looks
    for new VMs on every pass.
    """
    with client.events.stream("vm.created", last_event_id=0) as events:
        for event in events:
            vm: dict[str, Any] = event.data["vm"]
            if vm["extra"].get("adopted_from") == handle:
                assert "adopted" == event.data["reason"]
                return vm
    raise AssertionError("the event stream ended")


def _delete_every_vm(client: vmkit.Client) -> None:
    for vm in list(client.vms.list()):
        with contextlib.suppress(VmkitError):
            client.vms.delete(vm.id, force=True, wait=True, wait_timeout=WAIT)


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
                    _delete_every_vm(client)
            finally:
                server.stop()


@pytest.fixture
def client(target: Target) -> Iterator[vmkit.Client]:
    """An SDK client of the target's server; every VM a test leaves is deleted after it."""
    with vmkit.Client(target.server.url, target.server.token) as sdk:
        try:
            yield sdk
        finally:
            _delete_every_vm(sdk)
