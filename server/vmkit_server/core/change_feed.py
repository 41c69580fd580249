"""Following a backend's own change feed (`Watching`), so its events reach vmkit at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from ..backends.base import Backend, Watching

__all__ = ["ChangeFeed"]

log = logging.getLogger("vmkit_server.change_feed")
#: Pauses before reconnecting a lost feed: the first retry is quick, then it backs off.
_FIRST_PAUSE, _MAX_PAUSE = 0.5, 30.0


class ChangeFeed:
    """Re-observes each VM a `Watching` backend reports changed (a no-op for other backends).

    Args:
        backend: The backend.
        reconcile: Re-observes one VM by id and records what changed (with its events).
        sleep: Waits between reconnections (tests pass a fake).
    """

    def __init__(
        self,
        backend: Backend,
        reconcile: Callable[[str], Awaitable[None]],
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._backend = backend
        self._reconcile = reconcile
        self._sleep = sleep
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Follow the feed in the background, if the backend has one."""
        if isinstance(self._backend, Watching) and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="change-feed")

    async def stop(self) -> None:
        """Stop following."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def run(self, *, connections: int | None = None) -> None:
        """Follow the feed, reconnecting with a growing pause; `connections` bounds it (tests)."""
        assert isinstance(self._backend, Watching)
        pause = _FIRST_PAUSE
        made = 0
        while connections is None or made < connections:
            made += 1
            try:
                async for vm_id in self._backend.watch():
                    pause = _FIRST_PAUSE  # the feed works: a later loss retries quickly
                    try:
                        await self._reconcile(vm_id)
                    except Exception:  # one VM must not stop the feed
                        log.exception("re-observing VM %s after a change failed", vm_id)
                log.info("the %s change feed ended; reconnecting", self._backend.name)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.info("the %s change feed failed (%s); reconnecting", self._backend.name, exc)
            await self._sleep(pause)
            pause = min(_MAX_PAUSE, pause * 2)
