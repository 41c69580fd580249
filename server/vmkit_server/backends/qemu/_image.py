"""Images: finding a built image (`scripts/build-test-guest`) and importing it.

A built image is a directory with `manifest.json`, a kernel, an initramfs and a base qcow2
disk. The backend imports it into its own directory (hard links when it can, else a copy)
before a VM uses it, so VMs never depend on the user's cache: rebuilding or pruning the
cache cannot break a disk's backing chain or a saved RAM state.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_IMAGE",
    "Image",
    "ImageError",
    "built_images",
    "default_images_dir",
    "find_imported",
    "import_image",
    "locate_image",
]

#: The image a VM gets when its spec names none.
DEFAULT_IMAGE = "vmkit/test-guest"
_FORMAT = 1


class ImageError(Exception):
    """The image is unknown, not built, or damaged; the message says how to fix it."""


@dataclass(frozen=True)
class Image:
    """A built image.

    Attributes:
        name: Its name (`vmkit/test-guest`).
        digest: The hash of its build inputs (its directory's name).
        root: Its directory.
        manifest: Its manifest.
    """

    name: str
    digest: str
    root: Path
    manifest: dict[str, Any]

    def file(self, role: str) -> Path:
        """The file with `role` (`kernel`, `initramfs`, `disk`, `ssh_key`)."""
        return self.root / str(self.manifest["files"][role])

    @property
    def cmdline(self) -> str:
        """The kernel command line the guest expects."""
        return str(self.manifest["guest"]["kernel_cmdline"])

    @property
    def disk_bytes(self) -> int:
        """The base disk's virtual size."""
        return int(self.manifest["disk_virtual_bytes"])

    @property
    def min_memory_mib(self) -> int:
        """The least RAM the guest boots with."""
        return int(self.manifest["guest"].get("min_memory_mib", 128))


def default_images_dir() -> Path:
    """`${XDG_CACHE_HOME:-~/.cache}/vmkit/images`, where the build script writes."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vmkit" / "images"


def _short(name: str) -> str:
    return name.removeprefix("vmkit/")


def _load(root: Path, name: str) -> Image:
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImageError(f"{root} has no readable manifest.json: {exc}") from exc
    if manifest.get("format") != _FORMAT or manifest.get("name") != name:
        raise ImageError(f"{root}/manifest.json is not a format-{_FORMAT} manifest of {name}")
    image = Image(name=name, digest=str(manifest["input_hash"]), root=root, manifest=manifest)
    for role in manifest["files"]:
        if not image.file(role).is_file():
            raise ImageError(f"image {name} at {root} lacks its {role} file")
    return image


def locate_image(images_dir: Path, name: str) -> Image:
    """The newest build of image `name` under `images_dir` (`<short name>/current`).

    Raises:
        ImageError: No such image has been built (the message names the build command).
    """
    current = images_dir / _short(name) / "current"
    if not current.exists():
        hint = " run scripts/build-test-guest" if name == DEFAULT_IMAGE else ""
        raise ImageError(f"image {name!r} is not built (no {current});{hint}")
    return _load(current.resolve(), name)


def built_images(images_dir: Path) -> list[Image]:
    """The newest build of every image under `images_dir`, by name (damaged ones left out).

    Args:
        images_dir: Where builds live (`<short name>/current`, as `locate_image` reads).

    Returns:
        The images, sorted by name.
    """
    found: dict[str, Image] = {}
    for pattern in ("*/current/manifest.json", "*/*/current/manifest.json"):
        for manifest in images_dir.glob(pattern):
            try:
                name = str(json.loads(manifest.read_text(encoding="utf-8"))["name"])
                found[name] = locate_image(images_dir, name)
            except (OSError, ValueError, KeyError, TypeError, ImageError):
                continue  # half-built, foreign or moved: not an image to offer
    return [found[name] for name in sorted(found)]


def import_image(image: Image, store: Path) -> Image:
    """Copy (hard-link when possible) `image` into `store/<short name>/<digest>`, once.

    Returns:
        The imported image (an existing import is reused).

    Raises:
        ImageError: The copy failed.
    """
    target = store / _short(image.name) / image.digest
    if (target / "manifest.json").is_file():
        return _load(target, image.name)
    staging = target.with_name(f".{image.digest}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for src in [
            image.root / "manifest.json",
            *(image.file(r) for r in image.manifest["files"]),
        ]:
            dst = staging / src.name
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if (target / "manifest.json").is_file():
            return _load(target, image.name)  # another import won the race
        raise ImageError(f"cannot import image {image.name} into {store}: {exc}") from exc
    return _load(target, image.name)


def find_imported(store: Path, name: str, digest: str) -> Image:
    """An image imported earlier.

    Raises:
        ImageError: It is not there.
    """
    return _load(store / _short(name) / digest, name)
