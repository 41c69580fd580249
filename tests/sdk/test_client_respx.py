"""Request shaping, paging and errors of vmkit.AsyncClient, against respx (no server)."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from client_helpers import (
    BASE_URL,
    TOKEN,
    FakeTime,
    done_body,
    example,
    json_response,
    op_body,
    page,
    vm_body,
)

import vmkit
from vmkit import errors


def sent_json(route: respx.Route, index: int = -1) -> object:
    content = route.calls[index].request.content
    return json.loads(content) if content else None


@pytest.mark.anyio
async def test_start_posts_to_the_colon_path_with_headers(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """An action is POST /v1/vms/{vm}:start with auth, If-Match and Idempotency-Key."""
    route = mock.post("/v1/vms/web-1:start").mock(return_value=json_response(202, op_body()))

    op = await client.vms.start("web-1", if_match='"9b2cf535f27731c9"', idempotency_key="ik_1")

    request = route.calls.last.request
    assert request.url.path == "/v1/vms/web-1:start"
    assert f"Bearer {TOKEN}" == request.headers["Authorization"]
    assert request.headers["If-Match"] == '"9b2cf535f27731c9"'
    assert request.headers["Idempotency-Key"] == "ik_1"
    assert request.content == b""
    assert "content-type" not in request.headers
    assert isinstance(op, vmkit.AsyncOperation)
    assert (op.id, op.kind, op.state) == ("op_01jd2q3r4s5t6v7w8x9y0zabcd", "vm.start", "pending")
    assert not op.done


@pytest.mark.anyio
async def test_every_action_has_its_path_and_a_minted_key(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """Each power action posts to its custom-method path; a key is minted when none is given."""
    paths = {
        "start": ":start",
        "force_stop": ":force-stop",
        "restart": ":restart",
        "pause": ":pause",
        "resume": ":resume",
        "suspend": ":suspend",
        "stop": ":stop",
    }
    routes = {
        name: mock.post(f"/v1/vms/vm_1{suffix}").mock(return_value=json_response(202, op_body()))
        for name, suffix in paths.items()
    }

    for name in paths:
        await getattr(client.vms, name)("vm_1")

    keys = {routes[name].calls.last.request.headers["Idempotency-Key"] for name in paths}
    assert len(paths) == len(keys)
    assert all(key.startswith("ik_") for key in keys)


@pytest.mark.anyio
async def test_list_repeats_state_and_label(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """Filters are plain query params, repeated for several states and labels."""
    route = mock.get("/v1/vms").mock(return_value=json_response(200, page([vm_body()], None)))

    vms = await client.vms.list(
        state=["running", "paused"], label={"team": "qa", "tier": "web"}, page_size=2
    ).to_list()

    params = route.calls.last.request.url.params
    assert params.get_list("state") == ["running", "paused"]
    assert params.get_list("label") == ["team=qa", "tier=web"]
    assert params["page_size"] == "2"
    assert "page_token" not in params
    assert [vm.name for vm in vms] == ["web-1"]
    assert isinstance(vms[0], vmkit.AsyncVM)


@pytest.mark.anyio
async def test_paging_is_lazy_across_three_pages(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """The next page is fetched only when the items of the current one are used up."""
    answers = [
        page([vm_body(id=f"vm_{i}", name=f"web-{i}") for i in range(0, 2)], "t2"),
        page([vm_body(id=f"vm_{i}", name=f"web-{i}") for i in range(2, 4)], "t3"),
        page([vm_body(id=f"vm_{i}", name=f"web-{i}") for i in range(4, 6)], None),
    ]
    route = mock.get("/v1/vms").mock(side_effect=[json_response(200, a) for a in answers])
    seen: list[str] = []
    requests_after: list[int] = []

    paginator = client.vms.list()
    assert route.call_count == 0
    async for vm in paginator:
        seen.append(vm.name)
        requests_after.append(route.call_count)

    assert [f"web-{i}" for i in range(6)] == seen
    assert requests_after == [1, 1, 2, 2, 3, 3]
    tokens = [call.request.url.params.get("page_token") for call in route.calls]
    assert tokens == [None, "t2", "t3"]


@pytest.mark.anyio
async def test_pages_yields_whole_pages(client: vmkit.AsyncClient, mock: respx.MockRouter) -> None:
    """``.pages()`` yields each page with its items and next_page_token."""
    answers = [page([vm_body()], "t2"), page([], None)]
    mock.get("/v1/vms").mock(side_effect=[json_response(200, a) for a in answers])

    pages = [p async for p in client.vms.list().pages()]

    assert [(len(p.items), p.next_page_token) for p in pages] == [(1, "t2"), (0, None)]


@pytest.mark.anyio
async def test_create_sends_only_given_fields(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """create() sends the VMCreate body with the fields given and the caller's key."""
    route = mock.post("/v1/vms").mock(return_value=json_response(202, op_body(kind="vm.create")))

    op = await client.vms.create(
        "web-1", cpus=2, labels={"team": "qa"}, ttl_seconds=3600, idempotency_key="ik_c"
    )

    expected = {"name": "web-1", "start": False, "cpus": 2, "labels": {"team": "qa"}}
    assert expected | {"ttl_seconds": 3600} == sent_json(route)
    assert route.calls.last.request.headers["Idempotency-Key"] == "ik_c"
    assert op.kind == "vm.create"


