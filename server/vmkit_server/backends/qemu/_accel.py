"""Choosing the accelerator: KVM only where `/dev/kvm` really boots a guest, else TCG.

`/dev/kvm` can exist and still not work (nested virtualisation that hangs in the boot
loader, CPUID features the host lacks), so `auto` boots the guest's kernel once under KVM
and watches for its first console line. The verdict is cached per host kernel, QEMU
version and kernel image, in the user's cache directory, so the probe runs once per host.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import platform
import time
from pathlib import Path

__all__ = ["choose_accelerator", "probe_kvm"]

_PROBE_SECONDS = 6.0


async def _qemu_version(binary: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        binary, "--version", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    out, _ = await proc.communicate()
    return out.decode(errors="replace").splitlines()[0] if out else "unknown"


async def probe_kvm(binary: str, kernel: Path, timeout: float = _PROBE_SECONDS) -> bool:
    """Boot `kernel` under KVM and report whether it printed its banner within `timeout`.

    Returns:
        True if KVM boots a guest here.
    """
    argv = [
        binary, "-accel", "kvm", "-cpu", "host", "-m", "128", "-nodefaults", "-no-user-config",
        "-display", "none", "-no-reboot", "-serial", "stdio", "-kernel", str(kernel),
        "-append", "console=ttyS0 earlyprintk=ttyS0 panic=-1",
    ]  # fmt: skip
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
    except OSError:
        return False
    assert proc.stdout is not None
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while b"Linux version" not in seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                chunk = await asyncio.wait_for(proc.stdout.read(4096), remaining)
            except TimeoutError:
                return False
            if not chunk:
                return False
            seen = seen[-64:] + chunk
        return True
    finally:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()


async def choose_accelerator(setting: str, binary: str, kernel: Path, cache_dir: Path) -> str:
    """The accelerator to use: `setting` unless it is `auto`, then the (cached) probe's.

    Args:
        setting: `auto`, `kvm` or `tcg`.
        binary: `qemu-system-x86_64`.
        kernel: A kernel to probe with.
        cache_dir: Where the verdict is remembered.

    Returns:
        `kvm` or `tcg`.
    """
    if setting != "auto":
        return setting
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "tcg"
    key_text = f"{platform.release()}|{await _qemu_version(binary)}|{kernel.stat().st_size}"
    key = hashlib.sha256(key_text.encode()).hexdigest()[:16]
    memo = cache_dir / "kvm-probe.json"
    with contextlib.suppress(OSError, ValueError, AttributeError):
        saved = json.loads(memo.read_text())
        if isinstance(saved.get(key), bool):
            return "kvm" if saved[key] else "tcg"
    works = await probe_kvm(binary, kernel)
    with contextlib.suppress(OSError, ValueError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        saved = json.loads(memo.read_text()) if memo.exists() else {}
        saved[key] = works
        tmp = memo.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(saved, indent=1, sort_keys=True))
        os.replace(tmp, memo)
    return "kvm" if works else "tcg"
