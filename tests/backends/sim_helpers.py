"""Helpers for the backend tests: an instant, recordable sleep and VM specs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.abc
import anyio.lowlevel

from vmkit_server.backends.base import Observation, VMSpec


@dataclass
class FakeSleep:
    """An injectable sleep that returns at once (after yielding) and records every duration.

    Set `gate` to make every sleep block until the gate is set (to interleave calls).
    """

    calls: list[float] = field(default_factory=list)
    gate: anyio.Event | None = None

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.gate is not None:
            await self.gate.wait()
        await anyio.lowlevel.checkpoint()


def spec(vm_id: str = "vm-1", name: str = "web", **changes: Any) -> VMSpec:
    """A small VM spec."""
    base: dict[str, Any] = {
        "id": vm_id,
        "name": name,
        "cpus": 2,
        "memory_mib": 512,
        "disk_gib": 10,
        "image": "vmkit/test-guest",
        "labels": {"team": "qa"},
    }
    return VMSpec(**{**base, **changes})


def seen(obs: Observation) -> tuple[str, str | None]:
    """The (state, reason) pair an observation shows."""
    return (str(obs.state), obs.reason)


@dataclass
class Outcome:
    """What a call started in the background ended with."""

    value: Any = None
    error: BaseException | None = None
    done: bool = False


def in_background(tg: anyio.abc.TaskGroup, call: Callable[[], Awaitable[Any]]) -> Outcome:
    """Start `call` in `tg`, recording its result or exception in the returned `Outcome`."""
    outcome = Outcome()

    async def run() -> None:
        try:
            outcome.value = await call()
        except Exception as exc:  # the test inspects it
            outcome.error = exc
        finally:
            outcome.done = True

    tg.start_soon(run)
    return outcome


async def until(predicate: Callable[[], bool], *, limit: int = 1000) -> None:
    """Yield to other tasks until `predicate()` holds (bounded, so a bug cannot hang)."""
    for _ in range(limit):
        if predicate():
            return
        await anyio.lowlevel.checkpoint()
    raise AssertionError("condition never became true")
