"""Lume's size strings, its VM names and its guest OSes, translated to and from vmkit's terms.

Lume takes and shows memory and disk sizes as strings with a unit (`"4GB"`, `"64GB"`); its
document writes them in `GB`. Lume reads `KB`, `MB`, `GB` and `TB` as powers of 1024 (a
`"4GB"` guest has 4096 MiB), so vmkit's MiB and GiB convert exactly: whole GiB are written as
`GB`, other memory sizes as `MB`.
"""

from __future__ import annotations

import math
import re

from ..guest import ImageInfo, ImageNotFoundError

__all__ = [
    "IMAGES",
    "LumeGuest",
    "disk_gib",
    "gib_size",
    "guest_for_image",
    "image_for_os",
    "memory_mib",
    "mib_size",
    "parse_size",
    "vmkit_name",
]

_MIB = 2**20
_GIB = 2**30
_UNITS = {
    "": 1, "B": 1,
    "K": 2**10, "KB": 2**10, "KIB": 2**10,
    "M": 2**20, "MB": 2**20, "MIB": 2**20,
    "G": 2**30, "GB": 2**30, "GIB": 2**30,
    "T": 2**40, "TB": 2**40, "TIB": 2**40,
}  # fmt: skip
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def parse_size(text: str) -> int:
    """The bytes a Lume size string means (`"4GB"` is 4 GiB).

    Raises:
        ValueError: Not a number with a known unit.
    """
    match = _SIZE.match(text)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(f"{text!r} is not a Lume size (a number and KB, MB, GB or TB)")
    return int(float(match.group(1)) * _UNITS[unit])


def memory_mib(text: str) -> int:
    """MiB of a Lume memory size (rounded down to a whole MiB).

    Raises:
        ValueError: Not a size.
    """
    return parse_size(text) // _MIB


def disk_gib(text: str) -> int:
    """GiB of a Lume disk size (rounded up to a whole GiB).

    Raises:
        ValueError: Not a size.
    """
    return math.ceil(parse_size(text) / _GIB)


def mib_size(mib: int) -> str:
    """The Lume size string of `mib` MiB: `GB` when whole, else `MB` (`4096` → `"4GB"`)."""
    return f"{mib // 1024}GB" if mib % 1024 == 0 else f"{mib}MB"


def gib_size(gib: int) -> str:
    """The Lume size string of `gib` GiB (`64` → `"64GB"`)."""
    return f"{gib}GB"


def vmkit_name(lume_name: str) -> str:
    """A valid vmkit name for a VM Lume calls `lume_name` (`"Lume_VM 2"` → `"lume-vm-2"`).

    Lowercases, turns every run of other characters into one `-`, trims `-` at both ends and
    cuts to 63 characters; a name with nothing left becomes `lume-vm`.
    """
    name = _NOT_NAME.sub("-", lume_name.lower()).strip("-")[:63].rstrip("-")
    return name or "lume-vm"


class LumeGuest:
    """What Lume's create needs to know about the guest: its `os` and `ipsw`.

    Args:
        os: Lume's `os` value (`macOS`, `linux`).
        ipsw: The IPSW to install a macOS guest from (`latest`, a path or URL); None for Linux.
    """

    def __init__(self, os: str, ipsw: str | None) -> None:
        self.os = os
        self.ipsw = ipsw


#: The images a Lume VM can be created from (Lume installs the guest at create).
IMAGES = (
    ImageInfo(
        name="macos",
        description=(
            "macOS, installed by Lume from Apple's latest IPSW at create "
            "(`macos:<ipsw>` names another IPSW, a path or URL)"
        ),
        os="macos",
        arch="arm64",
        disk_gib=64,
        default=True,
    ),
    ImageInfo(
        name="linux",
        description="An empty Linux VM: Lume makes a blank disk; boot an installer on it yourself",
        os="linux",
        arch="arm64",
        disk_gib=64,
    ),
)


def guest_for_image(image: str | None) -> LumeGuest:
    """The guest to ask Lume for, from a vmkit `image` (None means `macos`).

    Raises:
        ImageNotFoundError: Neither `macos`, `macos:<ipsw>` nor `linux`.
    """
    if image is None or image == "macos":
        return LumeGuest("macOS", "latest")
    if image.startswith("macos:") and len(image) > len("macos:"):
        return LumeGuest("macOS", image[len("macos:") :])
    if image == "linux":
        return LumeGuest("linux", None)
    raise ImageNotFoundError(
        f"the 'lume' backend has no image {image!r}; use macos, macos:<ipsw> or linux",
        metadata={"image": image, "images": [i.name for i in IMAGES]},
    )


def image_for_os(os: str) -> str | None:
    """The vmkit image name of a Lume guest OS, or None for one vmkit has no image for."""
    return {"macos": "macos", "linux": "linux"}.get(os.lower())
