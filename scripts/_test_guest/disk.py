"""The data disk: a sparse ext4 filesystem with a hello file, as qcow2 (no mount needed)."""

from __future__ import annotations

from pathlib import Path

from .common import DISK_BYTES, run

__all__ = ["build_disk"]


def build_disk(out: Path, work: Path) -> None:
    """A sparse ext4 data disk with a hello file, converted to qcow2."""
    content = work / "disk-content"
    content.mkdir()
    (content / "hello.txt").write_text("hello from data disk\n")
    raw = work / "disk.raw"
    with raw.open("wb") as fh:
        fh.truncate(DISK_BYTES)
    run(
        [
            "mkfs.ext4",
            "-q",
            "-F",
            "-L",
            "vmkit-data",
            "-E",
            "root_owner=0:0",
            "-d",
            str(content),
            str(raw),
        ]
    )
    run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(raw), str(out / "disk.qcow2")])
    raw.unlink()
