"""The fake `tart` for the Tart tests: install it, run it, and never leave a VM running."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fakes.tart import install, run_fake

from vmkit_server.backends.peers.tart import TartBackend, from_options

UBUNTU = "ghcr.io/cirruslabs/ubuntu:latest"
MACOS = "ghcr.io/cirruslabs/macos-sequoia-base:latest"
VANILLA = "ghcr.io/cirruslabs/macos-sequoia-vanilla:latest"


@dataclass
class FakeTart:
    """A fake `tart` with its own `TART_HOME`."""

    tart: Path
    home: Path

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `tart <args>` to its end."""
        return run_fake(self.tart, self.home, *args)

    def ok(self, *args: str) -> str:
        """Run `tart <args>`, which must succeed; its standard output."""
        done = self(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def json(self, *args: str) -> Any:
        """Run `tart <args> --format json`; the parsed output."""
        return json.loads(self.ok(*args, "--format", "json"))

    def state(self, name: str) -> str:
        """The VM's `State`."""
        return str(self.json("get", name)["State"])

    def popen_run(self, name: str, *flags: str) -> subprocess.Popen[str]:
        """Start `tart run NAME` in the background, as a terminal user would."""
        env = {**os.environ, "TART_HOME": str(self.home)}
        return subprocess.Popen(
            [str(self.tart), "run", *flags, name],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    def wait_state(self, name: str, state: str, timeout: float = 10.0) -> None:
        """Wait until the VM's `State` is `state`."""
        deadline = time.monotonic() + timeout
        while self.state(name) != state:
            assert time.monotonic() < deadline, f"{name} never became {state}"
            time.sleep(0.02)

    def stop_everything(self) -> None:
        """Stop every running VM (so no `tart run` outlives a test)."""
        if not (self.home / "vms").exists():
            return
        for row in self.json("list", "--source", "local"):
            if row["State"] == "running":
                self("stop", "--timeout", "2", row["Name"])


def fake_tart(tmp_path: Path) -> Iterator[FakeTart]:
    """A fixture body: a fake `tart` under `tmp_path`, every VM stopped afterwards."""
    fake = FakeTart(install(tmp_path / "bin"), tmp_path / "tart-home")
    fake.home.mkdir()
    try:
        yield fake
    finally:
        fake.stop_everything()


def backend_for(fake: FakeTart, state_dir: Path, **options: str) -> TartBackend:
    """A Tart backend on `fake`, polling fast."""
    opts = {
        "tart": str(fake.tart),
        "tart_home": str(fake.home),
        "poll_interval": "0.02",
        "ready_timeout": "5",
        "timeout": "10",
        **options,
    }
    return from_options(opts, state_dir=state_dir)
