"""Raw QEMU, the baseline of ``qemu_lifecycle.py``: one VM driven by hand.

It runs the QEMU backend's own command line (``build_argv``, so both sides boot the same
machine with the same devices) and does what the backend does, in the same order and with
the same polling (20 ms), but with nothing of vmkit around it: no HTTP, no operations, no
records, no asyncio. QMP and the guest agent are spoken over plain unix sockets.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shlex
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vmkit_server.backends.qemu import MachineSpec, VMPaths, build_argv, socket_dir

__all__ = ["GuestImage", "RawVM", "is_alive"]

POLL = 0.02  # what the backend polls at (serial log, run state, migration, exit)
READY_MARKER = b"VMKIT-READY"


@dataclass(frozen=True)
class GuestImage:
    """The built test guest (``scripts/build-test-guest``).

    Attributes:
        kernel: Its kernel.
        initramfs: Its initramfs.
        disk: Its base disk.
        cmdline: The kernel command line it expects.
    """

    kernel: Path
    initramfs: Path
    disk: Path
    cmdline: str

    @classmethod
    def load(cls, images_dir: Path) -> GuestImage:
        """The current build under `images_dir` (``test-guest/current/manifest.json``)."""
        root = (images_dir / "test-guest" / "current").resolve()
        manifest = json.loads((root / "manifest.json").read_text())
        files = manifest["files"]
        return cls(
            kernel=root / files["kernel"],
            initramfs=root / files["initramfs"],
            disk=root / files["disk"],
            cmdline=manifest["guest"]["kernel_cmdline"],
        )


def is_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie has exited: PID 1 may reap it seconds later)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise RuntimeError(f"{what}: not within {timeout} s")
        time.sleep(POLL)


class _Lines:
    """JSON lines over a connected unix socket."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.buffer = b""

    def send(self, message: dict[str, Any], prefix: bytes = b"") -> None:
        self.sock.sendall(prefix + json.dumps(message).encode() + b"\n")

    def skip_to(self, marker: bytes) -> None:
        while marker not in self.buffer:
            self._fill()
        self.buffer = self.buffer.split(marker, 1)[1]

    def read(self) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


class _QMP:
    """A QMP connection: greeting, ``qmp_capabilities``, then one command at a time."""

    def __init__(self, path: Path) -> None:
        self.lines = _Lines(path, timeout=10.0)
        self.lines.read()  # the greeting
        self.execute("qmp_capabilities")

    def execute(self, command: str, arguments: dict[str, Any] | None = None) -> Any:
        message: dict[str, Any] = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        self.lines.send(message)
        while True:
            answer = self.lines.read()
            if "error" in answer:
                raise RuntimeError(f"{command}: {answer['error']}")
            if "return" in answer:
                return answer["return"]  # anything else is an event

    def close(self) -> None:
        self.lines.close()


def _agent_ping(path: Path, timeout: float) -> None:
    """Return once the guest agent answers ``guest-ping`` (synchronised as the backend does)."""
    deadline = time.monotonic() + timeout
    while True:
        lines: _Lines | None = None
        try:
            lines = _Lines(path, timeout=min(1.0, max(0.05, deadline - time.monotonic())))
            token = random.randrange(1, 2**31)
            lines.send({"execute": "guest-sync-delimited", "arguments": {"id": token}}, b"\xff")
            while True:
                lines.skip_to(b"\xff")
                if lines.read().get("return") == token:
                    break
            lines.send({"execute": "guest-ping"})
            if "return" in lines.read():
                return
        except (OSError, ValueError):
            if time.monotonic() >= deadline:
                raise RuntimeError(f"the guest agent did not answer within {timeout} s") from None
            time.sleep(0.05)
        finally:
            if lines is not None:
                lines.close()


