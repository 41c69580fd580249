"""Lazy iteration over ``{items, next_page_token}`` lists."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Generic, Protocol, TypeVar

from vmkit._core.lists import ResourceList
from vmkit._core.pages import PageState
from vmkit.types import Page

__all__ = ["AsyncPageFetcher", "AsyncPaginator"]

T = TypeVar("T")


class AsyncPageFetcher(Protocol[T]):
    """Fetches one page of a list call."""

    async def __call__(self, page_token: str | None, /) -> Page[T]:
        """Fetch the page with ``page_token`` (None for the first page)."""
        ...


class AsyncPaginator(Generic[T]):
    """The items of a list call, fetched one page at a time as they are consumed.

    Nothing is requested until iteration starts, and the next page only when the current
    one is used up. Each iteration starts again from the first page.

    Args:
        fetch: Fetches the page with a given token (None for the first page).

    Example:
        >>> async for vm in client.vms.list(state="running"):  # doctest: +SKIP
        ...     print(vm.name)
    """

    def __init__(self, fetch: AsyncPageFetcher[T]) -> None:
        self._fetch = fetch

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Iterate over whole pages.

        Returns:
            An iterator of :class:`~vmkit.types.Page` objects, each with ``items`` and
            ``next_page_token``.
        """
        state = PageState()
        while not state.done:
            page = await self._fetch(state.page_token)
            state = state.advance(page.next_page_token)
            yield page

    async def to_list(self) -> ResourceList[T]:
        """Fetch every page and return all items.

        Returns:
            Every item, in the server's order: a ``list`` that Jupyter and IPython show
            as a table (:class:`vmkit.ResourceList`).
        """
        return ResourceList([item async for item in self])

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.pages():
            # An async generator cannot `yield from`; the sync twin keeps the same loop.
            for item in page.items:
                yield item
