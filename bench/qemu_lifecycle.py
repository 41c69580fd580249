"""QEMU lifecycle: vmkit (server + SDK) vs raw QEMU doing the same work, side by side.

Three comparisons, in one run, on real VMs of the test guest (``scripts/build-test-guest``):

a. create -> ready -> delete: ``client.vms.create(start=True, wait=True)``, ``wait_ready()``
   and ``delete(force=True, wait=True)`` vs raw ``qemu-system-x86_64`` with the backend's
   own command line booting the same kernel and initramfs until the guest agent answers
   ``guest-ping``, then SIGKILL and removal. Target: vmkit <= 1.15x raw.
b. clone of a stopped VM with a 1 GiB vs a 100 GiB virtual disk, both through vmkit.
   Target: 100 GiB / 1 GiB <= 1.2, and each under 100 ms.
c. snapshot save and restore of a running guest (256 MiB by default): ``vm.snapshot`` and
   ``client.snapshots.restore`` vs the same steps by hand over QMP: ``stop``, ``migrate``
   to ``exec:cat > file``, ``quit``, freeze the disk, ``-incoming`` + ``cont`` + agent
   ping; restore = kill, fresh overlay on the frozen layer, ``-incoming`` + ``cont`` +
   agent ping. Target: vmkit <= 1.2x raw, for each.

vmkit-server runs as its own process on loopback; vmkit and raw take turns (A/B, then
B/A) every round. Prints every run, medians and ratios; never a pass/fail gate.
Run it with ``make bench`` or ``python bench/qemu_lifecycle.py --help``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from _raw_qemu import GuestImage, RawVM
from _servers import ServerProcess, start_vmkit

import vmkit

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
GIB = 1 << 30
DISK_GIB = 10  # the server's default disk size: the raw VM gets the same overlay
TARGET_LIFECYCLE = 1.15
TARGET_CLONE_RATIO = 1.2
TARGET_CLONE_SECONDS = 0.100
TARGET_SNAPSHOT = 1.2

Timings = dict[str, list[float]]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--rounds", type=int, default=5, help="A/B rounds of (a) and (c) (default 5)")
    p.add_argument("--clone-rounds", type=int, default=10, help="rounds of (b) (default 10)")
    p.add_argument("--memory", type=int, default=256, help="guest RAM in MiB (default 256)")
    p.add_argument(
        "--parts", default="abc", help="which comparisons to run, e.g. 'ac' (default abc)"
    )
    p.add_argument("--accel", default="auto", choices=["auto", "kvm", "tcg"], help="(default auto)")
    return p


def _images_dir() -> Path | str:
    """The test guest's images dir, or why QEMU cannot run here."""
    if shutil.which("qemu-system-x86_64") is None or shutil.which("qemu-img") is None:
        return "qemu-system-x86_64 or qemu-img is not installed (make guest, as root)"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build-test-guest"), "--print-path"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return f"the test guest cannot be built: {proc.stderr.strip()[-300:]}"
    return Path(proc.stdout.strip()).parent.parent


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _verdict(ratio: float, target: float) -> str:
    return f"target <= {target}: {'met' if ratio <= target else 'NOT met'}"


def _turns(n: int) -> list[str]:
    return ["vmkit", "raw"] if n % 2 == 0 else ["raw", "vmkit"]


def _per_round(timings: Timings, what: str = "") -> None:
    """Each round's ratio vmkit/raw: both ran back to back, so it drifts least."""
    paired = sorted(v / r for v, r in zip(timings["vmkit"], timings["raw"], strict=True))
    print(
        f"per-round ratios{what}: {', '.join(f'{x:.3f}' for x in paired)}"
        f"  (median {_median(paired):.3f})"
    )


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# -- (a) create -> ready -> delete ---------------------------------------------------------


def _vmkit_lifecycle(client: vmkit.Client, name: str, memory: int) -> tuple[float, float]:
    started = time.perf_counter()
    vm = client.vms.create(name, memory_mib=memory, disk_gib=DISK_GIB, start=True, wait=True)
    vm.wait_ready(timeout=180)
    ready = time.perf_counter() - started
    return ready, _timed(lambda: vm.delete(force=True, wait=True))


