"""Bookkeeping for ``{items, next_page_token}`` paging, shared by both paginators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PageState", "next_page_token_of"]


def next_page_token_of(body: Mapping[str, Any]) -> str | None:
    """The token of the page after ``body``.

    Args:
        body: A decoded list answer.

    Returns:
        The ``next_page_token``, or None when this was the last page (missing, null or "").
    """
    token = body.get("next_page_token")
    return token if isinstance(token, str) and token else None


@dataclass(frozen=True)
class PageState:
    """Where a paginator stands: the token to ask for next, and whether it is done.

    Attributes:
        page_token: The token for the next request (None for the first page).
        done: True once a page without a ``next_page_token`` has been seen.
        pages_seen: How many pages have been received.
    """

    page_token: str | None = None
    done: bool = False
    pages_seen: int = 0

    def params(self, base: Mapping[str, Any]) -> dict[str, Any]:
        """Query parameters for the next request, without mutating ``base``.

        Args:
            base: The caller's filters and ``page_size``.

        Returns:
            A new dict: ``base`` plus ``page_token`` when one is pending. Check
            :attr:`done` before asking for another page.
        """
        params = dict(base)
        params.pop("page_token", None)
        if self.page_token is not None:
            params["page_token"] = self.page_token
        return params

    def advance(self, next_page_token: str | None) -> PageState:
        """The state after receiving a page.

        Args:
            next_page_token: The received page's ``next_page_token``.

        Returns:
            A new state; ``done`` when the token is None or empty.
        """
        token = next_page_token or None
        return PageState(page_token=token, done=token is None, pages_seen=self.pages_seen + 1)
