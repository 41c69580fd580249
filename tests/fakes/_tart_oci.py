"""The fake Tart's registry (a few images, no network) and its OCI cache.

As `VMStorageOCI.swift` keeps it: `$TART_HOME/cache/OCIs/<host>/<namespace>/sha256:<hex>` is
the image, and each tag is a symlink to its digest; `tart list` names the first
`repo@sha256:...` and the second `repo:tag`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from _tart_home import TartError, VMDir, home


@dataclass(frozen=True)
class RemoteImage:
    """An image the fake registry serves (no network: these are all it has)."""

    os: str
    cpu: int
    memory_mib: int
    disk_gb: int
    agent: bool
    compressed_gb: float
    hostname: str


#: Repositories of the fake registry; any tag of them pulls the same image.
REGISTRY = {
    "ghcr.io/cirruslabs/ubuntu": RemoteImage("linux", 4, 4096, 20, True, 1.1, "ubuntu"),
    "ghcr.io/cirruslabs/debian": RemoteImage("linux", 4, 4096, 20, True, 0.9, "debian"),
    "ghcr.io/cirruslabs/macos-sequoia-base": RemoteImage(
        "darwin", 4, 8192, 50, True, 25.3, "admins-Virtual-Machine"
    ),
    "ghcr.io/cirruslabs/macos-sequoia-vanilla": RemoteImage(
        "darwin", 4, 8192, 50, False, 14.2, "admins-Virtual-Machine"
    ),
}

_REMOTE = re.compile(
    r"^(?P<host>[A-Za-z0-9.-]+(?::\d+)?)/(?P<ns>[a-z0-9][a-z0-9._/-]*?)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9._-]*)|@(?P<digest>sha256:[a-f0-9]{64}))?$"
)


@dataclass(frozen=True)
class RemoteName:
    """`host/namespace[:tag|@digest]`, as Tart's `RemoteName` parses it."""

    host: str
    namespace: str
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, text: str) -> RemoteName:
        """Parse `text`.

        Raises:
            TartError: `failed to parse remote name: ...` (not host/namespace).
        """
        match = _REMOTE.match(text)
        host = match["host"] if match else ""
        if match is None or not ("." in host or ":" in host or host == "localhost"):
            raise TartError(f"failed to parse remote name: {text} is not a remote name")
        tag, digest = match["tag"], match["digest"]
        return cls(match["host"], match["ns"], tag if tag or digest else "latest", digest)

    @property
    def repository(self) -> str:
        """`host/namespace`."""
        return f"{self.host}/{self.namespace}"

    def __str__(self) -> str:
        return self.repository + (f"@{self.digest}" if self.digest else f":{self.tag}")


def is_remote(text: str) -> bool:
    """True if `text` parses as a remote name."""
    try:
        RemoteName.parse(text)
    except TartError:
        return False
    return True


def oci_dir() -> Path:
    """`$TART_HOME/cache/OCIs`."""
    return home() / "cache" / "OCIs"


def digest_of(name: RemoteName) -> str:
    """The (deterministic) manifest digest of the fake registry's image `name`."""
    return "sha256:" + hashlib.sha256(name.repository.encode()).hexdigest()


def cached(name: RemoteName) -> VMDir:
    """Where the image `name` lives in the OCI cache (a tag is a symlink to its digest)."""
    leaf = name.digest or name.tag or "latest"
    return VMDir(oci_dir() / name.host / name.namespace / leaf)


def list_oci() -> list[tuple[str, VMDir]]:
    """Every cached image: `repo:tag` for tags, `repo@sha256:...` for digests."""
    root = oci_dir()
    found: list[tuple[str, VMDir]] = []
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        vm = VMDir(path)
        if not vm.initialized:
            continue
        repo = path.parent.relative_to(root).as_posix()
        sep = ":" if path.is_symlink() else "@"
        found.append((f"{repo}{sep}{path.name}", vm))
    return found
