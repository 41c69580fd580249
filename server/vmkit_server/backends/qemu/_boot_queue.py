"""Bounded concurrent boots: past the limit, boots wait their turn instead of all crawling."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["BootQueue", "default_boot_limit"]


def default_boot_limit() -> int:
    """Two cold boots per host CPU (4 on 2 cores stay fast; 8 take four times as long)."""
    return max(1, 2 * (os.cpu_count() or 1))


class BootQueue:
    """A semaphore that also counts, so tests can see how many boots overlapped.

    Args:
        limit: How many boots may run at once (at least 1).

    Attributes:
        limit: The limit.
        active: Boots running now.
        waiting: Boots queued behind the limit now.
        max_active: The most boots that ever ran at once.
        total: Boots that got a slot so far.
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"the boot limit must be at least 1, not {limit}")
        self.limit = limit
        self.active = 0
        self.waiting = 0
        self.max_active = 0
        self.total = 0
        self._semaphore = asyncio.Semaphore(limit)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one boot slot for the duration of the `async with` block.

        Yields:
            Nothing; the slot is released when the block exits (even by cancellation).
        """
        self.waiting += 1
        try:
            await self._semaphore.acquire()
        finally:
            self.waiting -= 1
        self.active += 1
        self.total += 1
        self.max_active = max(self.max_active, self.active)
        try:
            yield
        finally:
            self.active -= 1
            self._semaphore.release()
