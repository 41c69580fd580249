"""The simulated backend's lifecycle: exact state sequences, addresses, progress, refusals."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sim_helpers import FakeSleep, seen, spec

from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendVMNotFoundError,
    NullContext,
    PowerState,
)
from vmkit_server.backends.simulated import SimulatedBackend

pytestmark = pytest.mark.anyio


async def test_lifecycle_goes_through_the_expected_states(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """Every action moves the VM to the state and reason a hypervisor would report."""
    steps = [
        await backend.create(spec(), ctx),
        await backend.start("vm-1", ctx),
        await backend.pause("vm-1", ctx),
        await backend.resume("vm-1", ctx),
        await backend.restart("vm-1", ctx),
        await backend.suspend("vm-1", ctx),
        await backend.resume("vm-1", ctx),
        await backend.suspend("vm-1", ctx),
        await backend.start("vm-1", ctx),
        await backend.stop("vm-1", ctx, timeout_seconds=30, force_after_timeout=False),
        await backend.start("vm-1", ctx),
        await backend.force_stop("vm-1", ctx),
    ]
    assert [seen(s) for s in steps] == [
        ("stopped", "created"),
        ("running", "booted"),
        ("paused", "user"),
        ("running", "unpaused"),
        ("running", "booted"),
        ("suspended", "saved"),
        ("running", "restored"),
        ("suspended", "saved"),
        ("running", "restored"),
        ("stopped", "shutdown"),
        ("running", "booted"),
        ("stopped", "destroyed"),
    ]
    assert seen(steps[-1]) == seen(await backend.observe("vm-1"))


async def test_addresses_and_readiness_follow_the_power_state(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """Only a running guest is ready; running and paused VMs have an address, others none."""
    stopped = await backend.create(spec(), ctx)
    running = await backend.start("vm-1", ctx)
    paused = await backend.pause("vm-1", ctx)
    suspended = await backend.suspend("vm-1", ctx)
    assert (stopped.ip_addresses, stopped.ready) == ((), False)
    assert running.ready is True
    assert len(running.ip_addresses) == 1
    assert running.ip_addresses[0].startswith("10.0.")
    assert (running.ip_addresses, False) == (paused.ip_addresses, paused.ready)
    assert (suspended.ip_addresses, suspended.ready) == ((), False)


async def test_addresses_are_deterministic_and_distinct(fake_sleep: FakeSleep) -> None:
    """The same seed and id give the same address in another instance; VMs never share one."""
    first, second = (SimulatedBackend(sleep=fake_sleep) for _ in range(2))
    ips = []
    for b in (first, second):
        for n in range(5):
            await b.create(spec(f"vm-{n}", f"n{n}"), NullContext())
            await b.start(f"vm-{n}", NullContext())
        ips.append([(await b.observe(f"vm-{n}")).ip_addresses[0] for n in range(5)])
    assert ips[0] == ips[1]
    assert len(set(ips[0])) == 5
    other_seed = SimulatedBackend(seed=7, sleep=fake_sleep)
    await other_seed.create(spec("vm-0", "n0"), NullContext())
    obs = await other_seed.start("vm-0", NullContext())
    assert ips[0][0] != obs.ip_addresses[0]


async def test_actions_take_their_delay_and_report_progress(
    backend: SimulatedBackend, fake_sleep: FakeSleep
) -> None:
    """A create takes `delay`, a boot `boot_delay`, each in two halves with progress 0.5, 1.0."""
    create_ctx, start_ctx = NullContext(), NullContext()
    await backend.create(spec(), create_ctx)
    await backend.start("vm-1", start_ctx)
    assert fake_sleep.calls == [0.1, 0.1, 0.5, 0.5]
    assert [0.5, 1.0] == create_ctx.fractions == start_ctx.fractions
    assert start_ctx.logs[0][1] == "booting guest"
    assert start_ctx.logs[-1][1].startswith("guest ready at 10.0.")


async def test_restart_counts_boots_in_extra(backend: SimulatedBackend, ctx: NullContext) -> None:
    """`extra.boot_count` grows with every boot, including restarts."""
    await backend.create(spec(), ctx)
    counts = [
        (await backend.start("vm-1", ctx)).extra["boot_count"],
        (await backend.restart("vm-1", ctx)).extra["boot_count"],
        (await backend.restart("vm-1", ctx)).extra["boot_count"],
    ]
    assert counts == [1, 2, 3]


async def test_a_refused_action_names_the_allowed_states_and_changes_nothing(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """Pausing a stopped VM is refused (defence in depth) and leaves it stopped."""
    await backend.create(spec(), ctx)
    with pytest.raises(BackendOperationFailedError) as info:
        await backend.pause("vm-1", ctx)
    assert info.value.metadata["state"] == "stopped"
    assert info.value.metadata["allowed_from"] == ["running"]
    assert seen(await backend.observe("vm-1")) == ("stopped", "created")


@pytest.mark.parametrize(
    ("action", "state"),
    [("start", "running"), ("delete", "running"), ("stop", "stopped"), ("resume", "running")],
)
async def test_actions_refused_in_the_wrong_state(
    backend: SimulatedBackend, ctx: NullContext, action: str, state: str
) -> None:
    """Each action is refused from a state the hypervisor would refuse it in."""
    await backend.create(spec(), ctx)
    if state == "running":
        await backend.start("vm-1", ctx)
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "start": lambda: backend.start("vm-1", ctx),
        "delete": lambda: backend.delete("vm-1", ctx),
        "stop": lambda: backend.stop("vm-1", ctx, timeout_seconds=1, force_after_timeout=True),
        "resume": lambda: backend.resume("vm-1", ctx),
    }
    with pytest.raises(BackendOperationFailedError):
        await calls[action]()
    assert state == (await backend.observe("vm-1")).state


async def test_force_stop_of_a_stopped_vm_changes_nothing(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """A force-stop is idempotent: a stopped VM stays stopped with its reason."""
    await backend.create(spec(), ctx)
    assert seen(await backend.force_stop("vm-1", ctx)) == ("stopped", "created")


async def test_force_stop_works_from_suspended_and_error(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """Suspended (its saved RAM discarded) and crashed VMs can be powered off."""
    await backend.create(spec(), ctx)
    await backend.start("vm-1", ctx)
    await backend.suspend("vm-1", ctx)
    first = await backend.force_stop("vm-1", ctx)
    await backend.start("vm-1", ctx)
    backend.crash("vm-1")
    second = await backend.force_stop("vm-1", ctx)
    assert [seen(first), seen(second)] == [("stopped", "destroyed")] * 2


async def test_delete_removes_the_vm(backend: SimulatedBackend, ctx: NullContext) -> None:
    """After delete the VM is neither listed nor observable."""
    await backend.create(spec("vm-1"), ctx)
    await backend.create(spec("vm-2", "db"), ctx)
    await backend.delete("vm-1", ctx)
    assert await backend.list_vm_ids() == ["vm-2"]
    with pytest.raises(BackendVMNotFoundError) as info:
        await backend.observe("vm-1")
    assert (info.value.status, info.value.code) == (404, "VM_NOT_FOUND")


async def test_unknown_vm_is_not_found(backend: SimulatedBackend, ctx: NullContext) -> None:
    """Actions on an id the hypervisor does not know raise 404."""
    with pytest.raises(BackendVMNotFoundError):
        await backend.start("nope", ctx)


async def test_create_refuses_an_existing_id(backend: SimulatedBackend, ctx: NullContext) -> None:
    """Two VMs cannot share an id."""
    await backend.create(spec(), ctx)
    with pytest.raises(BackendOperationFailedError):
        await backend.create(spec(name="other"), ctx)


async def test_rename_and_update_resources(backend: SimulatedBackend, ctx: NullContext) -> None:
    """Rename works in any state; resources change only while stopped, and must be positive."""
    await backend.create(spec(), ctx)
    await backend.update_resources("vm-1", cpus=4, memory_mib=None)
    await backend.update_resources("vm-1", cpus=None, memory_mib=2048)
    with pytest.raises(BackendOperationFailedError):
        await backend.update_resources("vm-1", cpus=0, memory_mib=None)
    await backend.start("vm-1", ctx)
    await backend.rename("vm-1", "renamed")
    with pytest.raises(BackendOperationFailedError):
        await backend.update_resources("vm-1", cpus=8, memory_mib=None)
    info = await backend.snapshot_create("vm-1", "s1", ctx)
    assert (info.size_bytes or 0) > 2048 * 2**20
    assert (await backend.observe("vm-1")).state == PowerState.RUNNING


async def test_host_info_is_deterministic(backend: SimulatedBackend) -> None:
    """The simulated host describes itself the same way every time."""
    info = await backend.host_info()
    assert (info.hypervisor, info.accelerator) == ("simulated", None)
    assert info == await SimulatedBackend().host_info()
