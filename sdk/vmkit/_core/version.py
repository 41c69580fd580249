"""The SDK's version and the ``User-Agent`` it sends."""

from __future__ import annotations

import functools
from importlib import metadata

__all__ = ["default_user_agent", "sdk_version"]


@functools.cache
def sdk_version() -> str:
    """The installed vmkit distribution's version (``"0+unknown"`` when not installed).

    Returns:
        The version string, read once from the package metadata.
    """
    try:
        return metadata.version("vmkit")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def default_user_agent() -> str:
    """The default ``User-Agent`` header value.

    Returns:
        ``"vmkit-python/<version>"``.
    """
    return f"vmkit-python/{sdk_version()}"
