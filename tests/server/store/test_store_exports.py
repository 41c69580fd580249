"""The public surface of vmkit_server.store."""

from __future__ import annotations

import vmkit_server.store as store_pkg


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted and names every public attribute the package re-exports."""
    public = {
        name
        for name, value in vars(store_pkg).items()
        if not name.startswith("_") and isinstance(value, type)
    }
    assert sorted(store_pkg.__all__) == store_pkg.__all__
    assert public == set(store_pkg.__all__)


def test_every_public_name_has_a_docstring() -> None:
    """Each exported class documents itself."""
    assert [n for n in store_pkg.__all__ if not getattr(store_pkg, n).__doc__] == []