def _raw_lifecycle(root: Path, image: GuestImage, memory: int, accel: str) -> tuple[float, float]:
    started = time.perf_counter()
    vm = RawVM(root, image, memory_mib=memory, accel=accel)
    try:
        vm.create_disk(image.disk, DISK_GIB * GIB)
        vm.boot()
        ready = time.perf_counter() - started
    except BaseException:
        vm.remove()
        raise
    return ready, _timed(vm.remove)


def part_a(client: vmkit.Client, work: Path, image: GuestImage, args: argparse.Namespace) -> None:
    """(a): create -> ready -> delete, vmkit vs raw."""
    accel = client.hosts.get("local").accelerator or "tcg"
    print(f"\n(a) create -> ready -> delete, {args.memory} MiB, 1 vCPU, {accel}", flush=True)
    ready: Timings = {"vmkit": [], "raw": []}
    delete: Timings = {"vmkit": [], "raw": []}
    for n in range(args.rounds):
        for side in _turns(n):
            if side == "vmkit":
                r, d = _vmkit_lifecycle(client, f"bench-a-{n}", args.memory)
            else:
                r, d = _raw_lifecycle(work / f"a{n}", image, args.memory, accel)
            ready[side].append(r)
            delete[side].append(d)
            print(
                f"round {n + 1}  {side:<5}  ready {r:6.3f} s  delete {d:6.3f} s"
                f"  total {r + d:6.3f} s",
                flush=True,
            )
    total = {s: [r + d for r, d in zip(ready[s], delete[s], strict=True)] for s in ready}
    for side in ("vmkit", "raw"):
        print(
            f"median {side:<5}  ready {_median(ready[side]):6.3f} s"
            f"  delete {_median(delete[side]):6.3f} s  total {_median(total[side]):6.3f} s"
        )
    _per_round(total)
    ratio = _median(total["vmkit"]) / _median(total["raw"])
    print(
        f"ratio (a) create->ready->delete vmkit/raw: {ratio:.3f}  "
        f"({_verdict(ratio, TARGET_LIFECYCLE)}; to ready alone: "
        f"{_median(ready['vmkit']) / _median(ready['raw']):.3f})",
        flush=True,
    )


# -- (b) clone: 1 GiB vs 100 GiB -----------------------------------------------------------


def part_b(client: vmkit.Client, args: argparse.Namespace) -> None:
    """(b): clone time of a 1 GiB and a 100 GiB disk, through vmkit."""
    print("\n(b) clone of a stopped VM through vmkit: 1 GiB vs 100 GiB virtual disk", flush=True)
    sources = {
        "1 GiB": client.vms.create("bench-b-1g", memory_mib=args.memory, disk_gib=1, wait=True),
        "100 GiB": client.vms.create(
            "bench-b-100g", memory_mib=args.memory, disk_gib=100, wait=True
        ),
    }
    for vm in sources.values():  # unmeasured: the first call of a kind warms up
        vm.clone(f"{vm.name}-warm", wait=True).delete(wait=True)
    times: Timings = {label: [] for label in sources}
    for n in range(args.clone_rounds):
        for label in list(sources) if n % 2 == 0 else list(reversed(sources)):
            vm = sources[label]
            started = time.perf_counter()
            clone = vm.clone(f"{vm.name}-c{n}", wait=True)
            times[label].append(time.perf_counter() - started)
            clone.delete(wait=True)
        print(
            f"round {n + 1}  "
            + "  ".join(f"{label} {times[label][-1] * 1e3:6.1f} ms" for label in sources),
            flush=True,
        )
    for vm in sources.values():
        vm.delete(wait=True)
    small, big = _median(times["1 GiB"]), _median(times["100 GiB"])
    print(f"median 1 GiB {small * 1e3:6.1f} ms   100 GiB {big * 1e3:6.1f} ms")
    each = "met" if max(small, big) < TARGET_CLONE_SECONDS else "NOT met"
    print(
        f"ratio (b) clone 100 GiB/1 GiB: {big / small:.3f}  "
        f"({_verdict(big / small, TARGET_CLONE_RATIO)}); "
        f"each < {TARGET_CLONE_SECONDS * 1e3:.0f} ms: {each}",
        flush=True,
    )


# -- (c) snapshot save and restore ---------------------------------------------------------


