"""vmkit in one page: create a VM, start it, snapshot it, clone it, list, stop, delete.

Run it against a server (`make demo` starts one for you):

    VMKIT_URL=http://127.0.0.1:8470 VMKIT_TOKEN=vmk_... python examples/quickstart.py

Without the variables the SDK uses http://127.0.0.1:8470 and the local server's token file.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import vmkit


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print a step and how long it took."""
    print(f"--> {title} ...", end=" ", flush=True)
    started = time.perf_counter()
    yield
    print(f"done in {time.perf_counter() - started:.3f} s")


def main() -> None:
    """The whole flow."""
    suffix = time.strftime("%H%M%S")
    with vmkit.Client() as client:
        host = client.hosts.get("local")
        print(f"server {client.base_url} - host {host.name!r}, backend {host.backend!r}")

        name = f"demo-web-{suffix}"
        with step(f"create VM {name!r} (1 CPU, 512 MiB)"):
            vm = client.vms.create(name, labels={"demo": "quickstart"}, wait=True)
        print(f"    {vm!r}")

        with step(f"start {vm.name}"):
            vm.start(wait=True)
        print(f"    state={vm.state} ready={vm.ready} ips={vm.ip_addresses}")

        with step("snapshot it while running (memory included)"):
            snap = vm.snapshot("first-boot", wait=True)
        print(f"    snapshot {snap.name}: includes_memory={snap.includes_memory}")

        with step(f"stop {vm.name}"):
            vm.stop(wait=True)

        with step("clone it"):
            clone = vm.clone(f"{vm.name}-copy", wait=True)
        print(f"    {clone!r}")

        with step("list VMs labelled demo=quickstart"):
            names = [v.name for v in client.vms.list(label=["demo=quickstart"])]
        print(f"    {names}")

        with step("delete both"):
            clone.delete(wait=True)
            vm.delete(wait=True)

        ops = list(client.operations.list(vm=vm.id))
        print(f"--> {len(ops)} operations recorded for {vm.name}: {[op.kind for op in ops]}")


if __name__ == "__main__":
    main()
