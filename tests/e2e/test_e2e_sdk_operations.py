"""The sync SDK against a live server on a real socket: every operation of the spec, with results.

Every response is validated against the spec by the `client` fixture. The last test walks
one VM through every operation with its own spec checker and asserts that it saw every
operationId: a module-wide tally would not do, since `pytest -n auto` spreads one module's
tests over several workers.
"""

from __future__ import annotations

import httpx
import pytest
from e2e_helpers import ResponseLog, unique_name
from spec_check import SpecChecker

import vmkit
from vmkit.errors import ConflictError, NotFoundError, PreconditionFailedError, VMStateError
from vmkit_server.testing import RunningServer

OPERATION_URL = r"^/v1/operations/op_[0-9a-z]{26}$"


def test_health_readiness_and_openapi_document(client: vmkit.Client, server: RunningServer) -> None:
    """/healthz, /readyz and /openapi.json answer without a token; the document is the spec."""
    assert "ok" == client.health().status
    checker = SpecChecker()
    with httpx.Client(base_url=server.url, event_hooks={"response": [checker.check]}) as http:
        ready = http.get("/readyz")
        document = http.get("/openapi.json").json()
    assert (200, "ok") == (ready.status_code, ready.json()["status"])
    assert checker.spec["paths"].keys() == document["paths"].keys()
    assert [] == checker.failures


def test_create_answers_202_with_location_and_ends_stopped(
    client: vmkit.Client, response_log: ResponseLog
) -> None:
    """Create is 202 + Location of its operation; the VM is `creating`, then `stopped`."""
    name = unique_name("create")
    op = client.vms.create(name, cpus=2, memory_mib=1024, disk_gib=5, labels={"team": "qa"})
    accepted = response_log.last("POST", "/v1/vms")
    assert 202 == accepted.status
    assert f"/v1/operations/{op.id}" == accepted.headers["location"]
    assert ("vm.create", name) == (op.kind, op.target["name"])
    op.wait(timeout=10)
    vm = client.vms.get(name)
    assert ("stopped", 2, 1024, 5, {"team": "qa"}) == (
        vm.state,
        vm.cpus,
        vm.memory_mib,
        vm.disk_gib,
        vm.labels,
    )
    assert (op.target["id"], None) == (vm.id, vm.operation_id)
    assert vm == client.vms.get(vm.id)
    assert vm.etag == response_log.last("GET", f"/v1/vms/{vm.id}").headers["etag"]


def test_patch_changes_settings_and_the_etag(client: vmkit.Client) -> None:
    """PATCH replaces the fields given, keeps the others, and gives the VM a new ETag."""
    vm = client.vms.create(unique_name("patch"), labels={"a": "1"}, ttl_seconds=3600, wait=True)
    before = vm.etag
    vm.update(cpus=4, memory_mib=2048, labels={"b": "2"}, if_match=vm.etag)
    assert (4, 2048, {"b": "2"}, 3600) == (vm.cpus, vm.memory_mib, vm.labels, vm.ttl_seconds)
    assert before != vm.etag
    vm.update(ttl_seconds=None)
    assert (None, None, 4) == (vm.ttl_seconds, vm.expires_at, vm.cpus)
    vm.start(wait=True)
    with pytest.raises(VMStateError):
        vm.update(cpus=1)  # cpu/memory only while stopped
    assert {"c": "3"} == vm.update(labels={"c": "3"}).labels


def test_every_action_moves_the_vm_as_the_state_machine_says(client: vmkit.Client) -> None:
    """start, pause, resume, suspend, restart, stop, force-stop: states, reasons and ETags."""
    vm = client.vms.create(unique_name("life"), wait=True)
    seen: list[tuple[str, str | None]] = []
    etags = [vm.etag]
    for act in (
        vm.start,
        vm.pause,
        vm.resume,
        vm.suspend,
        vm.start,
        vm.pause,
        vm.suspend,
        vm.resume,
        vm.restart,
        vm.stop,
        vm.start,
        vm.force_stop,
    ):
        act(wait=True, wait_timeout=10)
        seen.append((vm.state, vm.state_reason))
        etags.append(vm.etag)
        assert vm.operation_id is None
    assert [
        ("running", "booted"),
        ("paused", "user"),
        ("running", "unpaused"),
        ("suspended", "saved"),
        ("running", "restored"),
        ("paused", "user"),
        ("suspended", "saved"),
        ("running", "restored"),
        ("running", "booted"),
        ("stopped", "shutdown"),
        ("running", "booted"),
        ("stopped", "destroyed"),
    ] == seen
    assert len(etags) == len(set(etags))


