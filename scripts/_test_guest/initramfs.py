"""The guest's root filesystem: busybox, qemu-ga (and dropbear) with their libraries,
the kernel modules, init scripts and keys, as one uncompressed newc cpio archive."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from .common import AGENT_CHANNEL, MODULES, READY_MARKER, run

__all__ = ["Cpio", "build_initramfs", "host_binaries", "libraries", "ssh_keys"]


def libraries(binary: str) -> list[str]:
    """The shared libraries `binary` loads (paths as the dynamic loader finds them)."""
    libs = []
    for line in run(["ldd", binary]).splitlines():
        match = re.search(r"(?:=>\s*)?(/\S+)\s+\(0x", line)
        if match:
            libs.append(match.group(1))
    return libs


def host_binaries(with_ssh: bool) -> dict[str, str]:
    """Guest path -> host path of every binary and library copied in."""
    files = {
        "/bin/busybox": "/bin/busybox",
        "/usr/sbin/qemu-ga": "/usr/sbin/qemu-ga",
        "/sbin/resize2fs": "/sbin/resize2fs",  # grows the data disk's filesystem at boot
    }
    if with_ssh:
        files["/usr/sbin/dropbear"] = "/usr/sbin/dropbear"
    for guest in list(files):
        if guest != "/bin/busybox":
            for lib in libraries(files[guest]):
                files[lib] = lib
    return files


class Cpio:
    """A newc cpio archive built in memory (uid/gid 0, fixed mtime: reproducible)."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.ino = 1
        self.seen: set[str] = set()

    def _entry(self, name: str, mode: int, data: bytes) -> None:
        name = name.lstrip("/")
        if name in self.seen:
            return
        self.seen.add(name)
        encoded = name.encode() + b"\0"
        fields = (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(encoded), 0)
        header = b"070701" + b"".join(b"%08X" % f for f in fields)
        self.buf.write(header + encoded)
        self.buf.write(b"\0" * (-(len(header) + len(encoded)) % 4))
        self.buf.write(data + b"\0" * (-len(data) % 4))
        self.ino += 1

    def dir(self, name: str) -> None:
        """Add a directory and its parents."""
        parts = name.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            self._entry("/".join(parts[:i]), 0o040755, b"")

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        """Add a regular file (its parent directories too)."""
        self.dir(os.path.dirname(name.strip("/")) or ".")
        self._entry(name, 0o100000 | mode, data)

    def symlink(self, name: str, target: str) -> None:
        """Add a symbolic link."""
        self.dir(os.path.dirname(name.strip("/")) or ".")
        self._entry(name, 0o120777, target.encode())

    def close(self) -> bytes:
        """The archive's bytes, with the trailer."""
        self._entry("TRAILER!!!", 0, b"")
        return self.buf.getvalue()


RCS = r"""#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
hostname vmkit-guest
ip link set lo up
for m in @MODULES@; do insmod /lib/modules/$m.ko 2>/dev/null; done
if [ -b /dev/vda ]; then
  mount -t ext4 /dev/vda /mnt && [ -x /sbin/resize2fs ] && resize2fs /dev/vda >/dev/null 2>&1
fi
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  udhcpc -i eth0 -q -n -t 5 -T 1 -s /etc/udhcpc.script >/dev/null 2>&1
fi
acpid -c /etc/acpi
[ -x /usr/sbin/dropbear ] && dropbear -r /etc/dropbear/dropbear_ed25519_host_key -s -p 22
echo "@READY@ $(cut -d' ' -f1 /proc/uptime)" > /dev/ttyS0
"""

QGA = r"""#!/bin/sh
# Waits for the agent's virtio-serial port (no udev here), then runs the agent on it.
while :; do
  for p in /sys/class/virtio-ports/*; do
    if [ "$(cat $p/name 2>/dev/null)" = "@CHANNEL@" ]; then
      mkdir -p /dev/virtio-ports
      ln -sf /dev/${p##*/} /dev/virtio-ports/@CHANNEL@
      exec /usr/sbin/qemu-ga -m virtio-serial -p /dev/${p##*/} -t /run
    fi
  done
  sleep 0.05
done
"""

