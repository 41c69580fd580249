"""A cache of rendered resource bodies keyed by (id, generation).

A generation changes on every write, so a cached body is exactly what rendering the current
row would give; reading the version is a much cheaper query than reading and rendering the
row, which is what `GET /v1/vms/{vm}` spends most of its time on otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["RenderCache", "render_json"]


def render_json(body: Any) -> bytes:
    """The API's compact JSON encoding."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


class RenderCache:
    """Bounded map of (id, generation) to (JSON bytes, ETag).

    Args:
        size: How many bodies to keep (oldest inserted are dropped first).
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._items: dict[tuple[str, int], tuple[bytes, str]] = {}

    def get_or_render(
        self, version: tuple[str, int], render: Callable[[], dict[str, Any]]
    ) -> tuple[bytes, str]:
        """The cached body for `version`, rendering (and keeping) it on a miss.

        `render` must return the view of exactly that version (its `etag` included).
        """
        hit = self._items.get(version)
        if hit is not None:
            return hit
        view = render()
        entry = (render_json(view), str(view["etag"]))
        if len(self._items) >= self._size:
            del self._items[next(iter(self._items))]
        self._items[version] = entry
        return entry