def test_actions_answer_202_with_location(client: vmkit.Client, response_log: ResponseLog) -> None:
    """Every action's 202 carries `Location: /v1/operations/{id}` of the operation returned."""
    vm = client.vms.create(unique_name("loc"), wait=True)
    op = client.vms.start(vm)
    entry = response_log.last("POST", ":start")
    assert (202, f"/v1/operations/{op.id}") == (entry.status, entry.headers["location"])
    op.wait(timeout=10)
    op = client.vms.stop(vm, timeout_seconds=5, force_after_timeout=True)
    entry = response_log.last("POST", ":stop")
    assert (202, f"/v1/operations/{op.id}") == (entry.status, entry.headers["location"])
    assert "stopped" == client.vms.get(op.wait(timeout=10).target["id"]).state


def test_delete_needs_force_while_running(client: vmkit.Client) -> None:
    """DELETE of a running VM is 409 without force; with force it powers off and deletes."""
    vm = client.vms.create(unique_name("del"), start=True, wait=True)
    with pytest.raises(VMStateError) as refused:
        vm.delete()
    assert ("running", ["error", "stopped", "suspended"]) == (
        refused.value.current_state,
        sorted(refused.value.allowed_from),
    )
    op = vm.delete(force=True, wait=True, wait_timeout=10)
    assert ("vm.delete", "succeeded") == (op.kind, op.state)
    with pytest.raises(NotFoundError) as missing:
        client.vms.get(vm.id)
    assert "VM_NOT_FOUND" == missing.value.code


def test_paging_across_pages_with_state_and_label_filters(client: vmkit.Client) -> None:
    """Lists page by page in creation order; `state` and `label` filters combine with AND."""
    team = unique_name("team")
    names = [unique_name("page") for _ in range(7)]
    for i, name in enumerate(names):
        client.vms.create(name, labels={"team": team, "odd": str(i % 2)}, start=i < 3, wait=True)
    pages = list(client.vms.list(label=f"team={team}", page_size=2).pages())
    assert [2, 2, 2, 1] == [len(p.items) for p in pages]
    assert all(p.next_page_token for p in pages[:-1]) and pages[-1].next_page_token is None
    assert names == [vm.name for p in pages for vm in p.items]
    running = client.vms.list(state="running", label={"team": team}, page_size=1)
    assert names[:3] == [vm.name for vm in running]
    both = client.vms.list(state=["running", "stopped"], label=[f"team={team}", "odd=1"])
    assert names[1::2] == [vm.name for vm in both]
    assert [] == client.vms.list(state="paused", label={"team": team}).to_list()


def test_snapshot_restore_brings_back_state_and_settings(client: vmkit.Client) -> None:
    """A memory snapshot restores to running, a disk one to stopped, with the old settings."""
    vm = client.vms.create(unique_name("snap"), cpus=1, start=True, wait=True)
    memory = vm.snapshot("with-ram", description="running", wait=True)
    assert ("ready", True, "running") == (memory.state, memory.includes_memory, memory.vm_state)
    vm.stop(wait=True)
    vm.update(cpus=3)
    disk = client.snapshots.create(vm, "disk-only", wait=True)
    assert (False, "stopped") == (disk.includes_memory, disk.vm_state)
    assert ["with-ram", "disk-only"] == [s.name for s in vm.snapshots.list(page_size=1)]
    assert memory.id == vm.snapshots.get("with-ram").id == client.snapshots.get(vm, memory.id).id
    restored = client.snapshots.restore(vm, "with-ram", wait=True, wait_timeout=10)
    assert ("running", "from_snapshot", 1) == (
        restored.state,
        restored.state_reason,
        restored.cpus,
    )
    restored = client.snapshots.restore(vm, disk.id, wait=True, wait_timeout=10)
    assert ("stopped", "from_snapshot", 3) == (
        restored.state,
        restored.state_reason,
        restored.cpus,
    )
    op = vm.snapshots.delete("with-ram", wait=True, wait_timeout=10)
    assert "snapshot.delete" == op.kind
    with pytest.raises(NotFoundError):
        vm.snapshots.get("with-ram")
    assert ["disk-only"] == [s.name for s in vm.snapshots.list()]


