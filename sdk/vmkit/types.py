"""Small public types shared by :class:`vmkit.Client` and :class:`vmkit.AsyncClient`.

Importing this module is cheap: it does not load the generated models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeAlias, TypedDict, TypeVar

from vmkit._core.sentinels import NOT_GIVEN, NotGiven

__all__ = [
    "NOT_GIVEN",
    "ActionOptions",
    "CallOptions",
    "LabelFilter",
    "NotGiven",
    "Page",
    "RequestOptions",
    "StateFilter",
    "Timeout",
]

T = TypeVar("T")

Timeout: TypeAlias = float | NotGiven | None
"""A per-call deadline in seconds: a number, None for "no deadline", or NOT_GIVEN for the
client's default."""

StateFilter: TypeAlias = str | Sequence[str]
"""One state or several (``"running"`` or ``["running", "paused"]``)."""

LabelFilter: TypeAlias = str | Sequence[str] | Mapping[str, str]
"""Labels to match: ``"team=qa"``, ``["team=qa", "tier=web"]`` or ``{"team": "qa"}``."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list answer.

    Attributes:
        items: The items on this page, in the server's order.
        next_page_token: The token of the next page, or None on the last page.
    """

    items: list[T] = field(default_factory=list)
    next_page_token: str | None = None


class RequestOptions(TypedDict, total=False):
    """Per-call options every call accepts (``client.vms.get(vm, timeout=5)``).

    Attributes:
        timeout: This request's deadline in seconds, retries included (None: no
            deadline; omitted: the client's default).
        headers: Extra HTTP headers for this call only (they win over the client's).
        max_retries: How often this call is retried when that is safe (omitted: the
            client's ``max_retries``).
    """

    timeout: Timeout
    headers: Mapping[str, str] | None
    max_retries: int | None


class CallOptions(RequestOptions, total=False):
    """Per-call options of every call that starts an operation: :class:`RequestOptions` and:

    Attributes:
        idempotency_key: The ``Idempotency-Key`` to send (one is minted when omitted and
            reused on every retry).
        wait_timeout: With ``wait=True``, how long to wait for the operation (None, the
            default, waits until it finishes).
        progress: With ``wait=True``, show a progress bar while waiting (None, the
            default: only in a terminal or a notebook).
    """

    idempotency_key: str | None
    wait_timeout: float | None
    progress: bool | None


class ActionOptions(CallOptions, total=False):
    """Per-call options of every VM action: :class:`CallOptions` plus ``if_match``.

    Attributes:
        if_match: An ETag (``vm.etag``); the server answers 412 if the VM changed since.
    """

    if_match: str | None
