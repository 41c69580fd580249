"""vmkit on a real VM: boot the test guest, run a command, move a file, snapshot, clone, look.

Run it against a server on the QEMU backend (`make demo` starts one for you):

    VMKIT_URL=http://127.0.0.1:8470 VMKIT_TOKEN=vmk_... python examples/qemu_tour.py

It runs on any backend: a step the backend does not offer (see its host's capabilities)
is skipped, and says so. On the simulated backend every step answers, but nothing boots.
Both VMs are deleted at the end, also when a step fails.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import vmkit
from vmkit.errors import CapabilityNotSupportedError, VmkitError

T = TypeVar("T")

IMAGE = "vmkit/test-guest"
#: Seconds a boot may take: cold boots under TCG (no KVM) take a few seconds each.
BOOT_TIMEOUT = 180.0


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print a step and how long it took."""
    print(f"--> {title} ...", end=" ", flush=True)
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        print(f"failed after {time.perf_counter() - started:.3f} s", flush=True)
        raise
    print(f"done in {time.perf_counter() - started:.3f} s", flush=True)


def guest_step(title: str, offered: bool, action: Callable[[], T]) -> T | None:
    """A step the backend may not offer: skipped (and said so) if it does not.

    Args:
        title: What the step does.
        offered: Whether the host's capabilities list it.
        action: The step.

    Returns:
        What `action` returned, or None if the step was skipped.
    """
    if not offered:
        print(f"--> {title} ... SKIPPED: this backend does not offer it")
        return None
    try:
        with step(title):
            return action()
    except CapabilityNotSupportedError as exc:  # listed, but not (yet) there
        print(f"    SKIPPED: {exc}")
        return None


def tour(client: vmkit.Client, screenshot: Path, created: list[vmkit.VM]) -> None:
    """Every step; each VM made is appended to `created` at once, for the cleanup."""
    host = client.hosts.get("local")
    can = host.capabilities
    print(
        f"server {client.base_url} - host {host.name!r}, backend {host.backend!r}, "
        f"{host.hypervisor} {host.hypervisor_version}, accelerator {host.accelerator}"
    )
    name = f"tour-{time.strftime('%H%M%S')}"

    with step(f"create VM {name!r} from {IMAGE} (1 vCPU, 256 MiB)"):
        vm = client.vms.create(
            name, image=IMAGE, cpus=1, memory_mib=256, labels={"demo": "qemu-tour"}, wait=True
        )
        created.append(vm)
    print(f"    {vm!r}")

    with step(f"boot {vm.name} and wait until its guest agent answers"):
        vm.start(wait=True)  # raises with the reason if the boot failed
        vm.wait_ready(timeout=BOOT_TIMEOUT)
    print(f"    state={vm.state} ready={vm.ready}")

    result = guest_step(
        "exec `uname -a` in the guest",
        can.exec_,
        lambda: vm.exec(["uname", "-a"], check=True),
    )
    if result is not None:
        print(f"    exit {result.exit_code}: {result.stdout.strip()}")

    text = f"hello from the host, {time.ctime()}\n"

    def round_trip() -> bytes:
        vm.upload("/tmp/tour.txt", text)
        return vm.download("/tmp/tour.txt")

    back = guest_step("upload a file into the guest and read it back", can.files, round_trip)
    if back is not None:
        if back.decode() != text:
            raise SystemExit(f"/tmp/tour.txt came back different: {back!r}")
        print(f"    /tmp/tour.txt: {text.strip()!r} (same bytes)")

    with step("snapshot it while it runs (RAM included)"):
        snap = vm.snapshot("tour", wait=True)
    print(f"    snapshot {snap.name}: includes_memory={snap.includes_memory}")

    with step(f"pause {vm.name} for the copy"):
        vm.pause(wait=True)
    with step("clone it (copy-on-write disk)"):
        clone = vm.clone(f"{name}-clone", labels={"demo": "qemu-tour"}, wait=True)
        created.append(clone)
    print(f"    {clone!r}")
    with step(f"resume {vm.name}"):
        vm.resume(wait=True)

    with step(f"boot the clone {clone.name} and wait until it is ready"):
        clone.start(wait=True)
        clone.wait_ready(timeout=BOOT_TIMEOUT)

    shot = guest_step(
        f"screenshot the clone's display into {screenshot}",
        can.screenshot,
        clone.screenshot,
    )
    if shot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        shot.save(screenshot)
        print(f"    {shot!r}")

    with step("read both VMs' IP addresses"):
        vm.refresh()
        clone.refresh()
    for each in (vm, clone):
        print(f"    {each.name}: {each.state}, ips {each.ip_addresses}")

    with step("delete both (powered off first)"):
        clone.delete(force=True, wait=True)
        vm.delete(force=True, wait=True)
    created.clear()


def main() -> None:
    """Run the tour; whatever it made is deleted even if a step fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--screenshot",
        type=Path,
        default=Path("qemu-tour-screenshot.png"),
        help="where the clone's screenshot goes (default ./qemu-tour-screenshot.png)",
    )
    args = parser.parse_args()
    # Each step prints its own line and timing; waiters' progress bars would cut into them.
    os.environ.setdefault("VMKIT_PROGRESS", "0")
    started = time.perf_counter()
    created: list[vmkit.VM] = []
    with vmkit.Client() as client:
        try:
            tour(client, args.screenshot, created)
        finally:
            for vm in reversed(created):
                try:
                    vm.delete(force=True, wait=True)
                    print(f"--> cleanup: deleted {vm.name}")
                except VmkitError as exc:  # report, then keep cleaning up
                    print(f"--> cleanup: could not delete {vm.name}: {exc}")
    print(f"--> the tour took {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
