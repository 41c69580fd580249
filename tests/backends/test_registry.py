"""Building backends by name, and the simulated backend's CLI options."""

from __future__ import annotations

from pathlib import Path

import pytest
from sim_helpers import spec

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import BackendOperationFailedError, NullContext
from vmkit_server.backends.simulated import SimulatedBackend


def test_load_simulated_keeps_state_under_the_data_dir(tmp_path: Path) -> None:
    """`simulated` builds a SimulatedBackend persisting in `<data_dir>/simulated`."""
    backend = load_backend("simulated", data_dir=tmp_path, options={"delay": "0"})
    assert isinstance(backend, SimulatedBackend)
    assert tmp_path / "simulated" == backend.state_dir


def test_unknown_backend_lists_the_known_ones(tmp_path: Path) -> None:
    """An unknown name raises ValueError naming the backends that exist."""
    known = "ciderstack, lume, nemeton, qemu, simulated, taartenfabriek, tart, ttstack"
    with pytest.raises(ValueError, match=f"known backends: {known}"):
        load_backend("vmware", data_dir=tmp_path, options={})


def test_from_options_reads_timings_and_seed() -> None:
    """Numbers parse into the backend's timings and seed; defaults fill the rest."""
    backend = SimulatedBackend.from_options(
        {"delay": "0.01", "boot_delay": "2", "seed": "7"}, state_dir=None
    )
    defaults = SimulatedBackend.from_options({}, state_dir=None)
    assert (backend.delay, backend.boot_delay, backend.seed) == (0.01, 2.0, 7)
    assert (
        defaults.delay,
        defaults.boot_delay,
        defaults.seed,
        defaults.faults.available,
    ) == (0.005, 0.005, 0, True)


def test_from_options_arms_faults() -> None:
    """`fail`, `hang` and `unavailable` arm the same faults as the methods."""
    backend = SimulatedBackend.from_options(
        {"fail": "start, delete", "hang": "stop,snapshot_create", "unavailable": "true"},
        state_dir=None,
    )
    assert {"start", "delete"} == set(backend.faults.failures)
    assert {"stop", "snapshot_create"} == backend.faults.hung
    assert backend.faults.available is False


@pytest.mark.anyio
async def test_an_option_failure_fails_the_next_call_only() -> None:
    """`fail=start` fails the first start, with a detail naming the option; the next works."""
    backend = SimulatedBackend.from_options({"delay": "0", "fail": "start"}, state_dir=None)
    await backend.create(spec(), NullContext())
    with pytest.raises(BackendOperationFailedError, match="fail=start"):
        await backend.start("vm-1", NullContext())
    assert (await backend.start("vm-1", NullContext())).state == "running"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colour": "red"}, "unknown simulated backend option.*colour.*known options"),
        ({"delay": "fast"}, "delay='fast': expected a number"),
        ({"delay": "-1"}, "delay='-1': expected a finite number"),
        ({"boot_delay": "nan"}, "boot_delay='nan'"),
        ({"seed": "1.5"}, "seed='1.5': expected an integer"),
        ({"unavailable": "maybe"}, "unavailable='maybe': expected true or false"),
        ({"fail": "start,explode"}, "unknown simulated action 'explode'"),
        ({"hang": "observe"}, "unknown simulated action 'observe'"),
    ],
)
def test_from_options_rejects_bad_input(options: dict[str, str], message: str) -> None:
    """Bad keys, values and action names raise ValueError saying what is accepted."""
    with pytest.raises(ValueError, match=message):
        SimulatedBackend.from_options(options, state_dir=None)
