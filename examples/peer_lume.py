"""Drive a Lume install two ways: its own typed client, and the vmkit SDK on top of it.

Lume (https://github.com/trycua/lume) serves VMs on `localhost:7777/lume` without auth.
vmkit ships a typed client for that API (`vmkit.peers.lume`, generated from
`spec/peers/lume.yaml`), and `vmkit-server --backend lume` puts the vmkit API in front of
it: operations, events, waiters, the pytest plugin, all on Lume's VMs (the ones made
outside vmkit are adopted).

    vmkit-server --backend lume --backend-url http://localhost:7777/lume &
    VMKIT_URL=http://127.0.0.1:8470 VMKIT_TOKEN=$(cat <token file>) \\
        LUME_URL=http://localhost:7777/lume python examples/peer_lume.py
"""

from __future__ import annotations

import os

import vmkit
from vmkit.peers.lume import Client as LumeClient
from vmkit.peers.lume.api.vms import list_vms


def lume_directly(url: str) -> None:
    """List Lume's VMs with the generated client: typed models, Lume's own field names."""
    with LumeClient(base_url=url) as lume:
        answer = list_vms.sync(client=lume)  # a list, or Lume's error body
        if not isinstance(answer, list):
            raise SystemExit(f"Lume refused: {answer}")
        for vm in answer:
            print(f"lume:  {vm.name:<20} {vm.state:<8} {vm.cpu} CPUs, {vm.memory} RAM")


def through_vmkit(url: str, token: str) -> None:
    """The same VMs through vmkit, then a new one driven from create to delete."""
    with vmkit.Client(url, token) as client:
        for vm in client.vms.list():
            print(f"vmkit: {vm.name:<20} {vm.state:<8} ({vm.state_reason})")
        vm = client.vms.create("example-linux", image="linux", cpus=2, memory_mib=2048,
                               disk_gib=16, wait=True)  # fmt: skip
        print(f"created {vm.name}: {vm.state}, {vm.memory_mib} MiB on {vm.backend}")
        vm.start(wait=True)
        print(f"started: {vm.state}, addresses {list(vm.ip_addresses)}")
        try:
            vm.snapshot("before")
        except vmkit.errors.CapabilityNotSupportedError as exc:
            print(f"snapshot: {exc.code} ({exc.status}): Lume has no snapshots")
        vm.stop(wait=True)
        vm.delete(wait=True)
        print("deleted")


if __name__ == "__main__":
    lume_directly(os.environ.get("LUME_URL", "http://localhost:7777/lume"))
    through_vmkit(os.environ.get("VMKIT_URL", "http://127.0.0.1:8470"), os.environ["VMKIT_TOKEN"])
