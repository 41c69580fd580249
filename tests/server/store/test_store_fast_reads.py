"""The hot-path reads outside transactions give exactly what the transactional reads give."""

from __future__ import annotations

from store_helpers import FakeClock, make_vm

from vmkit_server.core.render import RenderCache
from vmkit_server.store import Store


def test_fast_get_vm_equals_transactional_read(store: Store, clock: FakeClock) -> None:
    """Every column converts the same way (times, JSON, booleans, NULLs), by id and by name."""
    with store.tx() as tx:
        make_vm(
            tx,
            "web-1",
            labels={"team": "qa", "ünï": "cödé"},
            ip_addresses=["10.0.0.2"],
            ready=True,
            ttl_seconds=60,
            expires_at=clock.advance(60),
            extra={"n": [1, 2]},
        )
        make_vm(tx, "web-2")
    for ref in ("web-1", "vm_web-1", "web-2"):
        with store.read() as tx:
            expected = tx.get_vm(ref)
        assert expected == store.get_vm(ref)
    assert store.get_vm("nope") is None
    assert store.get_vm("vm_nope") is None


def test_version_follows_every_write(store: Store) -> None:
    """(id, generation) changes on update and disappears on delete."""
    with store.tx() as tx:
        row = make_vm(tx, "web-1")
    assert ("vm_web-1", row.generation) == store.get_vm_version("web-1")
    with store.tx() as tx:
        updated = tx.update_vm(row.id, cpus=2)
    assert updated is not None
    assert ("vm_web-1", updated.generation) == store.get_vm_version("vm_web-1")
    with store.tx() as tx:
        tx.delete_vm(row.id)
    assert store.get_vm_version("web-1") is None


def test_render_cache_renders_once_per_version() -> None:
    """A hit returns the stored bytes; a new generation renders again; size stays bounded."""
    cache = RenderCache(size=2)
    calls: list[int] = []

    def render(gen: int) -> dict[str, object]:
        calls.append(gen)
        return {"generation": gen, "etag": f'"{gen}"'}

    first = cache.get_or_render(("vm_a", 1), lambda: render(1))
    assert first == cache.get_or_render(("vm_a", 1), lambda: render(99))
    assert (b'{"generation":2,"etag":"\\"2\\""}', '"2"') == cache.get_or_render(
        ("vm_a", 2), lambda: render(2)
    )
    cache.get_or_render(("vm_b", 1), lambda: render(3))
    cache.get_or_render(("vm_a", 1), lambda: render(4))  # evicted by the bound: renders again
    assert [1, 2, 3, 4] == calls


def test_remembered_versions_never_outlive_a_write(store: Store) -> None:
    """A version read twice comes from memory; any write transaction forgets it."""
    with store.tx() as tx:
        row = make_vm(tx, "web-1")
    first = store.get_vm_version("web-1")
    assert first == store.get_vm_version("web-1")
    with store.tx() as tx:
        tx.update_vm(row.id, name="web-2")
    assert store.get_vm_version("web-1") is None
    renamed = store.get_vm_version("web-2")
    assert renamed is not None and first is not None
    assert renamed[1] > first[1]
    with store.tx() as tx:
        tx.delete_vm(row.id)
    assert store.get_vm_version("web-2") is None


def test_a_failed_write_transaction_also_forgets(store: Store) -> None:
    """Even a rolled-back transaction empties the memory (it is only ever a miss)."""
    with store.tx() as tx:
        make_vm(tx, "web-1")
    assert store.get_vm_version("web-1") is not None
    try:
        with store.tx() as tx:
            tx.update_vm("vm_web-1", cpus=4)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with store.read() as tx:
        current = tx.get_vm("web-1")
    assert current is not None
    assert (current.id, current.generation) == store.get_vm_version("web-1")
