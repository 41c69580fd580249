"""When a build is needed (the hash of its inputs), and the build itself with its manifest.

The manifest is what the QEMU backend reads: the files, their sizes, and the guest's facts
(kernel command line, ready marker, agent channel, devices).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from pathlib import Path

from .apt import installed_version
from .common import (
    AGENT_CHANNEL,
    BUILD_PACKAGES,
    CMDLINE,
    DISK_BYTES,
    FORMAT,
    IMAGE_NAME,
    MIN_MEMORY_MIB,
    READY_MARKER,
    SSH_PACKAGES,
)
from .disk import build_disk
from .initramfs import build_initramfs, ssh_keys
from .kernel import extract_kernel

__all__ = ["build", "builder_sources", "input_hash", "sources_sha256", "tool_version"]

_PACKAGE = Path(__file__).resolve().parent


def builder_sources() -> list[Path]:
    """The builder's own files: `scripts/build-test-guest` and this package's modules."""
    return [_PACKAGE.parent / "build-test-guest", *sorted(_PACKAGE.glob("*.py"))]


def sources_sha256() -> str:
    """The SHA-256 of the builder's files, in `builder_sources` order."""
    digest = hashlib.sha256()
    for source in builder_sources():
        digest.update(source.read_bytes())
    return digest.hexdigest()


def input_hash(kernel: tuple[str, str], binaries: dict[str, str], with_ssh: bool) -> str:
    """What decides the build: the builder's text, the kernel and the copied files' bytes."""
    digest = hashlib.sha256(sources_sha256().encode())
    digest.update(f"{FORMAT}\0{kernel[0]}\0{kernel[1]}\0{with_ssh}\0".encode())
    for guest, host in sorted(binaries.items()):
        digest.update(guest.encode() + b"\0" + Path(host).read_bytes())
    return digest.hexdigest()[:16]


def tool_version(argv: list[str], pattern: str) -> str | None:
    """The first match of `pattern` in a tool's version output, or None."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    found = re.search(pattern, proc.stdout + proc.stderr)
    return found.group(1) if found else None


def build(
    out: Path,
    work: Path,
    kernel_deb: Path,
    kernel: tuple[str, str],
    binaries: dict[str, str],
    with_ssh: bool,
    digest: str,
) -> None:
    """Write every artifact and the manifest into `out`."""
    started = time.monotonic()
    release, modules = extract_kernel(kernel_deb, out)
    keys = ssh_keys(work) if with_ssh else None
    if keys is not None:
        (out / "id_ed25519").write_bytes(keys["id_ed25519"])
        (out / "id_ed25519").chmod(0o600)
    (out / "initramfs.cpio").write_bytes(build_initramfs(binaries, modules, keys))
    build_disk(out, work)
    files = {"kernel": "vmlinuz", "initramfs": "initramfs.cpio", "disk": "disk.qcow2"}
    if keys is not None:
        files["ssh_key"] = "id_ed25519"
    manifest = {
        "format": FORMAT,
        "name": IMAGE_NAME,
        "input_hash": digest,
        "inputs": {
            "script_sha256": sources_sha256(),
            "kernel_package": kernel[0],
            "kernel_version": kernel[1],
            "packages": {
                p: installed_version(p)
                for p in (*BUILD_PACKAGES, *(SSH_PACKAGES if with_ssh else ()))
            },
        },
        "files": files,
        "sizes": {role: (out / name).stat().st_size for role, name in files.items()},
        "disk_virtual_bytes": DISK_BYTES,
        "guest": {
            "arch": "x86_64",
            "kernel_release": release,
            "kernel_cmdline": CMDLINE,
            "min_memory_mib": MIN_MEMORY_MIB,
            "serial": "ttyS0",
            "ready_marker": READY_MARKER,
            "agent_channel": AGENT_CHANNEL,
            "agent_version": tool_version(["/usr/sbin/qemu-ga", "-V"], r"Agent (\S+)"),
            "busybox_version": tool_version(["/bin/busybox"], r"BusyBox v(\S+)"),
            "data_disk": {"device": "/dev/vda", "mount": "/mnt", "fs": "ext4"},
            "network": {"interface": "eth0", "method": "dhcp", "slirp_address": "10.0.2.15"},
            "ssh": {"user": "root", "port": 22} if with_ssh else None,
            "devices": ["virtio-serial-pci", "virtio-blk-pci", "virtio-net-pci"],
        },
        "build_seconds": None,
    }
    manifest["build_seconds"] = round(time.monotonic() - started, 3)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
