"""Parsing the simulated backend's CLI options (`--backend-option key=value`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._sim_faults import check_action

__all__ = ["KNOWN_OPTIONS", "SimOptions", "parse_options"]

#: Every option key the simulated backend understands.
KNOWN_OPTIONS = ("boot_delay", "delay", "fail", "hang", "seed", "unavailable")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SimOptions:
    """The parsed options.

    Attributes:
        delay: Seconds every action takes.
        boot_delay: Seconds a boot takes (None: `delay`).
        seed: Varies the deterministic addresses.
        fail: Actions whose next call fails.
        hang: Actions whose calls hang.
        unavailable: Start with the host lost.
    """

    delay: float = 0.005
    boot_delay: float | None = None
    seed: int = 0
    fail: tuple[str, ...] = ()
    hang: tuple[str, ...] = ()
    unavailable: bool = False


def parse_options(options: Mapping[str, str]) -> SimOptions:
    """Read CLI strings such as `{"delay": "0.01", "fail": "start", "unavailable": "true"}`.

    Args:
        options: Key/value strings; `fail` and `hang` take comma-separated action names.

    Returns:
        The options, with defaults for the keys not given.

    Raises:
        ValueError: An unknown key or action, or a value that does not parse (the message
            names the key and what it accepts).
    """
    unknown = sorted(set(options) - set(KNOWN_OPTIONS))
    if unknown:
        raise ValueError(
            f"unknown simulated backend option(s) {', '.join(unknown)}; "
            f"known options: {', '.join(KNOWN_OPTIONS)}"
        )
    boot = options.get("boot_delay")
    return SimOptions(
        delay=_seconds("delay", options.get("delay", "0.005")),
        boot_delay=None if boot is None else _seconds("boot_delay", boot),
        seed=_integer("seed", options.get("seed", "0")),
        fail=_actions(options.get("fail", "")),
        hang=_actions(options.get("hang", "")),
        unavailable=_boolean("unavailable", options.get("unavailable", "false")),
    )


def _seconds(key: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"option {key}={raw!r}: expected a number of seconds") from None
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"option {key}={raw!r}: expected a finite number of seconds >= 0")
    return value


def _integer(key: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"option {key}={raw!r}: expected an integer") from None


def _boolean(key: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"option {key}={raw!r}: expected true or false")


def _actions(raw: str) -> tuple[str, ...]:
    return tuple(check_action(a.strip()) for a in raw.split(",") if a.strip())
