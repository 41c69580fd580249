"""Splitting a call's keyword options into what the transport needs and what the SDK uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from vmkit.types import RequestOptions

__all__ = ["REQUEST_OPTION_KEYS", "request_options"]

#: The options every request accepts (see :class:`vmkit.types.RequestOptions`).
REQUEST_OPTION_KEYS = ("timeout", "headers", "max_retries")


def request_options(options: Mapping[str, Any]) -> RequestOptions:
    """Pick the per-request options (``timeout``, ``headers``, ``max_retries``).

    Args:
        options: A call's keyword options, e.g. a :class:`vmkit.types.ActionOptions`.

    Returns:
        Only the keys the transport understands; absent keys stay absent so the
        client's defaults apply.
    """
    return cast(RequestOptions, {k: options[k] for k in REQUEST_OPTION_KEYS if k in options})
