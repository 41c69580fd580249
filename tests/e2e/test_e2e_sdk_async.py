"""The async SDK against a live server on a real socket (the twin of the sync e2e tests).

Every response goes through the async spec check of the `async_client` fixture. The last
test tours every operationId with its own checker (see test_e2e_sdk_operations for why).
"""

from __future__ import annotations

import anyio
import httpx
import pytest
from e2e_helpers import ResponseLog, unique_name
from spec_check import SpecChecker

import vmkit
from vmkit.errors import ConflictError, NotFoundError, PreconditionFailedError, VMStateError
from vmkit_server.testing import RunningServer

pytestmark = pytest.mark.anyio


async def test_create_and_act_with_states_etags_and_location(
    async_client: vmkit.AsyncClient, response_log: ResponseLog
) -> None:
    """Create, then every power action: 202 + Location, the states they lead to, new ETags."""
    op = await async_client.vms.create(unique_name("async"), labels={"k": "v"})
    assert f"/v1/operations/{op.id}" == response_log.last("POST", "/v1/vms").headers["location"]
    await op.wait(timeout=10)
    vm = await async_client.vms.get(op.target["id"])
    seen, etags = [(vm.state, vm.state_reason)], {vm.etag}
    for act in (vm.start, vm.pause, vm.suspend, vm.resume, vm.restart, vm.stop):
        await act(wait=True, wait_timeout=10)
        seen.append((vm.state, vm.state_reason))
        etags.add(vm.etag)
    started = await async_client.vms.start(vm)
    assert f"/v1/operations/{started.id}" == response_log.last("POST", ":start").headers["location"]
    await started.wait(timeout=10)
    await async_client.vms.force_stop(vm, wait=True)
    seen.append(((await vm.refresh()).state, vm.state_reason))
    assert [
        ("stopped", "created"),
        ("running", "booted"),
        ("paused", "user"),
        ("suspended", "saved"),
        ("running", "restored"),
        ("running", "booted"),
        ("stopped", "shutdown"),
        ("stopped", "destroyed"),
    ] == seen
    assert len(etags) == 7


async def test_patch_if_match_rename_and_delete(async_client: vmkit.AsyncClient) -> None:
    """PATCH with If-Match, a stale ETag gets 412, :rename keeps the id, DELETE removes."""
    vm = await async_client.vms.create(unique_name("apatch"), wait=True)
    stale = vm.etag
    await vm.update(cpus=2, labels={"x": "1"}, if_match=stale)
    assert (2, {"x": "1"}) == (vm.cpus, vm.labels)
    with pytest.raises(PreconditionFailedError):
        await async_client.vms.update(vm, cpus=3, if_match=stale)
    new = unique_name("arenamed")
    await vm.rename(new)
    assert (new, vm.id) == ((await async_client.vms.get(vm.id)).name, vm.id)
    await vm.start(wait=True)
    with pytest.raises(VMStateError) as refused:
        await vm.delete()
    assert "running" == refused.value.current_state
    await vm.delete(force=True, wait=True)
    with pytest.raises(NotFoundError):
        await async_client.vms.get(new)


async def test_paging_with_filters(async_client: vmkit.AsyncClient) -> None:
    """The async paginator walks every page in order; filters narrow the list."""
    team = unique_name("ateam")
    names = [unique_name("apage") for _ in range(5)]
    for i, name in enumerate(names):
        await async_client.vms.create(name, labels={"team": team}, start=i % 2 == 0, wait=True)
    pages = [p async for p in async_client.vms.list(label=f"team={team}", page_size=2).pages()]
    assert [2, 2, 1] == [len(p.items) for p in pages]
    assert names == [vm.name for p in pages for vm in p.items]
    running = async_client.vms.list(state="running", label={"team": team}, page_size=1)
    assert names[::2] == [vm.name for vm in await running.to_list()]


async def test_snapshots_restore_and_clone(async_client: vmkit.AsyncClient) -> None:
    """Snapshot, restore (memory → running, disk → stopped), clone independence."""
    vm = await async_client.vms.create(unique_name("asnap"), start=True, wait=True)
    mem = await vm.snapshot("mem", wait=True)
    await vm.stop(wait=True)
    disk = await async_client.snapshots.create(vm, "disk", wait=True)
    assert (True, False) == (mem.includes_memory, disk.includes_memory)
    assert ["mem", "disk"] == [s.name for s in await vm.snapshots.list().to_list()]
    assert disk.id == (await async_client.snapshots.get(vm, "disk")).id
    assert "running" == (await async_client.snapshots.restore(vm, "mem", wait=True)).state
    assert "stopped" == (await async_client.snapshots.restore(vm, "disk", wait=True)).state
    clone = await vm.clone(unique_name("aclone"), labels={"c": "1"}, wait=True)
    assert ("stopped", {"c": "1"}) == (clone.state, clone.labels)
    assert clone.id != vm.id and [] == await clone.snapshots.list().to_list()
    await async_client.snapshots.delete(vm, mem.id, wait=True)
    with pytest.raises(NotFoundError):
        await vm.snapshots.get("mem")
    await vm.delete(wait=True)
    assert "stopped" == (await clone.refresh()).state


