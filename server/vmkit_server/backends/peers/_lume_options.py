"""The Lume adapter's own options, read from the `key=value` strings of the command line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["OPTION_KEYS", "LumeSettings"]

#: The option keys the Lume adapter takes besides the common ones (url, timeout, ...).
OPTION_KEYS = ("create_timeout", "display", "no_display", "start_timeout", "storage")
_DISPLAY = re.compile(r"^\d+x\d+$")


@dataclass(frozen=True)
class LumeSettings:
    """The Lume-specific options.

    Attributes:
        start_timeout: Seconds to wait to see a run come up (default 120).
        create_timeout: Seconds a create, stop or update call may take (default 3600: a macOS
            install from an IPSW is slow).
        storage: Lume's `storage`, passed to every call that takes one; None for Lume's default.
        display: The display resolution given at create (`1024x768`); None for Lume's default.
        no_display: Run VMs without opening a VNC client (default True).
    """

    start_timeout: float = 120.0
    create_timeout: float = 3600.0
    storage: str | None = None
    display: str | None = None
    no_display: bool = True

    @classmethod
    def parse(cls, extra: Mapping[str, str]) -> LumeSettings:
        """Read the options (`PeerOptions.extra`).

        Raises:
            ValueError: A value that does not parse; the message names the option.
        """
        display = extra.get("display")
        if display is not None and not _DISPLAY.match(display):
            raise ValueError(f"lume option display must look like 1024x768, got {display!r}")
        return cls(
            start_timeout=_seconds("start_timeout", extra.get("start_timeout", "120")),
            create_timeout=_seconds("create_timeout", extra.get("create_timeout", "3600")),
            storage=extra.get("storage") or None,
            display=display,
            no_display=_flag("no_display", extra.get("no_display", "true")),
        )


def _seconds(key: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"lume option {key} must be a number, got {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise ValueError(f"lume option {key} must be a finite number above 0, got {raw!r}")
    return value


def _flag(key: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value not in {"true", "false"}:
        raise ValueError(f"lume option {key} must be true or false, got {raw!r}")
    return value == "true"
