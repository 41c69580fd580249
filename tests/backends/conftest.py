"""Fixtures for the backend tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sim_helpers import FakeSleep

from vmkit_server.backends.base import NullContext
from vmkit_server.backends.simulated import SimulatedBackend


@pytest.fixture
def fake_sleep() -> FakeSleep:
    """An instant sleep that records durations."""
    return FakeSleep()


@pytest.fixture
def ctx() -> NullContext:
    """A context that records logs and progress."""
    return NullContext()


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """Where a persistent simulated backend keeps its state."""
    return tmp_path / "simulated"


@pytest.fixture
def backend(fake_sleep: FakeSleep) -> SimulatedBackend:
    """An in-memory simulated backend with instant, recorded sleeps."""
    return SimulatedBackend(delay=0.2, boot_delay=1.0, sleep=fake_sleep)
