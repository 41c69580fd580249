"""QEMU processes: the command line, daemonized launch with a pidfile, liveness, kill.

QEMU runs with `-daemonize`, so it outlives the server (its parent becomes PID 1) and a
restarted server re-adopts it from the pidfile. `-D qemu.log` keeps QEMU's own error
messages (daemonizing would otherwise send them to /dev/null). The serial console is a
socket (to type into) that also appends everything the guest prints to `serial.log`, so
the log spans boots and byte offsets into it never go back.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from ._state import VMPaths

__all__ = [
    "LaunchError",
    "MachineSpec",
    "build_argv",
    "is_alive",
    "kill",
    "launch",
    "tail",
    "wait_exit",
]


class LaunchError(Exception):
    """QEMU did not start.

    Args:
        message: What failed.
        exitcode: The launcher's exit code.
        command: The command line.
        output: What QEMU printed.
    """

    def __init__(self, message: str, *, exitcode: int | None, command: list[str], output: str):
        super().__init__(f"{message}: {output}" if output else message)
        self.exitcode = exitcode
        self.command = command
        self.output = output


@dataclass(frozen=True)
class MachineSpec:
    """What one QEMU process runs.

    Attributes:
        name: The `-name` (the VM's id: it also identifies the process in /proc).
        cpus: Virtual CPUs.
        memory_mib: RAM in MiB.
        accel: `kvm` or `tcg`.
        kernel: The kernel to boot directly.
        initramfs: Its initramfs.
        cmdline: The kernel command line.
    """

    name: str
    cpus: int
    memory_mib: int
    accel: str
    kernel: Path
    initramfs: Path
    cmdline: str


def build_argv(
    binary: str, machine: MachineSpec, paths: VMPaths, *, incoming: Path | None
) -> list[str]:
    """The full command line. RAM state only loads into the identical device list, so
    every launch of a VM (cold or `-incoming`) uses this one function.

    Args:
        binary: `qemu-system-x86_64`.
        machine: What to run.
        paths: The VM's files.
        incoming: A saved RAM state to resume from instead of booting.

    Returns:
        The argv.
    """
    cpu = ["-cpu", "host"] if machine.accel == "kvm" else []
    argv = [
        binary, "-name", machine.name, "-accel", machine.accel, *cpu,
        "-m", str(machine.memory_mib), "-smp", str(machine.cpus),
        "-nodefaults", "-no-user-config", "-no-reboot", "-display", "none",
        "-kernel", str(machine.kernel), "-initrd", str(machine.initramfs),
        "-append", machine.cmdline,
        "-chardev", f"socket,id=ser0,path={paths.serial},server=on,wait=off,"
                    f"logfile={paths.serial_log},logappend=on",
        "-serial", "chardev:ser0",
        "-qmp", f"unix:{paths.qmp},server=on,wait=off",
        "-device", "virtio-serial-pci",
        "-chardev", f"socket,id=qga0,path={paths.agent},server=on,wait=off",
        "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
        "-drive", f"file={paths.disk},if=none,id=d0,format=qcow2,node-name=disk0",
        "-device", "virtio-blk-pci,drive=d0",
        "-netdev", "user,id=n0",
        "-device", "virtio-net-pci,netdev=n0,romfile=",
        "-device", "VGA,vgamem_mb=4",  # something for screendump to read
        "-daemonize", "-pidfile", str(paths.pidfile), "-D", str(paths.qemu_log),
    ]  # fmt: skip
    if incoming is not None:
        argv += ["-incoming", f"exec:cat {shlex.quote(str(incoming))}"]
    return argv


async def launch(argv: list[str], paths: VMPaths) -> int:
    """Start QEMU daemonized and return the daemon's pid.

    Raises:
        LaunchError: The binary is missing, QEMU refused the command line, or it wrote
            no pidfile.
    """
    for stale in (paths.pidfile, paths.qmp, paths.agent, paths.serial):
        stale.unlink(missing_ok=True)
    paths.sock_dir.mkdir(parents=True, exist_ok=True)
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
    except OSError as exc:
        raise LaunchError(
            f"cannot run {argv[0]}", exitcode=None, command=argv, output=str(exc)
        ) from exc
    out, _ = await proc.communicate()
    output = out.decode(errors="replace").strip()
    if proc.returncode != 0:
        raise LaunchError(
            f"QEMU exited with {proc.returncode}", exitcode=proc.returncode, command=argv,
            output=output or tail(paths.qemu_log),
        )  # fmt: skip
    try:
        return int(paths.pidfile.read_text().strip())
    except (OSError, ValueError) as exc:
        raise LaunchError("QEMU wrote no pidfile", exitcode=0, command=argv, output=output) from exc


def is_alive(pid: int, name: str) -> bool:
    """True if `pid` is a live (not zombie) QEMU running the VM called `name`.

    A daemonized QEMU that exited stays a zombie until PID 1 reaps it (seconds on some
    hosts), so the process state counts, not the existence of `/proc/<pid>`.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    if state in ("Z", "X"):
        return False
    return b"-name" in cmdline and name.encode() in cmdline


def kill(pid: int, name: str) -> None:
    """SIGKILL the QEMU of VM `name` (nothing if it is gone or `pid` is another process)."""
    if is_alive(pid, name):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


async def wait_exit(pid: int, name: str, timeout: float) -> bool:
    """Wait until the process has exited.

    Returns:
        True if it exited within `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    while is_alive(pid, name):
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.02)
    return True


def tail(path: Path, lines: int = 20) -> str:
    """The last lines of a log file ('' if there is none)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 8192))
            text = fh.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.replace("\r", "").splitlines()[-lines:])
