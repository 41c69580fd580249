"""Helpers shared by the store tests (a module, so tests can import the types)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from vmkit_server.store import Tx, VMRow


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = datetime(2030, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 1.0) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def make_vm(tx: Tx, name: str, **fields: Any) -> VMRow:
    """Insert a VM with sensible defaults; ``id`` defaults to ``vm_<name>``."""
    values: dict[str, Any] = {
        "id": f"vm_{name}",
        "name": name,
        "state": "stopped",
        "cpus": 1,
        "memory_mib": 512,
        "disk_gib": 4,
        "backend": "simulated",
        "host": "local",
    }
    values.update(fields)
    return tx.insert_vm(**values)