def test_clone_is_independent_of_its_source(client: vmkit.Client) -> None:
    """A clone has its own id and labels, survives its source and does not follow its changes."""
    source = client.vms.create(unique_name("src"), labels={"from": "src"}, cpus=2, wait=True)
    source.snapshot("base", wait=True)
    clone_name = unique_name("copy")
    op = client.vms.clone(source, clone_name, labels={"copy": "yes"})
    op.wait(timeout=10)
    assert clone_name == (op.result or {})["vm_name"]
    clone = client.vms.get(str((op.result or {})["vm_id"]))
    assert (clone_name, "stopped", {"copy": "yes"}, 2) == (
        clone.name,
        clone.state,
        clone.labels,
        clone.cpus,
    )
    assert clone.id != source.id
    assert [] == clone.snapshots.list().to_list()
    source.update(cpus=4, labels={"from": "changed"})
    source.start(wait=True)
    assert (2, {"copy": "yes"}, "stopped") == (clone.refresh().cpus, clone.labels, clone.state)
    source.delete(force=True, wait=True)
    assert "stopped" == clone.refresh().state


def test_rename_keeps_the_id(client: vmkit.Client) -> None:
    """After :rename the VM answers to its new name and its id; the old name is free."""
    old, new = unique_name("old"), unique_name("new")
    vm = client.vms.create(old, wait=True)
    vm_id, etag = vm.id, vm.etag
    renamed = client.vms.rename(old, new)
    assert (vm_id, new) == (renamed.id, renamed.name)
    assert etag != renamed.etag
    assert new == client.vms.get(vm_id).name
    with pytest.raises(NotFoundError):
        client.vms.get(old)
    client.vms.create(old, wait=True)  # the old name can be taken again
    with pytest.raises(ConflictError):
        client.vms.rename(new, old)


def test_if_match_mismatch_is_412(client: vmkit.Client) -> None:
    """A stale ETag in If-Match gives PreconditionFailedError on PATCH, actions and DELETE."""
    vm = client.vms.create(unique_name("etag"), wait=True)
    stale = vm.etag
    vm.update(labels={"v": "2"}, if_match=stale)
    with pytest.raises(PreconditionFailedError) as patched:
        client.vms.update(vm, labels={"v": "3"}, if_match=stale)
    assert (412, "PRECONDITION_FAILED") == (patched.value.status, patched.value.code)
    with pytest.raises(PreconditionFailedError):
        client.vms.start(vm, if_match=stale)
    with pytest.raises(PreconditionFailedError):
        client.vms.delete(vm, if_match=stale)
    assert ({"v": "2"}, "stopped") == (vm.refresh().labels, vm.state)
    assert "running" == client.vms.start(vm, if_match=vm.etag, wait=True).state


def test_operations_list_get_wait_and_logs(client: vmkit.Client) -> None:
    """Operations list with filters, read back, long-poll, and log what they did."""
    vm = client.vms.create(unique_name("ops"), start=True, wait=True)
    stop = client.vms.stop(vm)
    done = client.operations.wait(stop.id, timeout=10)
    assert ("succeeded", "vm.stop") == (done.state, done.kind)
    assert done.finished_at is not None and done.started_at is not None
    assert {"vm_id": vm.id, "state": "stopped"}.items() <= (done.result or {}).items()
    kinds = [op.kind for op in client.operations.list(vm=vm.id, page_size=1)]
    assert ["vm.create", "vm.stop"] == kinds
    assert [stop.id] == [op.id for op in client.operations.list(vm=vm.id, kind="vm.stop")]
    assert stop.id in {op.id for op in client.operations.list(state="succeeded", vm=vm.id)}
    assert [stop.id] == [op.id for op in client.operations.list(vm=vm.name, kind="vm.stop")]
    with pytest.raises(NotFoundError):
        list(client.operations.list(vm="nobody-has-this-name"))
    assert done == client.operations.get(stop.id)
    lines = list(client.operations.logs(stop, page_size=1))
    assert [1, 2] == [line.seq for line in lines[:2]]
    assert all(line.message for line in lines)
    with pytest.raises(ConflictError) as finished:
        client.operations.cancel(stop.id)
    assert "OPERATION_FINISHED" == finished.value.code
    with pytest.raises(NotFoundError):
        client.operations.get("op_" + "0" * 26)