INITTAB = """::sysinit:/etc/init.d/rcS
::respawn:/etc/init.d/qga
ttyS0::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/sync
::shutdown:/bin/umount -a -r
"""

UDHCPC = r"""#!/bin/sh
case "$1" in
  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
    : > /etc/resolv.conf
    for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done ;;
esac
"""

# qemu-ga's guest-shutdown runs `/sbin/shutdown -h|-r -P +0 ...`; busybox has no shutdown.
SHUTDOWN = """#!/bin/sh
for a in "$@"; do [ "$a" = "-r" ] && exec /bin/busybox reboot; done
exec /bin/busybox poweroff
"""


def ssh_keys(work: Path) -> dict[str, bytes]:
    """A dropbear host key, a client key (OpenSSH format) and its authorized_keys line."""
    host, client = work / "host_key", work / "client_key"
    run(["dropbearkey", "-t", "ed25519", "-f", str(host)])
    run(["dropbearkey", "-t", "ed25519", "-f", str(client)])
    public = next(
        line for line in run(["dropbearkey", "-y", "-f", str(client)]).splitlines()
        if line.startswith("ssh-ed25519 ")
    )  # fmt: skip
    openssh = work / "id_ed25519"
    run(["dropbearconvert", "dropbear", "openssh", str(client), str(openssh)])
    return {
        "host_key": host.read_bytes(),
        "id_ed25519": openssh.read_bytes(),
        "authorized_keys": (public + "\n").encode(),
    }


def build_initramfs(
    binaries: dict[str, str], modules: dict[str, bytes], keys: dict[str, bytes] | None
) -> bytes:
    """The guest's root filesystem as an uncompressed cpio (it boots ~0.2 s faster)."""
    cpio = Cpio()
    for d in (
        "proc",
        "sys",
        "dev",
        "tmp",
        "run",
        "mnt",
        "root",
        "etc/init.d",
        "var/log",
        "sbin",
        "usr/bin",
        "usr/sbin",
        "lib/modules",
    ):
        cpio.dir(d)
    cpio.symlink("var/run", "/run")
    cpio.symlink("init", "/bin/busybox")
    for guest, host in sorted(binaries.items()):
        cpio.file(guest, Path(host).read_bytes(), 0o755)
    for applet in run(["/bin/busybox", "--list-full"]).split():
        if applet not in ("bin/busybox", "sbin/shutdown"):
            cpio.symlink(applet, "/bin/busybox")
    for name in MODULES:
        cpio.file(f"lib/modules/{name}.ko", modules[name])
    rcs = RCS.replace("@MODULES@", " ".join(MODULES)).replace("@READY@", READY_MARKER)
    cpio.file("etc/init.d/rcS", rcs.encode(), 0o755)
    cpio.file("etc/init.d/qga", QGA.replace("@CHANNEL@", AGENT_CHANNEL).encode(), 0o755)
    cpio.file("etc/inittab", INITTAB.encode())
    cpio.file("etc/udhcpc.script", UDHCPC.encode(), 0o755)
    cpio.file("sbin/shutdown", SHUTDOWN.encode(), 0o755)
    cpio.file("etc/acpi/PWRF/00000080", b"#!/bin/sh\nexec /bin/busybox poweroff\n", 0o755)
    cpio.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    cpio.file("etc/shadow", b"root::19000:0:99999:7:::\n", 0o600)
    cpio.file("etc/group", b"root:x:0:\n")
    cpio.file("etc/shells", b"/bin/sh\n")
    cpio.file("etc/hostname", b"vmkit-guest\n")
    cpio.file("etc/hosts", b"127.0.0.1 localhost vmkit-guest\n")
    if keys is not None:
        cpio.file("etc/dropbear/dropbear_ed25519_host_key", keys["host_key"], 0o600)
        cpio.file("root/.ssh/authorized_keys", keys["authorized_keys"], 0o600)
    return cpio.close()
