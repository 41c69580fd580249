"""The taartenfabriek fake against its document: auth, error bodies, tasks over time, defects."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes._support import serve_app
from fakes.taartenfabriek import LINUX_IMAGE, MACOS_IMAGE, FakeTaartenfabriek, create_app
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from vmkit.peers.taartenfabriek import AuthenticatedClient, Client
from vmkit.peers.taartenfabriek.api.tasks import get_task
from vmkit.peers.taartenfabriek.api.vms import get_categorized_vms, list_available_images, list_vms
from vmkit.peers.taartenfabriek.models import VM, Task, TaskStatus, VMImagesSummary, VMStatus

STEP = 0.01
TOKEN = "fake-token"
Fake = tuple[httpx.Client, FakeTaartenfabriek]


@pytest.fixture
def fake() -> Iterator[Fake]:
    """An HTTP client of a served fake (sending the token), and the fake's state."""
    app = create_app(token=TOKEN, step_seconds=STEP)
    with (
        serve_app(app) as base,
        httpx.Client(base_url=base, headers={"X-Local-Token": TOKEN}, timeout=10) as http,
    ):
        yield http, app.state.taartenfabriek


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll `check` until it holds (the fake's tasks run on their own clock)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the fake did not get there in time"
        time.sleep(STEP / 2)


def finish(http: httpx.Client, task: dict[str, Any]) -> dict[str, Any]:
    """Poll `GET /api/tasks/{id}` until the task is completed or failed; its last state."""
    deadline = time.monotonic() + 5.0
    while task["status"] not in ("completed", "failed"):
        assert time.monotonic() < deadline, f"task {task['id']} did not end in time"
        time.sleep(STEP / 2)
        task = http.get(f"/api/tasks/{task['id']}").json()
    return task


def create(http: httpx.Client, name: str, image: str = LINUX_IMAGE, **body: Any) -> dict:
    """Create a VM through `POST /api/vms/create` and wait for its task."""
    payload = {"name": name, "source_vm": image, "cpu": 2, "memory": 4, "disk_size": 20, **body}
    return finish(http, http.post("/api/vms/create", json=payload).json())


def test_every_api_route_wants_the_token(fake: Fake) -> None:
    """Without `X-Local-Token` (or with a wrong one) `/api/*` answers 403 with a detail."""
    http, _ = fake
    for method, path in [
        ("GET", "/api/health"),
        ("GET", "/api/vms"),
        ("POST", "/api/vms/refresh"),
        ("GET", "/api/tasks/active"),
        ("POST", "/api/vms/create"),
        ("POST", "/api/vms/x/start"),
    ]:
        for headers in ({"X-Local-Token": ""}, {"X-Local-Token": "wrong"}):
            answer = http.request(method, path, headers=headers)
            assert (403, {"detail": "Invalid or missing X-Local-Token header"}) == (
                answer.status_code,
                answer.json(),
            )


def test_available_images_skips_auth_the_documented_defect(fake: Fake) -> None:
    """`available-images` answers without the token: empty until a GitHub token is set."""
    http, _ = fake
    anonymous = httpx.get(http.base_url.join("/api/vms/available-images"))
    assert (200, []) == (anonymous.status_code, anonymous.json())
    said = http.post("/api/settings/github-token", json={"token": "ghp_abcdefghijkl"}).json()
    assert "success" == said["status"]
    status = http.get("/api/settings/github-token").json()
    assert {"configured": True, "masked_token": "ghp_...ijkl"} == status
    with Client(base_url=str(http.base_url)) as client:  # no token at all
        images = list_available_images.sync(client=client)
    assert images and all(image.url.startswith("ghcr.io/cirruslabs/") for image in images)
    http.post("/api/settings/github-token", json={"token": ""})
    assert {"configured": False, "masked_token": None} == http.get(
        "/api/settings/github-token"
    ).json()


def test_config_is_shadowed_the_documented_defect(fake: Fake) -> None:
    """`GET /api/vms/{name}/config` is taken by `GET /api/vms/{name}`: 404 for `name/config`."""
    http, _ = fake
    create(http, "dev")
    answer = http.get("/api/vms/dev/config", params={"force_refresh": "true"})
    assert (404, {"detail": "VM 'dev/config' not found"}) == (answer.status_code, answer.json())


def test_error_bodies_are_fastapis(fake: Fake) -> None:
    """404s and 405s carry a string `detail`; a bad body is 422 with a list of items."""
    http, _ = fake
    assert {"detail": "VM 'nope' not found"} == http.get("/api/vms/nope").json()
    assert {"detail": "Task 'nope' not found"} == http.get("/api/tasks/nope").json()
    assert (404, {"detail": "Not Found"}) == (
        http.get("/api/nothing").status_code,
        http.get("/api/nothing").json(),
    )
    assert 405 == http.delete("/api/vms").status_code
    missing = http.post("/api/vms/create", json={"name": "x", "cpu": "four"})
    assert 422 == missing.status_code
    items = {tuple(item["loc"]): item["type"] for item in missing.json()["detail"]}
    expected = {
        ("body", "source_vm"): "missing",
        ("body", "cpu"): "int_parsing",
        ("body", "memory"): "missing",
        ("body", "disk_size"): "missing",
    }
    assert expected == items
    broken = http.post("/api/vms/pull", content=b"{not json", headers={"Content-Type": "x"})
    assert "json_invalid" == broken.json()["detail"][0]["type"]


def test_a_task_goes_pending_running_completed_with_logs(fake: Fake) -> None:
    """A create answers a pending Task at once; it runs, logs each step, then completes."""
    http, _ = fake
    body = {"name": "dev", "source_vm": LINUX_IMAGE, "cpu": 3, "memory": 6, "disk_size": 30}
    task = http.post("/api/vms/create", json=body).json()
    assert ("pending", "create_vm", []) == (task["status"], task["action"], task["logs"])
    wait_until(lambda: http.get("/api/tasks/active").json() != [])
    done = finish(http, task)
    assert "completed" == done["status"]
    assert done["logs"][:2] == [f"Cloning from {LINUX_IMAGE} to dev...", "VM cloned successfully"]
    assert ["tart", "set", "dev", "--disk-size", "30"] == done["command"]
    assert (0, "6GB") == (done["exit_code"], done["result"]["memory"])
    assert done["updated_at"] >= done["created_at"]
    assert [] == http.get("/api/tasks/active").json()


def test_an_action_on_an_unknown_vm_is_accepted_and_its_task_fails(fake: Fake) -> None:
    """The app only learns from Tart: the Task fails with Tart's message and stderr."""
    http, _ = fake
    answer = http.post("/api/vms/ghost/stop", json={})
    assert 200 == answer.status_code
    done = finish(http, answer.json())
    assert ("failed", 'the specified VM "ghost" does not exist') == (done["status"], done["error"])
    assert (1, ["tart", "stop", "ghost"]) == (done["exit_code"], done["command"])


def test_start_waits_for_the_address_and_the_cache_follows(fake: Fake) -> None:
    """A start completes with `ip_address`; the cached inventory shows it a step later."""
    http, _ = fake
    create(http, "dev")
    done = finish(http, http.post("/api/vms/dev/start", json={}).json())
    ip = done["result"]["ip_address"]
    assert ip and f"vnc://{ip}" == done["result"]["vnc_url"]
    wait_until(lambda: http.get("/api/vms/dev").json()["status"] == "running")
    assert ip == http.get("/api/vms/dev").json()["ip_address"]


def test_the_inventory_is_a_cache_until_refreshed(fake: Fake) -> None:
    """A VM that stops behind the app's back shows running until `POST /api/vms/refresh`."""
    http, state = fake
    create(http, "dev")
    finish(http, http.post("/api/vms/dev/start", json={}).json())
    wait_until(lambda: http.get("/api/vms/dev").json()["status"] == "running")
    state.tart.power_off("dev")
    assert "running" == http.get("/api/vms/dev").json()["status"]
    refreshed = {vm["name"]: vm for vm in http.post("/api/vms/refresh", json={}).json()}
    assert ("stopped", None) == (refreshed["dev"]["status"], refreshed["dev"]["ip_address"])
    assert "stopped" == http.get("/api/vms/dev").json()["status"]


def test_a_third_macos_guest_completes_without_running(fake: Fake) -> None:
    """Tart runs two macOS guests at most: the third start completes with no address."""
    http, state = fake
    for name in ("mac-1", "mac-2", "mac-3"):
        create(http, name, image=MACOS_IMAGE, disk_size=50)
    for name in ("mac-1", "mac-2"):
        assert finish(http, http.post(f"/api/vms/{name}/start", json={}).json())["result"][
            "ip_address"
        ]
    third = finish(http, http.post("/api/vms/mac-3/start", json={}).json())
    assert ("completed", None) == (third["status"], third["result"]["ip_address"])
    assert "VM started but IP was not available yet" in third["logs"]
    refreshed = {vm["name"]: vm["status"] for vm in http.post("/api/vms/refresh").json()}
    assert "stopped" == refreshed["mac-3"]
    assert "maximum supported number" in state.work.run_logs["mac-3"][0]


def test_create_warns_but_completes_when_tart_refuses_a_setting(fake: Fake) -> None:
    """A disk smaller than the image's cannot be set: a warning line, and the task completes."""
    http, _ = fake
    done = create(http, "small", disk_size=5)
    assert "completed" == done["status"]
    assert "Warning: Could not set disk size" in done["logs"]
    refreshed = {vm["name"]: vm for vm in http.post("/api/vms/refresh").json()}
    assert 20 == refreshed["small"]["disk_size"]


def test_stop_delete_clone_and_pull(fake: Fake) -> None:
    """The other actions: clone (and start), stop, delete (refused while running), pull."""
    http, state = fake
    create(http, "dev")
    clone = finish(
        http,
        http.post(
            "/api/vms/dev/clone", json={"new_name": "copy", "start_after_clone": True}
        ).json(),
    )
    assert (True, "copy") == (clone["result"]["started"], clone["result"]["new_vm_name"])
    refused = finish(http, http.post("/api/vms/copy/delete", json={}).json())
    assert ("failed", 'VM "copy" is running') == (refused["status"], refused["error"])
    state.tart.vms["copy"].ignores_shutdown = True
    stopped = finish(http, http.post("/api/vms/copy/stop", json={}).json())
    assert ["tart", "stop", "--timeout", "30", "copy"] == stopped["command"]
    assert "completed" == finish(http, http.post("/api/vms/copy/delete").json())["status"]
    url = "ghcr.io/x/macos-y:1"
    pulled = finish(http, http.post("/api/vms/pull", json={"oci_url": url}).json())
    assert f"VM image pulled successfully: {url}" == pulled["result"]["message"]
    wait_until(lambda: url in [vm["name"] for vm in http.get("/api/vms").json()])
    summary = http.get("/api/vms/categorized").json()
    assert url in [vm["name"] for vm in summary["base_images"]]
    assert ["dev"] == [vm["name"] for vm in summary["working_vms"]]


def test_the_websocket_streams_a_task_until_it_ends() -> None:
    """With `?token=` it sends the task on every change and closes once it completes."""
    app = create_app(token=TOKEN, step_seconds=STEP)
    with TestClient(app) as client:
        headers = {"X-Local-Token": TOKEN}
        body = {"name": "dev", "source_vm": LINUX_IMAGE, "cpu": 2, "memory": 4, "disk_size": 20}
        task = client.post("/api/vms/create", json=body, headers=headers).json()
        wrong = f"/ws/tasks/{task['id']}?token=wrong"
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(wrong) as ws:
            ws.receive_json()
        assert 1008 == refused.value.code
        updates = []
        with client.websocket_connect(f"/ws/tasks/{task['id']}?token={TOKEN}") as ws:
            while not updates or updates[-1]["status"] not in ("completed", "failed"):
                updates.append(ws.receive_json())
        assert "completed" == updates[-1]["status"]
        assert len({json.dumps(u, sort_keys=True) for u in updates}) == len(updates) > 2


def test_the_token_file_is_made_on_first_run_and_kept(tmp_path: Path) -> None:
    """A token file is created (mode 0600) on first run and read on the next."""
    token_file = tmp_path / ".tartvm-manager" / "token"
    first = create_app(token_file=token_file).state.taartenfabriek.token
    assert 0o600 == os.stat(token_file).st_mode & 0o777
    assert first == create_app(token_file=token_file).state.taartenfabriek.token


def test_the_generated_client_reads_the_fake(fake: Fake) -> None:
    """`vmkit.peers.taartenfabriek` parses the fake's answers into its models."""
    http, _ = fake
    create(http, "dev")
    client = AuthenticatedClient(
        base_url=str(http.base_url), token=TOKEN, prefix="", auth_header_name="X-Local-Token"
    )
    with client:
        vms = list_vms.sync(client=client)
        summary = get_categorized_vms.sync(client=client)
        task = http.post("/api/vms/dev/start", json={}).json()
        parsed = get_task.sync(task["id"], client=client)
    assert isinstance(vms, list) and all(isinstance(vm, VM) for vm in vms)
    assert {VMStatus.STOPPED} == {vm.status for vm in vms}
    assert isinstance(summary, VMImagesSummary) and ["dev"] == [
        vm.name for vm in summary.working_vms
    ]
    assert isinstance(parsed, Task) and parsed.status in (TaskStatus.PENDING, TaskStatus.RUNNING)
