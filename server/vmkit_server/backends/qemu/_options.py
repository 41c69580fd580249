"""Parsing the QEMU backend's CLI options (`--backend-option key=value`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ._boot_queue import default_boot_limit

__all__ = ["ACCELERATORS", "KNOWN_OPTIONS", "QemuOptions", "parse_options"]

#: Accepted values of `accel`: `auto` probes KVM once and falls back to TCG.
ACCELERATORS = ("auto", "kvm", "tcg")
#: Every option key the QEMU backend understands.
KNOWN_OPTIONS = (
    "accel",
    "boot_concurrency",
    "boot_timeout",
    "images_dir",
    "qemu",
    "qemu_img",
    "stop_timeout",
)


@dataclass(frozen=True)
class QemuOptions:
    """The parsed options.

    Attributes:
        accel: `auto`, `kvm` or `tcg`.
        boot_concurrency: Cold boots allowed at once; more wait in a queue.
        boot_timeout: Seconds a boot may take (after its turn in the queue) before it fails.
        images_dir: Where built images live (`<name>/current/manifest.json`); None means
            `${XDG_CACHE_HOME:-~/.cache}/vmkit/images`.
        qemu: The `qemu-system-x86_64` binary.
        qemu_img: The `qemu-img` binary.
        stop_timeout: Seconds a restart waits for a graceful shutdown before powering off.
    """

    accel: str = "auto"
    boot_concurrency: int = default_boot_limit()
    boot_timeout: float = 120.0
    images_dir: Path | None = None
    qemu: str = "qemu-system-x86_64"
    qemu_img: str = "qemu-img"
    stop_timeout: float = 30.0


def parse_options(options: Mapping[str, str]) -> QemuOptions:
    """Read CLI strings such as `{"accel": "tcg", "boot_concurrency": "2"}`.

    Args:
        options: Key/value strings.

    Returns:
        The options, with defaults for the keys not given.

    Raises:
        ValueError: An unknown key, or a value that does not parse (the message names the
            key and what it accepts).
    """
    unknown = sorted(set(options) - set(KNOWN_OPTIONS))
    if unknown:
        raise ValueError(
            f"unknown qemu backend option(s) {', '.join(unknown)}; "
            f"known options: {', '.join(KNOWN_OPTIONS)}"
        )
    defaults = QemuOptions()
    accel = options.get("accel", defaults.accel)
    if accel not in ACCELERATORS:
        raise ValueError(f"option accel={accel!r}: expected one of {', '.join(ACCELERATORS)}")
    images = options.get("images_dir")
    return QemuOptions(
        accel=accel,
        boot_concurrency=_positive_int(
            "boot_concurrency", options.get("boot_concurrency", str(defaults.boot_concurrency))
        ),
        boot_timeout=_seconds("boot_timeout", options.get("boot_timeout", "120")),
        images_dir=Path(images).expanduser() if images else None,
        qemu=options.get("qemu", defaults.qemu),
        qemu_img=options.get("qemu_img", defaults.qemu_img),
        stop_timeout=_seconds("stop_timeout", options.get("stop_timeout", "30")),
    )


def _positive_int(key: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"option {key}={raw!r}: expected an integer >= 1") from None
    if value < 1:
        raise ValueError(f"option {key}={raw!r}: expected an integer >= 1")
    return value


def _seconds(key: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"option {key}={raw!r}: expected a number of seconds") from None
    if not 0 < value < float("inf"):
        raise ValueError(f"option {key}={raw!r}: expected a finite number of seconds > 0")
    return value
