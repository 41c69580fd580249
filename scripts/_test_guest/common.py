"""What every build step shares: the guest's constants, the error, logging, subprocesses."""

from __future__ import annotations

import subprocess
import sys

__all__ = [
    "AGENT_CHANNEL",
    "BUILD_PACKAGES",
    "CMDLINE",
    "DISK_BYTES",
    "FORMAT",
    "IMAGE_NAME",
    "KERNEL_META",
    "MIN_MEMORY_MIB",
    "MODULES",
    "READY_MARKER",
    "RUN_PACKAGES",
    "SSH_PACKAGES",
    "BuildError",
    "log",
    "run",
]

FORMAT = 1
IMAGE_NAME = "vmkit/test-guest"
KERNEL_META = "linux-image-cloud-amd64"
BUILD_PACKAGES = ("busybox-static", "qemu-guest-agent", "qemu-utils", "e2fsprogs")
SSH_PACKAGES = ("dropbear-bin",)
RUN_PACKAGES = ("qemu-system-x86",)
#: Loaded by insmod in this order: the .deb has no modules.dep, and order matters
#: (virtio before virtio_ring fails with "Unknown symbol").
MODULES = (
    "virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci",
    "virtio_console", "virtio_blk", "failover", "net_failover", "virtio_net", "virtio-rng",
    "button", "evdev",
)  # fmt: skip
READY_MARKER = "VMKIT-READY"
AGENT_CHANNEL = "org.qemu.guest_agent.0"
CMDLINE = "console=ttyS0 quiet panic=-1 tsc=reliable no_timer_check i8042.noaux audit=0"
DISK_BYTES = 1 << 30  # the ext4 data disk's size; VMs grow it with their overlay
MIN_MEMORY_MIB = 128


class BuildError(Exception):
    """A build step failed; the message says which and how to fix it."""


def log(message: str) -> None:
    """Progress to stderr (stdout carries only the image's path)."""
    print(f"build-test-guest: {message}", file=sys.stderr, flush=True)


def run(argv: list[str], **kwargs: object) -> str:
    """Run a command, returning stdout; a failure raises BuildError with its stderr."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if proc.returncode != 0:
        raise BuildError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return str(proc.stdout)
