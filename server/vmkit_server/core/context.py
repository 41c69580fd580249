"""What every service needs: the store, the backend, the runner, the clock, the host."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..backends.base import Backend
from ..store import Store
from .bus import EventBus
from .clock import Clock
from .runner import OperationRunner

__all__ = ["Services"]


@dataclass
class Services:
    """The shared parts the core services are built from.

    Attributes:
        store: The persistence layer.
        backend: The hypervisor backend.
        runner: Runs operations.
        clock: The wall clock.
        host: This host's id (`local`).
        bus: Announces newly committed events (live streams and webhook delivery wait on
            it); the app connects it to the store at startup.
    """

    store: Store
    backend: Backend
    runner: OperationRunner
    clock: Clock
    host: str = "local"
    bus: EventBus = field(default_factory=EventBus)
