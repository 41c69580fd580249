"""Fault injection in the simulated backend: failures, hangs, pre-emption, crashes, a lost host."""

from __future__ import annotations

import anyio
import pytest
from sim_helpers import FakeSleep, in_background, seen, spec, until

from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendUnavailableError,
    NullContext,
)
from vmkit_server.backends.simulated import SimulatedBackend

pytestmark = pytest.mark.anyio


async def running(backend: SimulatedBackend, vm_id: str = "vm-1") -> None:
    """Create and start a VM."""
    await backend.create(spec(vm_id), NullContext())
    await backend.start(vm_id, NullContext())


async def test_failed_start_leaves_the_vm_stopped_and_explains(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """An injected start failure carries its detail and console tail; the next start works."""
    await backend.create(spec(), ctx)
    backend.fail_next("start", "kernel panic")
    with pytest.raises(BackendOperationFailedError) as info:
        await backend.start("vm-1", ctx)
    assert (str(info.value), info.value.status) == ("kernel panic", 500)
    assert info.value.code == "BACKEND_OPERATION_FAILED"
    assert info.value.metadata["console_tail"][-1].endswith("start failed: kernel panic")
    assert seen(await backend.observe("vm-1")) == ("stopped", "failed")
    assert ctx.logs[-1] == ("error", "start failed: kernel panic")
    assert seen(await backend.start("vm-1", ctx)) == ("running", "booted")


async def test_failed_start_of_a_suspended_vm_keeps_it_suspended(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """A suspended VM whose start fails keeps its saved RAM: a later start restores it."""
    await running(backend)
    await backend.suspend("vm-1", ctx)
    backend.fail_next("start")
    with pytest.raises(BackendOperationFailedError):
        await backend.start("vm-1", ctx)
    assert seen(await backend.observe("vm-1")) == ("suspended", "failed")
    assert seen(await backend.start("vm-1", ctx)) == ("running", "restored")


async def test_failed_create_leaves_no_vm_and_failed_delete_keeps_it(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """A create that fails defines nothing; a delete that fails removes nothing."""
    backend.fail_next("create")
    with pytest.raises(BackendOperationFailedError):
        await backend.create(spec(), ctx)
    assert await backend.list_vm_ids() == []
    await backend.create(spec(), ctx)
    backend.fail_next("delete")
    with pytest.raises(BackendOperationFailedError):
        await backend.delete("vm-1", ctx)
    assert await backend.list_vm_ids() == ["vm-1"]


async def test_hang_blocks_until_released(backend: SimulatedBackend) -> None:
    """A hung stop leaves the VM running until released, then completes normally."""
    await running(backend)
    backend.hang("stop")
    async with anyio.create_task_group() as tg:
        stop = in_background(
            tg,
            lambda: backend.stop(
                "vm-1", NullContext(), timeout_seconds=5, force_after_timeout=True
            ),
        )
        await until(lambda: backend.faults.blocked("stop") == 1)
        assert seen(await backend.observe("vm-1")) == ("running", "booted")
        backend.release("stop")
    assert (stop.error, seen(stop.value)) == (None, ("stopped", "shutdown"))


async def test_force_stop_pre_empts_a_hung_stop(backend: SimulatedBackend) -> None:
    """force_stop works while a stop hangs, and the hung stop ends with a pre-emption error."""
    await running(backend)
    backend.hang("stop")
    async with anyio.create_task_group() as tg:
        stop = in_background(
            tg,
            lambda: backend.stop(
                "vm-1", NullContext(), timeout_seconds=5, force_after_timeout=True
            ),
        )
        await until(lambda: backend.faults.blocked() == 1)
        forced = await backend.force_stop("vm-1", NullContext())
    assert seen(forced) == ("stopped", "destroyed")
    assert isinstance(stop.error, BackendOperationFailedError)
    assert stop.error.metadata["preempted_by"] == "force_stop"
    assert seen(await backend.observe("vm-1")) == ("stopped", "destroyed")
    assert backend.faults.blocked() == 0


async def test_force_stop_pre_empts_work_in_progress(fake_sleep: FakeSleep) -> None:
    """A call still doing its work when a force-stop lands changes nothing afterwards."""
    backend = SimulatedBackend(sleep=fake_sleep)
    await running(backend)
    fake_sleep.gate = anyio.Event()
    async with anyio.create_task_group() as tg:
        suspend = in_background(tg, lambda: backend.suspend("vm-1", NullContext()))
        await until(lambda: len(fake_sleep.calls) == 5)
        forcing = in_background(tg, lambda: backend.force_stop("vm-1", NullContext()))
        await until(lambda: len(fake_sleep.calls) == 6)
        fake_sleep.gate.set()
    assert isinstance(suspend.error, BackendOperationFailedError)
    assert seen(forcing.value) == ("stopped", "destroyed")
    assert seen(await backend.observe("vm-1")) == ("stopped", "destroyed")


async def test_hang_does_not_block_other_vms_actions(backend: SimulatedBackend) -> None:
    """Only calls of the hung action block; other actions go on."""
    await running(backend)
    await backend.create(spec("vm-2", "other"), NullContext())
    backend.hang("pause")
    async with anyio.create_task_group() as tg:
        pause = in_background(tg, lambda: backend.pause("vm-1", NullContext()))
        await until(lambda: backend.faults.blocked("pause") == 1)
        started = await backend.start("vm-2", NullContext())
        backend.release("pause")
    assert seen(started) == ("running", "booted")
    assert seen(pause.value) == ("paused", "user")


async def test_crash_and_guest_power_off_are_observed(backend: SimulatedBackend) -> None:
    """A crash shows as error/crashed; a guest power-off as stopped/shutdown without addresses."""
    await running(backend, "vm-1")
    await running(backend, "vm-2")
    backend.crash("vm-1")
    backend.power_off_from_guest("vm-2")
    crashed, off = await backend.observe("vm-1"), await backend.observe("vm-2")
    assert [seen(crashed), seen(off)] == [("error", "crashed"), ("stopped", "shutdown")]
    assert (off.ip_addresses, off.ready) == ((), False)
    assert seen(await backend.start("vm-1", NullContext())) == ("running", "booted")


async def test_guest_events_need_a_running_guest(backend: SimulatedBackend) -> None:
    """A stopped VM cannot crash or power itself off (a misuse of the injection API)."""
    await backend.create(spec(), NullContext())
    with pytest.raises(ValueError, match="stopped"):
        backend.crash("vm-1")
    with pytest.raises(ValueError, match="stopped"):
        backend.power_off_from_guest("vm-1")


async def test_unavailable_host_refuses_everything_until_back(
    backend: SimulatedBackend, ctx: NullContext
) -> None:
    """While the host is lost every call answers 503; open still works; then all is as before."""
    await running(backend)
    backend.set_available(False)
    await backend.open()
    calls = [
        backend.observe("vm-1"),
        backend.list_vm_ids(),
        backend.host_info(),
        backend.stop("vm-1", ctx, timeout_seconds=1, force_after_timeout=True),
        backend.create(spec("vm-2"), ctx),
        backend.snapshot_delete("vm-1", "s", ctx),
    ]
    for call in calls:
        with pytest.raises(BackendUnavailableError) as info:
            await call
        assert (info.value.status, info.value.code) == (503, "BACKEND_UNAVAILABLE")
    backend.set_available(True)
    assert seen(await backend.observe("vm-1")) == ("running", "booted")


async def test_graceful_stop_of_an_unresponsive_guest_escalates(
    backend: SimulatedBackend, fake_sleep: FakeSleep
) -> None:
    """A guest ignoring shutdown is powered off after the timeout when asked to."""
    await running(backend)
    backend.ignore_shutdown("vm-1")
    obs = await backend.stop("vm-1", NullContext(), timeout_seconds=30, force_after_timeout=True)
    assert seen(obs) == ("stopped", "destroyed")
    assert fake_sleep.calls[-1] == 30


async def test_graceful_stop_of_an_unresponsive_guest_times_out(backend: SimulatedBackend) -> None:
    """Without force_after_timeout the stop raises 504 and the VM keeps running."""
    await running(backend)
    backend.ignore_shutdown("vm-1")
    with pytest.raises(BackendTimeoutError) as info:
        await backend.stop("vm-1", NullContext(), timeout_seconds=5, force_after_timeout=False)
    assert (info.value.status, info.value.metadata["timeout_seconds"]) == (504, 5)
    assert seen(await backend.observe("vm-1")) == ("running", "booted")
    backend.ignore_shutdown("vm-1", False)
    stopped = await backend.stop(
        "vm-1", NullContext(), timeout_seconds=5, force_after_timeout=False
    )
    assert seen(stopped) == ("stopped", "shutdown")


def test_unknown_actions_are_rejected(backend: SimulatedBackend) -> None:
    """Fault injection names a real action, or says which ones exist."""
    with pytest.raises(ValueError, match=r"known actions: .*snapshot_create"):
        backend.fail_next("explode")
    with pytest.raises(ValueError, match="unknown simulated action"):
        backend.hang("observe")