def test_hosts_list_and_get(client: vmkit.Client) -> None:
    """The server has one host, `local`, on the simulated backend, with its capabilities."""
    hosts = client.hosts.list()
    assert ["local"] == [h.id for h in hosts]
    host = client.hosts.get("local")
    assert ("simulated", "online") == (host.backend, host.status.value)
    assert host.capabilities.snapshots and host.capabilities.exec_ and host.capabilities.screenshot
    with pytest.raises(NotFoundError):
        client.hosts.get("elsewhere")


def test_one_vm_life_touches_every_operation_of_the_spec(
    server: RunningServer, spec_checker: SpecChecker
) -> None:
    """Through the sync SDK alone, every operationId of the spec answers per the spec."""
    tour = SpecChecker()
    hooks = [tour.check, spec_checker.check]
    with (
        httpx.Client(base_url=server.url, event_hooks={"response": hooks}, timeout=30) as http,
        vmkit.Client(server.url, server.token, http_client=http) as c,
    ):
        c.health()
        http.get("/readyz")
        http.get("/openapi.json")
        vm = c.vms.create(unique_name("tour"), wait=True)
        c.vms.list(page_size=1).to_list()
        vm.update(labels={"tour": "yes"})
        for act in (vm.start, vm.restart, vm.pause, vm.resume, vm.suspend, vm.resume, vm.stop):
            act(wait=True)
        snap = vm.snapshot("s1", wait=True)
        vm.snapshots.list().to_list()
        c.snapshots.restore(vm, snap.id, wait=True)
        c.snapshots.delete(vm, snap.id, wait=True)
        clone = c.vms.clone(vm, unique_name("tour-copy"), start=True, wait=True)
        vm.rename(unique_name("tour-renamed"))
        assert "vmkit/test-guest" in [i.name for i in c.images.list()]
        assert "hi\n" == c.vms.exec(clone, ["echo", "hi"]).stdout
        assert 2 == c.vms.upload(clone, "/tmp/t", b"ok")
        assert b"ok" == c.vms.download(clone, "/tmp/t")
        assert c.vms.console(clone).next_offset > 0
        assert 1 == c.vms.send_console(clone, "\n")
        assert c.vms.screenshot(clone).data.startswith(b"\x89PNG")
        assert 30 == c.vms.resize_disk(clone, 30, wait=True).disk_gib
        op = c.vms.force_stop(clone)
        c.operations.wait(op.id, timeout=10)
        assert "stopped" == clone.refresh().state
        assert op == c.operations.get(op.id)
        assert op.logs().to_list()
        with pytest.raises(ConflictError):
            op.cancel()
        assert c.operations.list(page_size=1).to_list()
        assert ["local"] == [h.id for h in c.hosts.list()]
        c.hosts.get("local")
        token = c.tokens.create("tour", scopes=["read"])
        assert token.id in [t.id for t in c.tokens.list()]
        assert token.id == c.tokens.get(token).id
        assert "revoked" == c.tokens.revoke(token).state.value
        assert "vm.created" in {e.type for e in c.events.list(vm=vm, types="vm.*")}
        hook = c.webhooks.create("http://127.0.0.1:9/tour", types=["vm.*"], description="tour")
        assert hook.secret.startswith("whsec_")
        assert hook.id in [w.id for w in c.webhooks.list()]
        hook = c.webhooks.update(hook, enabled=False, if_match=c.webhooks.get(hook).etag)
        assert "webhook.ping" == c.webhooks.test(hook).event_type
        assert ["webhook.ping"] == [d.event_type for d in c.webhooks.deliveries(hook)]
        c.webhooks.delete(hook)
        vm.delete(wait=True)
        clone.delete(wait=True)
    expected = {
        op["operationId"]
        for item in tour.spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert [] == tour.failures
    assert sorted(expected) == sorted(tour.seen)