def _raw_snapshot(vm: RawVM, work: Path, n: int) -> tuple[float, float]:
    ram = work / f"snap-{n}.mem"
    started = time.perf_counter()
    vm.save_and_exit(ram)
    layer = vm.freeze(work / "layers")
    vm.restore(ram)
    saved = time.perf_counter() - started
    started = time.perf_counter()
    vm.kill()
    vm.revert(layer)
    vm.restore(ram)
    restored = time.perf_counter() - started
    ram.unlink()
    return saved, restored


def _vmkit_snapshot(client: vmkit.Client, vm: vmkit.VM, n: int) -> tuple[float, float]:
    name = f"s{n}"
    saved = _timed(lambda: vm.snapshot(name, wait=True))
    restored = _timed(lambda: client.snapshots.restore(vm.id, name, wait=True))
    client.snapshots.delete(vm.id, name, wait=True)
    return saved, restored


def part_c(client: vmkit.Client, work: Path, image: GuestImage, args: argparse.Namespace) -> None:
    """(c): snapshot save and restore of a running guest, vmkit vs raw QMP."""
    accel = client.hosts.get("local").accelerator or "tcg"
    print(f"\n(c) snapshot save and restore of a running {args.memory} MiB guest", flush=True)
    vm = client.vms.create("bench-c", memory_mib=args.memory, start=True, wait=True)
    vm.wait_ready(timeout=180)
    raw = RawVM(work / "c", image, memory_mib=args.memory, accel=accel)
    try:
        raw.create_disk(image.disk, DISK_GIB * GIB)
        raw.boot()
        save: Timings = {"vmkit": [], "raw": []}
        restore: Timings = {"vmkit": [], "raw": []}
        for n in range(args.rounds):
            for side in _turns(n):
                if side == "vmkit":
                    s, r = _vmkit_snapshot(client, vm, n)
                else:
                    s, r = _raw_snapshot(raw, work, n)
                save[side].append(s)
                restore[side].append(r)
                print(f"round {n + 1}  {side:<5}  save {s:6.3f} s  restore {r:6.3f} s", flush=True)
    finally:
        raw.remove()
        vm.delete(force=True, wait=True)
    for side in ("vmkit", "raw"):
        print(
            f"median {side:<5}  save {_median(save[side]):6.3f} s"
            f"  restore {_median(restore[side]):6.3f} s"
        )
    for what, timings in (("save", save), ("restore", restore)):
        _per_round(timings, f" {what}")
        ratio = _median(timings["vmkit"]) / _median(timings["raw"])
        print(
            f"ratio (c) snapshot {what} vmkit/raw: {ratio:.3f}  "
            f"({_verdict(ratio, TARGET_SNAPSHOT)})",
            flush=True,
        )


# -- the run -------------------------------------------------------------------------------


def _kill_leftovers(data_dir: Path) -> None:
    """SIGKILL QEMU daemons the server left (they outlive it) if a part failed midway."""
    for pidfile in data_dir.glob("qemu/vms/*/qemu.pid"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(pidfile.read_text().strip())
            if str(pidfile).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparisons and print every figure and ratio; returns the exit status."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("VMKIT_PROGRESS", "0")  # no progress bars between the figures
    found = _images_dir()
    if isinstance(found, str):
        print(f"qemu_lifecycle: SKIPPED, QEMU cannot run here: {found}")
        return 0
    image = GuestImage.load(found)
    with tempfile.TemporaryDirectory(prefix="vmkit-qbench-") as tmp:
        data = Path(tmp) / "data"
        server: ServerProcess | None = None
        try:
            server = start_vmkit(
                data, backend="qemu", options={"images_dir": str(found), "accel": args.accel}
            )
            token = (data / "admin-token").read_text().strip()
            with vmkit.Client(server.url, token) as client:
                host = client.hosts.get("local")
                print(
                    f"vmkit-server (QEMU backend, own process, 127.0.0.1) + the SDK vs raw "
                    f"QEMU by hand; {host.hypervisor} {host.hypervisor_version}, accelerator "
                    f"{host.accelerator}; guest {image.kernel.parent.name}\n"
                    f"note: everything shares this machine's {os.cpu_count()} cores",
                    flush=True,
                )
                if "a" in args.parts:
                    part_a(client, Path(tmp), image, args)
                if "b" in args.parts:
                    part_b(client, args)
                if "c" in args.parts:
                    part_c(client, Path(tmp), image, args)
        finally:
            if server is not None:
                server.stop()
            _kill_leftovers(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
