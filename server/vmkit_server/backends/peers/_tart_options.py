"""The Tart backend's options, and the units Tart counts in."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TART_OPTIONS", "TartOptions", "gb_for_gib", "gib_for_gb", "parse_tart_options"]

#: Every option key the Tart backend understands.
TART_OPTIONS = (
    "ip_resolver",
    "poll_interval",
    "ready_timeout",
    "suspendable",
    "tart",
    "tart_home",
    "timeout",
)
_RESOLVERS = ("dhcp", "arp", "agent")
_GIB = 2**30
_GB = 10**9


@dataclass(frozen=True)
class TartOptions:
    """How the Tart backend runs `tart`.

    Attributes:
        tart: The executable (a path, or a name looked up on `PATH`).
        tart_home: `TART_HOME` for every call; None leaves Tart's default (`~/.tart`).
        timeout: Seconds a short command (`get`, `list`, `set`, `stop`, ...) may take, and
            that a VM may take to reach `running` after `tart run`. Pulls and clones are
            not bounded by it (they take as long as the download).
        poll_interval: Seconds between two looks at a VM that is changing state.
        ready_timeout: Seconds a start waits for the guest's IP address (`tart ip`)
            before it returns the running VM as not ready yet.
        ip_resolver: `tart ip --resolver`: `dhcp` (Tart's default), `arp` or `agent`.
        suspendable: Run macOS VMs with `--suspendable`, so `tart suspend` works on them.
    """

    tart: str = "tart"
    tart_home: Path | None = None
    timeout: float = 30.0
    poll_interval: float = 0.5
    ready_timeout: float = 60.0
    ip_resolver: str = "dhcp"
    suspendable: bool = True


def parse_tart_options(options: Mapping[str, str]) -> TartOptions:
    """Read the backend's `key=value` options.

    Args:
        options: From `--backend-opt`. A `token` (`VMKIT_BACKEND_TOKEN` may be set for
            another backend) is ignored: Tart has no auth.

    Returns:
        The parsed options.

    Raises:
        ValueError: An unknown key, a `url`, or a value that does not parse; the message
            names the key.
    """
    if "url" in options:
        raise ValueError(
            "the tart backend runs the tart CLI on this Mac and takes no url; "
            "point it at the executable with --backend-opt tart=/path/to/tart"
        )
    unknown = sorted(set(options) - set(TART_OPTIONS) - {"token"})
    if unknown:
        raise ValueError(
            f"unknown tart backend option(s) {', '.join(unknown)}; "
            f"known options: {', '.join(TART_OPTIONS)}"
        )
    resolver = options.get("ip_resolver", "dhcp")
    if resolver not in _RESOLVERS:
        raise ValueError(f"tart option ip_resolver must be one of {', '.join(_RESOLVERS)}")
    suspendable = options.get("suspendable", "true").lower()
    if suspendable not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError(f"tart option suspendable must be true or false, got {suspendable!r}")
    tart = options.get("tart") or "tart"
    home = options.get("tart_home") or None
    return TartOptions(
        tart=tart,
        tart_home=Path(home).expanduser() if home else None,
        timeout=_positive("timeout", options.get("timeout", "30")),
        poll_interval=_positive("poll_interval", options.get("poll_interval", "0.5")),
        ready_timeout=_positive("ready_timeout", options.get("ready_timeout", "60")),
        ip_resolver=resolver,
        suspendable=suspendable in ("true", "1", "yes"),
    )


def _positive(key: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"tart option {key} must be a number, got {raw!r}") from None
    if not value > 0 or math.isinf(value):
        raise ValueError(f"tart option {key} must be a finite number above 0, got {raw!r}")
    return value


def gb_for_gib(gib: int) -> int:
    """The whole GB (Tart's `--disk-size` unit, 10^9 bytes) that hold `gib` GiB."""
    return math.ceil(gib * _GIB / _GB)


def gib_for_gb(gb: int) -> int:
    """The whole GiB a disk of `gb` GB (as Tart reports it) holds."""
    return gb * _GB // _GIB
