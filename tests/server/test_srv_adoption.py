"""Adoption: VMs a backend has that vmkit never made become vmkit VMs (peer backends)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import vmkit
from vmkit_server.backends.base import DiscoveredVM, NullContext, VMSpec
from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.testing import RunningServer, start_server


class AdoptingSimulated(SimulatedBackend):
    """A simulated hypervisor whose `outside` VMs were made by someone else (keyed by handle)."""

    def __init__(self) -> None:
        super().__init__(delay=0.0)
        self.outside: set[str] = set()

    async def make_outside(self, handle: str, *, running: bool) -> None:
        """A VM made behind vmkit's back, known by `handle` until adopted."""
        spec = VMSpec(handle, handle, cpus=3, memory_mib=768, disk_gib=7, image="ext", labels={})
        await self.create(spec, NullContext())
        if running:
            await self.start(handle, NullContext())
        self.outside.add(handle)

    async def discover(self) -> list[DiscoveredVM]:
        """Every outside VM not adopted yet."""
        return [
            DiscoveredVM(h, h, 3, 768, 7, "ext", await self.observe(h))
            for h in sorted(self.outside)
        ]

    async def adopt(self, handle: str, vm_id: str) -> None:
        """Re-key the VM under its vmkit id."""
        vm = self._vms.pop(handle)
        vm.id = vm_id
        self._vms[vm_id] = vm
        self.outside.discard(handle)


@pytest.fixture
def adopting(tmp_path: Path) -> Iterator[tuple[RunningServer, AdoptingSimulated]]:
    """A server on an adopting backend, reconciling every 50 ms."""
    backend = AdoptingSimulated()
    server = start_server(tmp_path / "data", backend=backend, reconcile_interval=0.05)
    try:
        yield server, backend
    finally:
        server.stop()


def adopt(server: RunningServer, backend: AdoptingSimulated, handle: str, **kw: bool) -> str:
    """Make `handle` outside vmkit and return the name of the VM the server records for it."""
    server.run(backend.make_outside(handle, **kw))
    with (
        vmkit.Client(server.url, server.token) as client,
        client.events.stream("vm.created", last_event_id=0) as events,
    ):
        for event in events:
            vm = event.data["vm"]
            if vm["extra"].get("adopted_from") == handle:
                assert ("adopted", "adopted") == (event.data["reason"], vm["state_reason"])
                return str(vm["name"])
    raise AssertionError("the event stream ended")


def test_a_vm_made_outside_is_recorded_as_it_is(
    adopting: tuple[RunningServer, AdoptingSimulated],
) -> None:
    """It gets an id, its state and resources, a `vm.created` event, and can be driven."""
    server, backend = adopting
    name = adopt(server, backend, "legacy", running=True)
    with vmkit.Client(server.url, server.token) as client:
        vm = client.vms.get(name)
        assert ("legacy", "running") == (vm.name, vm.state)
        assert (3, 768, 7, "ext") == (vm.cpus, vm.memory_mib, vm.disk_gib, vm.image)
        assert "stopped" == vm.force_stop(wait=True).state
    assert not backend.outside


def test_a_taken_name_gets_a_suffix(adopting: tuple[RunningServer, AdoptingSimulated]) -> None:
    """A VM named like one vmkit already has is adopted as `<name>-2`."""
    server, backend = adopting
    with vmkit.Client(server.url, server.token) as client:
        client.vms.create("web", wait=True)
    assert "web-2" == adopt(server, backend, "web", running=False)