async def test_operations_and_hosts(async_client: vmkit.AsyncClient) -> None:
    """Operations filter, wait, log and refuse a late cancel; the host is `local`."""
    vm = await async_client.vms.create(unique_name("aops"), wait=True)
    op = await async_client.vms.start(vm)
    done = await async_client.operations.wait(op.id, timeout=10)
    assert ("succeeded", "vm.start") == (done.state, done.kind)
    kinds = [o.kind async for o in async_client.operations.list(vm=vm.id, page_size=1)]
    assert ["vm.create", "vm.start"] == kinds
    assert [] != await op.logs(page_size=1).to_list()
    with pytest.raises(ConflictError):
        await async_client.operations.cancel(op)
    assert ["local"] == [h.id for h in await async_client.hosts.list()]
    assert "simulated" == (await async_client.hosts.get("local")).backend


async def test_concurrent_calls_share_one_client(async_client: vmkit.AsyncClient) -> None:
    """Several creates and starts in flight at once on one AsyncClient all succeed."""
    names = [unique_name("many") for _ in range(4)]
    vms: list[vmkit.AsyncVM] = []

    async def make(name: str) -> None:
        vms.append(await async_client.vms.create(name, start=True, wait=True, wait_timeout=10))

    async with anyio.create_task_group() as tg:
        for name in names:
            tg.start_soon(make, name)
    assert sorted(names) == sorted(vm.name for vm in vms)
    assert {"running"} == {vm.state for vm in vms}


async def test_one_vm_life_touches_every_operation_of_the_spec(
    server: RunningServer, spec_checker: SpecChecker
) -> None:
    """Through the async SDK alone, every operationId of the spec answers per the spec."""
    tour = SpecChecker()
    hooks = [tour.acheck, spec_checker.acheck]
    async with (
        httpx.AsyncClient(base_url=server.url, event_hooks={"response": hooks}) as http,
        vmkit.AsyncClient(server.url, server.token, http_client=http) as c,
    ):
        await c.health()
        await http.get("/readyz")
        await http.get("/openapi.json")
        vm = await c.vms.create(unique_name("atour"), wait=True)
        await c.vms.list(page_size=1).to_list()
        await vm.update(labels={"tour": "yes"})
        for act in (vm.start, vm.restart, vm.pause, vm.resume, vm.suspend, vm.start, vm.stop):
            await act(wait=True)
        snap = await vm.snapshot("s1", wait=True)
        await vm.snapshots.list().to_list()
        await c.snapshots.restore(vm, snap.id, wait=True)
        await c.snapshots.delete(vm, snap.id, wait=True)
        clone = await c.vms.clone(vm, unique_name("atour-copy"), start=True, wait=True)
        await vm.rename(unique_name("atour-renamed"))
        assert "vmkit/test-guest" in [i.name for i in await c.images.list()]
        assert "hi\n" == (await c.vms.exec(clone, "echo hi")).stdout
        assert 2 == await c.vms.upload(clone, "/tmp/t", "ok")
        assert b"ok" == await c.vms.download(clone, "/tmp/t")
        assert (await c.vms.console(clone)).next_offset > 0
        assert 1 == await c.vms.send_console(clone, "\n")
        assert (await c.vms.screenshot(clone)).data.startswith(b"\x89PNG")
        assert 30 == (await c.vms.resize_disk(clone, 30, wait=True)).disk_gib
        op = await c.vms.force_stop(clone)
        await c.operations.wait(op.id, timeout=10)
        assert op == await c.operations.get(op.id)
        assert await op.logs().to_list()
        with pytest.raises(ConflictError):
            await op.cancel()
        assert await c.operations.list(page_size=1).to_list()
        await c.hosts.list()
        await c.hosts.get("local")
        token = await c.tokens.create("atour", scopes=["read"])
        assert token.id in [t.id async for t in c.tokens.list()]
        assert token.id == (await c.tokens.get(token)).id
        assert "revoked" == (await c.tokens.revoke(token)).state.value
        assert "vm.created" in {e.type async for e in c.events.list(vm=vm, types="vm.*")}
        hook = await c.webhooks.create("http://127.0.0.1:9/atour", types=["vm.*"])
        assert hook.secret.startswith("whsec_")
        assert hook.id in [w.id async for w in c.webhooks.list()]
        etag = (await c.webhooks.get(hook)).etag
        hook = await c.webhooks.update(hook, enabled=False, if_match=etag)
        assert "webhook.ping" == (await c.webhooks.test(hook)).event_type
        assert ["webhook.ping"] == [d.event_type async for d in c.webhooks.deliveries(hook)]
        await c.webhooks.delete(hook)
        await vm.delete(wait=True)
        await clone.delete(wait=True)
    expected = {
        op["operationId"]
        for item in tour.spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert [] == tour.failures
    assert sorted(expected) == sorted(tour.seen)
