"""What the conformance tests share: the backend under test, the waits, adoption."""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from fakes._support import ConformanceSetup

import vmkit
from vmkit.errors import VmkitError
from vmkit_server.testing import RunningServer

__all__ = ["WAIT", "Target", "adopted_vm", "delete_every_vm"]

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


def delete_every_vm(client: vmkit.Client) -> None:
    """Force-delete every VM the client's server has (ignoring failures)."""
    for vm in list(client.vms.list()):
        with contextlib.suppress(VmkitError):
            client.vms.delete(vm.id, force=True, wait=True, wait_timeout=WAIT)
