"""examples/qemu_tour.py and `make demo` run for real, on the QEMU and the simulated backend."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from guest_image import built_guest_images

from vmkit_server.testing import RunningServer, start_server

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "examples" / "qemu_tour.py"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Every step the tour prints, in order; each must end "done in".
LIFECYCLE_STEPS = (
    "--> create VM ",
    "--> boot tour-",
    "--> snapshot it while it runs",
    "--> pause tour-",
    "--> clone it",
    "--> resume tour-",
    "--> boot the clone ",
    "--> read both VMs' IP addresses",
    "--> delete both",
)
#: The steps inside the guest, which a backend without them would skip.
GUEST_STEPS = (
    "--> exec `uname -a` in the guest",
    "--> upload a file into the guest and read it back",
    "--> screenshot the clone's display",
)


def _kill_leftover_vms(data_dir: Path) -> None:
    """SIGKILL the QEMU daemons a failed tour left behind (they outlive the server)."""
    for pidfile in data_dir.glob("qemu/vms/*/qemu.pid"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(pidfile.read_text().strip())
            if str(pidfile).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def qemu_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the QEMU backend with the test guest (skips where QEMU cannot run)."""
    images = built_guest_images()
    data = tmp_path_factory.mktemp("qemu-tour") / "data"
    running = start_server(
        data, backend_name="qemu", backend_options={"accel": "auto", "images_dir": str(images)}
    )
    try:
        yield running
    finally:
        running.stop()
        _kill_leftover_vms(data)


@pytest.fixture(scope="module")
def simulated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend."""
    running = start_server(tmp_path_factory.mktemp("sim-tour") / "data")
    yield running
    running.stop()


def _run_tour(server: RunningServer, screenshot: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOUR), "--screenshot", str(screenshot)],
        capture_output=True,
        text=True,
        env={**os.environ, "VMKIT_URL": server.url, "VMKIT_TOKEN": server.token},
        timeout=600,
        check=False,
    )


def _line(stdout: str, prefix: str) -> str:
    found = [line for line in stdout.splitlines() if line.startswith(prefix)]
    assert 1 == len(found), f"expected one line starting {prefix!r}:\n{stdout}"
    return found[0]


def _check_tour(stdout: str, screenshot: Path) -> None:
    """Every step done, nothing skipped, and the guest steps' results right."""
    for prefix in LIFECYCLE_STEPS + GUEST_STEPS:
        assert " done in " in _line(stdout, prefix), stdout
    assert "SKIPPED" not in stdout
    assert "    exit 0: Linux " in stdout  # uname -a
    assert "(same bytes)" in stdout  # the file came back as it went in
    assert PNG_MAGIC == screenshot.read_bytes()[: len(PNG_MAGIC)]


def test_tour_on_qemu_boots_snapshots_clones_and_deletes(
    qemu_server: RunningServer, tmp_path: Path
) -> None:
    """On real VMs every step of the tour works: exec, files, snapshot, clone, screenshot."""
    screenshot = tmp_path / "shot.png"
    result = _run_tour(qemu_server, screenshot)
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "backend 'qemu'" in result.stdout
    _check_tour(result.stdout, screenshot)
    assert "ips ['10.0.2.15'" in result.stdout  # slirp's DHCP address, from the guest agent
    assert "cleanup" not in result.stdout  # the tour deleted both VMs itself
    assert [] == list((Path(qemu_server.data_dir) / "qemu" / "vms").iterdir())


def test_tour_on_simulated_runs_every_step(simulated_server: RunningServer, tmp_path: Path) -> None:
    """On the simulated backend every step of the tour answers too."""
    screenshot = tmp_path / "shot.png"
    result = _run_tour(simulated_server, screenshot)
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "backend 'simulated'" in result.stdout
    _check_tour(result.stdout, screenshot)


def _path_without_qemu(tmp_path: Path) -> str:
    """A PATH with every command of this one except QEMU's (symlinks in one directory)."""
    shadow = tmp_path / "bin"
    shadow.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        with contextlib.suppress(OSError):
            for tool in Path(directory).iterdir():
                link = shadow / tool.name
                if not tool.name.startswith("qemu-") and not link.exists():
                    link.symlink_to(tool)
    return str(shadow)


def test_demo_without_qemu_falls_back_to_simulated_loudly(tmp_path: Path) -> None:
    """scripts/demo without QEMU says why, runs the tour on the simulated backend, exits 0."""
    work = tmp_path / "tmp"
    work.mkdir()
    env = {
        **os.environ,
        "PATH": _path_without_qemu(tmp_path),
        "VMKIT_VENV": str(Path(sys.executable).parent.parent),
        "TMPDIR": str(work),
    }
    env.pop("VMKIT_DEMO_BACKEND", None)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo")],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
        cwd=ROOT,
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "==> NOT running real VMs: qemu-system-x86_64 is not installed" in result.stdout
    assert "backend 'simulated'" in result.stdout
    assert "--> delete both" in result.stdout
    assert "==> This ran on the SIMULATED backend" in result.stdout
    assert [] == list(work.glob("vmkit-demo.*"))  # its data dir was cleaned up
