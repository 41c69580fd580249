"""The kernel: `vmlinuz` and the virtio modules out of the Debian kernel package."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

from .common import MODULES, BuildError

__all__ = ["extract_kernel"]


def extract_kernel(deb: Path, out: Path) -> tuple[str, dict[str, bytes]]:
    """Write `vmlinuz` into `out`; return the kernel release and the modules' bytes."""
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    modules: dict[str, bytes] = {}
    release = ""
    with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
        for member in tar:
            name = member.name
            base = os.path.basename(name)
            if name.startswith("./boot/vmlinuz-"):
                release = base.removeprefix("vmlinuz-")
                src = tar.extractfile(member)
                assert src is not None
                (out / "vmlinuz").write_bytes(src.read())
            elif base.endswith(".ko") and base[:-3] in MODULES and "/kernel/" in name:
                src = tar.extractfile(member)
                assert src is not None
                modules[base[:-3]] = src.read()
    if proc.wait() != 0 or not release:
        raise BuildError(f"{deb} has no ./boot/vmlinuz-*")
    missing = sorted(set(MODULES) - set(modules))
    if missing:
        raise BuildError(f"{deb} lacks the modules {missing}: the guest would have no virtio")
    return release, modules
