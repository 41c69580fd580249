"""Debian packages: what is installed, installing what is missing, the kernel's .deb."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from .common import KERNEL_META, BuildError, log, run

__all__ = ["ensure_packages", "fetch_kernel", "installed_version", "resolve_kernel"]


def installed_version(package: str) -> str | None:
    """The installed version of a Debian package, or None."""
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}\t${Version}", package],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    status, _, version = proc.stdout.partition("\t")
    return version if proc.returncode == 0 and status.endswith(" installed") else None


def ensure_packages(required: tuple[str, ...], *, may_install: bool) -> None:
    """Install missing packages as root, or fail naming them."""
    missing = [p for p in required if installed_version(p) is None]
    if not missing:
        return
    if not (may_install and os.geteuid() == 0):
        raise BuildError(
            f"missing Debian packages: {' '.join(missing)}; install them with "
            f"`sudo apt-get install -y {' '.join(missing)}` (or run this script as root)"
        )
    log(f"installing {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def _apt_lists_stamp() -> str:
    """Changes whenever `apt-get update` replaced the package lists."""
    lists = Path("/var/lib/apt/lists")
    return str(lists.stat().st_mtime_ns) if lists.is_dir() else ""


def _kernel_from_apt() -> tuple[str, str] | None:
    proc = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", KERNEL_META],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = re.search(r"^Depends:.*?(linux-image-\d\S*) \(= ([^)]+)\)", proc.stdout, re.M)
    return (found.group(1), found.group(2)) if found else None


def resolve_kernel(root: Path, *, may_install: bool) -> tuple[str, str]:
    """The (package, version) the kernel metapackage depends on today.

    apt-cache takes about a second here, so the answer is remembered until the package
    lists change.
    """
    memo = root / "kernel-resolution.json"
    stamp = _apt_lists_stamp()
    try:
        saved = json.loads(memo.read_text())
        if saved["stamp"] == stamp:
            return saved["package"], saved["version"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    resolved = _kernel_from_apt()
    if resolved is None and may_install and os.geteuid() == 0:
        run(["apt-get", "update", "-qq"])
        stamp, resolved = _apt_lists_stamp(), _kernel_from_apt()
    if resolved is not None:
        root.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"stamp": stamp, "package": resolved[0], "version": resolved[1]}))
        os.replace(tmp, memo)
        return resolved
    debs = root / "debs"
    cached = sorted(debs.glob("linux-image-*-cloud-amd64_*.deb"), key=lambda p: p.stat().st_mtime)
    if cached:
        package, version, _ = cached[-1].name.split("_", 2)
        log(f"apt does not know {KERNEL_META}; using the cached {cached[-1].name}")
        return package, version.replace("%3a", ":")
    raise BuildError(f"cannot resolve {KERNEL_META}: run `apt-get update` (as root) first")


def fetch_kernel(debs: Path, package: str, version: str) -> Path:
    """The kernel .deb, downloaded into `debs` once."""
    debs.mkdir(parents=True, exist_ok=True)
    pattern = f"{package}_{version.replace(':', '%3a')}_*.deb"
    found = sorted(debs.glob(pattern))
    if found:
        return found[0]
    log(f"downloading {package} {version}")
    argv = ["apt-get", "download", f"{package}={version}"]
    if os.geteuid() == 0:
        argv[1:1] = ["-o", "APT::Sandbox::User=root"]  # else a warning about _apt
    run(argv, cwd=debs)
    found = sorted(debs.glob(pattern))
    if not found:
        raise BuildError(f"apt-get download {package}={version} wrote no .deb in {debs}")
    return found[0]