class RawVM:
    """One VM in its own directory, run with the backend's command line.

    Args:
        root: Its directory (created).
        image: The guest.
        memory_mib: RAM.
        accel: ``tcg`` or ``kvm``.
        qemu: The ``qemu-system-x86_64`` binary.
        qemu_img: The ``qemu-img`` binary.
    """

    def __init__(
        self,
        root: Path,
        image: GuestImage,
        *,
        memory_mib: int,
        accel: str,
        qemu: str = "qemu-system-x86_64",
        qemu_img: str = "qemu-img",
    ) -> None:
        root.mkdir(parents=True)
        self.paths = VMPaths(root, socket_dir(root))
        self.spec = MachineSpec(
            name=f"raw-{root.name}",
            cpus=1,
            memory_mib=memory_mib,
            accel=accel,
            kernel=image.kernel,
            initramfs=image.initramfs,
            cmdline=image.cmdline,
        )
        self.qemu, self.qemu_img = qemu, qemu_img
        self.pid: int | None = None
        self.qmp: _QMP | None = None

    def create_disk(self, backing: Path, size_bytes: int) -> None:
        """Make the VM's top layer: a copy-on-write overlay on `backing`."""
        subprocess.run(
            [self.qemu_img, "create", "-q", "-f", "qcow2", "-u", "-b", str(backing.resolve()),
             "-F", "qcow2", str(self.paths.disk), str(size_bytes)],
            check=True,
        )  # fmt: skip

    def _launch(self, incoming: Path | None) -> None:
        for stale in (self.paths.pidfile, self.paths.qmp, self.paths.agent, self.paths.serial):
            stale.unlink(missing_ok=True)
        self.paths.sock_dir.mkdir(parents=True, exist_ok=True)
        argv = build_argv(self.qemu, self.spec, self.paths, incoming=incoming)
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{shlex.join(argv)} failed: {done.stdout!r} {done.stderr!r}")
        self.pid = int(self.paths.pidfile.read_text())

    def boot(self, timeout: float = 120.0) -> None:
        """Cold-boot; return once the ready marker is on the serial log and the agent answers."""
        deadline = time.monotonic() + timeout
        self._launch(None)

        def marked() -> bool:
            try:
                return READY_MARKER in self.paths.serial_log.read_bytes()
            except OSError:
                return False

        _wait(marked, timeout, "the ready marker")
        _agent_ping(self.paths.agent, max(1.0, deadline - time.monotonic()))

    def restore(self, ram: Path, timeout: float = 120.0) -> None:
        """Start from saved RAM (``-incoming``), continue, and wait for the agent."""
        deadline = time.monotonic() + timeout
        self._launch(ram)
        qmp = self._monitor()
        _wait(lambda: qmp.execute("query-status")["status"] != "inmigrate", timeout, "loading")
        qmp.execute("cont")
        _agent_ping(self.paths.agent, max(1.0, deadline - time.monotonic()))

    def _monitor(self) -> _QMP:
        if self.qmp is None:
            self.qmp = _QMP(self.paths.qmp)
        return self.qmp

    def _forget_process(self) -> None:
        if self.qmp is not None:
            self.qmp.close()
        self.qmp, self.pid = None, None

    def save_and_exit(self, target: Path, timeout: float = 120.0) -> None:
        """Stop the vCPUs, migrate RAM into `target` (``exec:cat``), quit, wait for the exit."""
        qmp = self._monitor()
        qmp.execute("stop")
        qmp.execute("migrate-set-parameters", {"max-bandwidth": 1 << 40})
        qmp.execute("migrate", {"uri": f"exec:cat > {shlex.quote(str(target))}"})

        def completed() -> bool:
            state = qmp.execute("query-migrate").get("status")
            if state in ("failed", "cancelled"):
                raise RuntimeError(f"migration {state}")
            return bool(state == "completed")

        _wait(completed, timeout, "saving RAM")
        pid = self.pid
        with contextlib.suppress(OSError, ValueError):  # it may close before it answers
            qmp.execute("quit")
        self._forget_process()
        if pid is not None:
            _wait(lambda: not is_alive(pid), 10.0, "QEMU's exit")

    def freeze(self, layers: Path) -> Path:
        """Rename the (closed) top layer into `layers` and put a fresh overlay on it."""
        layers.mkdir(parents=True, exist_ok=True)
        layer = layers / f"{random.getrandbits(64):016x}.qcow2"
        os.replace(self.paths.disk, layer)
        self.create_disk(layer, self.size_of(layer))
        layer.chmod(0o444)
        return layer

    def revert(self, layer: Path) -> None:
        """Replace the top layer by a fresh overlay on `layer` (the VM must be stopped)."""
        self.paths.disk.unlink(missing_ok=True)
        self.create_disk(layer, self.size_of(layer))

    @staticmethod
    def size_of(disk: Path) -> int:
        """A qcow2 file's virtual size, from its header."""
        with disk.open("rb") as fh:
            fh.seek(24)
            return int.from_bytes(fh.read(8), "big")

    def kill(self) -> None:
        """SIGKILL the process and wait until it has exited."""
        pid = self.pid
        self._forget_process()
        if pid is not None and is_alive(pid):
            os.kill(pid, signal.SIGKILL)
            _wait(lambda: not is_alive(pid), 10.0, "QEMU's exit")

    def remove(self) -> None:
        """Kill the process if any and delete every file."""
        self.kill()
        shutil.rmtree(self.paths.root, ignore_errors=True)
        if self.paths.sock_dir != self.paths.root:
            shutil.rmtree(self.paths.sock_dir, ignore_errors=True)
