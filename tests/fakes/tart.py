#!/usr/bin/env python3
"""A fake `tart` executable: the Tart CLI (cirruslabs/tart) without macOS, for tests.

Run it as `tart`: it keeps its VMs under `$TART_HOME` (default `~/.tart`) the way the real
one does (`vms/<name>/config.json`, `disk.img`, `nvram.bin`, `state.vzvmsave`; the OCI cache
in `cache/OCIs`), prints the real CLI's JSON and error messages and exits with its codes.
`tart run` stays in the foreground until `tart stop`/`tart suspend` (or the guest) ends it:
the VM is running while that process lives. Images come from a small built-in registry
(`ghcr.io/cirruslabs/ubuntu`, `debian`, `macos-sequoia-base`, `macos-sequoia-vanilla`), no
network. Stdlib only; the pieces are `_tart_*.py` next to this file:

- `_tart_cli`: the subcommands and how errors are printed;
- `_tart_args`: the command line, refused as swift-argument-parser refuses it;
- `_tart_run`: `run`, `stop` and `suspend`;
- `_tart_home`: `$TART_HOME`, VM directories, run locks, DHCP leases;
- `_tart_oci`: the built-in registry and the OCI cache;
- `_tart_guest`: what a disk holds, and the shell `tart exec` runs commands in.

Imported as `fakes.tart`, it offers `install(bin_dir)` (a `tart` launcher running this file
with the current interpreter) and `conformance_setup(workdir)` for the conformance suite.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._support import ConformanceSetup

HERE = Path(__file__).resolve().parent
#: The image the conformance suite creates VMs from: macOS (Tart suspends only macOS guests)
#: with the Tart Guest Agent (for exec and files).
CONFORMANCE_IMAGE = "ghcr.io/cirruslabs/macos-sequoia-base:latest"


def install(bin_dir: Path) -> Path:
    """Write `bin_dir/tart`, a launcher running this fake with the current interpreter.

    Args:
        bin_dir: Where to put it (created if missing).

    Returns:
        The launcher's path.
    """
    bin_dir.mkdir(parents=True, exist_ok=True)
    launcher = bin_dir / "tart"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" "$@"\n')
    launcher.chmod(0o755)
    return launcher


def run_fake(tart: Path, tart_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the fake `tart` once with `TART_HOME=tart_home`, capturing its output.

    Args:
        tart: The launcher (from `install`).
        tart_home: Its `TART_HOME`.
        *args: The arguments after `tart`.

    Returns:
        The finished process (not checked).
    """
    env = {**os.environ, "TART_HOME": str(tart_home)}
    return subprocess.run(
        [str(tart), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@contextlib.contextmanager
def conformance_setup(workdir: Path) -> Iterator[ConformanceSetup]:
    """The conformance suite's setup for the `tart` backend on this fake.

    Args:
        workdir: A directory for the launcher and `TART_HOME`.

    Yields:
        A `ConformanceSetup`: backend `tart` with options `tart`, `tart_home` and a short
        `poll_interval`; `make_outside_vm` creates a VM with the fake `tart create --linux`.
    """
    from ._support import ConformanceSetup  # not at the top: this file also runs as a script

    tart = install(workdir / "bin")
    home = workdir / "tart-home"
    home.mkdir(parents=True, exist_ok=True)

    def make_outside_vm(name: str) -> str:
        done = run_fake(tart, home, "create", "--linux", "--disk-size", "20", name)
        if done.returncode != 0:
            raise RuntimeError(f"fake tart create failed: {done.stderr.strip()}")
        return name

    yield ConformanceSetup(
        backend_name="tart",
        backend_options={
            "tart": str(tart),
            "tart_home": str(home),
            "poll_interval": "0.05",
            "ready_timeout": "10",
        },
        # the image's minimums (4 CPUs, 8 GiB) and its 50 GB disk (46 GiB: Tart cannot shrink)
        create={"image": CONFORMANCE_IMAGE, "cpus": 4, "memory_mib": 8192, "disk_gib": 46},
        make_outside_vm=make_outside_vm,
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    from _tart_cli import main

    sys.exit(main(sys.argv[1:]))