@pytest.mark.anyio
async def test_update_tells_clearing_ttl_from_leaving_it(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """``ttl_seconds=None`` sends null (clears the expiry); leaving it out sends nothing."""
    route = mock.patch("/v1/vms/web-1").mock(return_value=json_response(200, vm_body()))

    await client.vms.update("web-1", ttl_seconds=None, if_match='"e1"')
    await client.vms.update("web-1", cpus=4)

    assert sent_json(route, 0) == {"ttl_seconds": None}
    assert route.calls[0].request.headers["If-Match"] == '"e1"'
    assert sent_json(route, 1) == {"cpus": 4}
    assert "if-match" not in route.calls[1].request.headers


@pytest.mark.anyio
async def test_stop_body_delete_force_clone_and_rename(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """stop sends its options, delete its force flag, clone and rename their bodies."""
    stop = mock.post("/v1/vms/web-1:stop").mock(return_value=json_response(202, op_body()))
    delete = mock.delete("/v1/vms/web-1").mock(return_value=json_response(202, op_body()))
    clone = mock.post("/v1/vms/web-1:clone").mock(return_value=json_response(202, op_body()))
    rename = mock.post("/v1/vms/web-1:rename").mock(
        return_value=json_response(200, vm_body(name="web-2"))
    )

    await client.vms.stop("web-1", timeout_seconds=120, force_after_timeout=False)
    await client.vms.delete("web-1", force=True, if_match='"e2"')
    await client.vms.clone("web-1", "web-1-copy", labels={"team": "qa"})
    renamed = await client.vms.rename("web-1", "web-2")

    assert sent_json(stop) == {"timeout_seconds": 120, "force_after_timeout": False}
    assert delete.calls.last.request.url.params["force"] == "true"
    assert delete.calls.last.request.headers["If-Match"] == '"e2"'
    assert sent_json(clone) == {"name": "web-1-copy", "labels": {"team": "qa"}, "start": False}
    assert sent_json(rename) == {"name": "web-2"}
    assert renamed.name == "web-2"


@pytest.mark.anyio
async def test_snapshots_operations_and_hosts_paths(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """Snapshot, operation and host calls go to their paths and parse the spec's examples."""
    vm = vm_body()["id"]
    mock.get(f"/v1/vms/{vm}/snapshots").mock(
        return_value=json_response(200, example("SnapshotList"))
    )
    restore = mock.post(f"/v1/vms/{vm}/snapshots/snap_01jd2q3r4s5t6v7w8x9y0zabcd:restore").mock(
        return_value=json_response(202, op_body(kind="snapshot.restore"))
    )
    logs = mock.get("/v1/operations/op_1/logs").mock(
        return_value=json_response(200, example("OperationLogList"))
    )
    cancel = mock.post("/v1/operations/op_1:cancel").mock(
        return_value=json_response(200, op_body(state="cancelled"))
    )
    mock.get("/v1/hosts").mock(return_value=json_response(200, example("HostList")))
    mock.get("/healthz").mock(return_value=json_response(200, {"status": "ok", "version": "0.1"}))

    snapshots = await client.snapshots.list(vm).to_list()
    op = await client.snapshots.restore(vm, snapshots[0])
    lines = [entry.message async for entry in client.operations.logs("op_1")]
    cancelled = await client.operations.cancel("op_1")
    hosts = await client.hosts.list()
    health = await client.health()

    assert [s.name for s in snapshots] == ["before-upgrade"]
    assert restore.call_count == 1
    assert op.kind == "snapshot.restore"
    assert lines == ["booting guest", "guest ready"]
    assert logs.call_count == 1
    assert cancelled.state == "cancelled"
    assert "Idempotency-Key" in cancel.calls.last.request.headers
    assert [h.id for h in hosts] == ["local"]
    assert health.status == "ok"


@pytest.mark.anyio
async def test_problems_become_typed_errors(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """A 404 is a NotFoundError, a 409 VM_INVALID_STATE a VMStateError with allowed_from."""
    mock.get("/v1/vms/web-9").mock(return_value=json_response(404, example("ProblemNotFound")))
    mock.post("/v1/vms/web-1:pause").mock(
        return_value=json_response(409, example("ProblemInvalidState"))
    )

    with pytest.raises(errors.NotFoundError) as not_found:
        await client.vms.get("web-9")
    with pytest.raises(errors.VMStateError) as invalid:
        await client.vms.pause("web-1")

    assert (not_found.value.code, not_found.value.request_id) == ("VM_NOT_FOUND", "req_5f2c9a")
    assert invalid.value.allowed_from == ["running"]


@pytest.mark.anyio
async def test_malformed_answer_is_an_api_error(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """A 200 whose body is not a VM raises APIError, never returns half a model."""
    mock.get("/v1/vms/web-1").mock(return_value=json_response(200, {"id": "vm_1"}))

    with pytest.raises(errors.APIError, match="malformed VM"):
        await client.vms.get("web-1")


def test_repr_never_shows_the_token() -> None:
    """The client's repr shows the URL and the token's kind, never the secret."""
    client = vmkit.Client(BASE_URL, TOKEN)
    try:
        assert repr(client) == "Client(base_url='http://vmkit.test', token='vmk_…')"
        assert "secret" not in repr(client)
    finally:
        client.close()


def test_config_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock: respx.MockRouter
) -> None:
    """Without arguments the client uses VMKIT_URL and VMKIT_TOKEN."""
    monkeypatch.setenv("VMKIT_URL", "http://env.test:1234/")
    monkeypatch.setenv("VMKIT_TOKEN", "vmk_from_env")
    route = mock.get("http://env.test:1234/v1/vms/web-1").mock(
        return_value=json_response(200, vm_body())
    )

    with vmkit.Client() as client:
        vm = client.vms.get("web-1")

    assert route.calls.last.request.headers["Authorization"] == "Bearer vmk_from_env"
    assert client.base_url == "http://env.test:1234"
    assert repr(vm) == "<VM web-1 running>"


def test_sync_client_pages_and_waits(fake_time: FakeTime, mock: respx.MockRouter) -> None:
    """The generated sync twin pages lazily and returns the VM after wait=True."""
    mock.get("/v1/vms").mock(
        side_effect=[
            json_response(200, page([vm_body(name="a")], "t2")),
            json_response(200, page([vm_body(name="b")], None)),
        ]
    )
    mock.post("/v1/vms/web-1:start").mock(return_value=json_response(202, op_body()))
    mock.get(f"/v1/operations/{op_body()['id']}:wait").mock(
        return_value=json_response(200, done_body())
    )
    mock.get("/v1/vms/web-1").mock(return_value=json_response(200, vm_body()))

    with vmkit.Client(BASE_URL, TOKEN, sleep=fake_time.sleep, clock=fake_time.clock) as client:
        names = [vm.name for vm in client.vms.list()]
        vm = client.vms.start("web-1", wait=True)

    assert names == ["a", "b"]
    assert isinstance(vm, vmkit.VM)
    assert vm.state == "running"
    assert fake_time.sleeps == []


def test_cli_prints_json(mock: respx.MockRouter, capsys: pytest.CaptureFixture[str]) -> None:
    """``vmkit vms list`` prints the VMs as a JSON array; an error exits 1."""
    from io import StringIO

    from vmkit.cli import main

    mock.get("/v1/vms").mock(return_value=json_response(200, page([vm_body()], None)))
    mock.get("/v1/vms/web-9").mock(return_value=json_response(404, example("ProblemNotFound")))
    out = StringIO()

    ok = main(["--url", BASE_URL, "--token", TOKEN, "vms", "list", "--state", "running"], out=out)
    missing = main(["--url", BASE_URL, "--token", TOKEN, "vms", "get", "web-9"], out=StringIO())

    assert ok == 0
    assert [vm["name"] for vm in json.loads(out.getvalue())] == ["web-1"]
    assert missing == 1
    assert "VM_NOT_FOUND" in capsys.readouterr().err


def test_http_client_is_used_and_left_open() -> None:
    """A caller's httpx client carries the requests and is not closed by the SDK."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return json_response(200, vm_body())

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        with vmkit.Client(BASE_URL, TOKEN, http_client=http) as client:
            client.vms.get("web-1")
        assert not http.is_closed

    assert seen == ["/v1/vms/web-1"]
