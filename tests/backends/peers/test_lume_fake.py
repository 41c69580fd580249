"""The Lume fake against Lume's document: routes, bodies, 400s, the pending run, the macOS limit."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fakes._support import serve_app
from fakes.lume import FakeLume, create_app

from vmkit.peers.lume import Client
from vmkit.peers.lume.api.vms import get_vm, list_vms
from vmkit.peers.lume.models import VMDetails, VMSummary

STEP = 0.01


@pytest.fixture
def fake() -> Iterator[tuple[httpx.Client, FakeLume]]:
    """An HTTP client of a served fake (no auth header: Lume has none), and its state."""
    app = create_app(step_seconds=STEP)
    with serve_app(app) as base, httpx.Client(base_url=f"{base}/lume", timeout=10) as http:
        yield http, app.state.lume


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll `check` until it holds (the fake's background work runs on its own clock)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the fake did not get there in time"
        time.sleep(STEP / 2)


def vm_body(name: str, os: str = "linux", **extra: Any) -> dict[str, Any]:
    """A create body as the document's example, for `name`."""
    return {"name": name, "os": os, "cpu": 2, "memory": "4GB", "diskSize": "64GB", **extra}


def state(http: httpx.Client, name: str) -> str:
    """The VM's `state` as `GET /vms/{name}` shows it."""
    return str(http.get(f"/vms/{name}").json()["state"])


def test_list_and_get_have_the_documents_fields(fake: tuple[httpx.Client, FakeLume]) -> None:
    """A created VM lists with the six summary fields and details add display, IP, VNC, dirs."""
    http, _ = fake
    assert [] == http.get("/vms").json()
    assert 200 == http.post("/vms", json=vm_body("lume_vm", display="1024x768")).status_code
    assert [
        {
            "name": "lume_vm",
            "state": "stopped",
            "os": "linux",
            "cpu": 2,
            "memory": "4GB",
            "diskSize": "64GB",
        }
    ] == http.get("/vms").json()
    details = http.get("/vms/lume_vm").json()
    assert {"display", "ipAddress", "vncPort", "sharedDirectories"} <= set(details)
    assert ("4GB", "64GB") == (details["memory"], details["diskSize"])


def test_every_error_is_a_400_with_a_message(fake: tuple[httpx.Client, FakeLume]) -> None:
    """Unknown VM, duplicate, bad body, bad size, unknown OS, wrong state: all 400 + message."""
    http, _ = fake
    http.post("/vms", json=vm_body("one"))
    answers = [
        http.get("/vms/nope"),
        http.put("/vms/nope", json={"cpu": 2}),
        http.delete("/vms/nope"),
        http.post("/vms/nope/stop"),
        http.post("/vms", json=vm_body("one")),
        http.post("/vms", content=b"{not json"),
        http.post("/vms", json={"name": "two"}),
        http.post("/vms", json=vm_body("two", memory="4 gigs")),
        http.post("/vms", json=vm_body("two", os="windows")),
        http.post("/vms/one/stop"),
        http.put("/vms/one", json={"diskSize": "10GB"}),
    ]
    assert {400} == {a.status_code for a in answers}
    assert all(set(a.json()) == {"message"} for a in answers)
    assert "Virtual machine not found: nope" == answers[0].json()["message"]
    assert "Virtual machine already exists with name: one" == answers[4].json()["message"]
    assert "Virtual machine not running: one" == answers[9].json()["message"]


def test_a_run_answers_pending_then_the_vm_comes_up(fake: tuple[httpx.Client, FakeLume]) -> None:
    """202 `pending` at once while still stopped; `running` a step later, with an address."""
    http, _ = fake
    http.post("/vms", json=vm_body("vm"))
    answer = http.post("/vms/vm/run", json={"noDisplay": True})
    assert (202, "pending") == (answer.status_code, answer.json()["status"])
    assert "stopped" == state(http, "vm")
    wait_until(lambda: state(http, "vm") == "running")
    assert http.get("/vms/vm").json()["ipAddress"]


def test_a_failing_run_still_answers_pending(fake: tuple[httpx.Client, FakeLume]) -> None:
    """Unknown VM or injected failure: 202 pending, VM stays stopped, the reason only logged."""
    http, lume = fake
    http.post("/vms", json=vm_body("vm"))
    lume.fail_next_run("vm", "disk image is locked")
    assert 202 == http.post("/vms/vm/run").status_code
    assert 202 == http.post("/vms/ghost/run").status_code
    wait_until(lambda: sum("ERROR" in line for line in lume.log) == 2)
    assert "stopped" == state(http, "vm")
    assert any("disk image is locked" in line for line in lume.log)
    assert any("Virtual machine not found: ghost" in line for line in lume.log)


def test_a_third_macos_guest_does_not_run(fake: tuple[httpx.Client, FakeLume]) -> None:
    """Two macOS guests run; the third's run answers pending but it stays stopped (logged)."""
    http, lume = fake
    for name in ("mac-1", "mac-2", "mac-3"):
        http.post("/vms", json=vm_body(name, os="macOS", ipsw="latest"))
    http.post("/vms/mac-1/run")
    http.post("/vms/mac-2/run")
    wait_until(lambda: state(http, "mac-1") == state(http, "mac-2") == "running")
    assert 202 == http.post("/vms/mac-3/run").status_code
    wait_until(lambda: any("maximum supported number" in line for line in lume.log))
    assert "stopped" == state(http, "mac-3")
    http.post("/vms", json=vm_body("linux"))  # a Linux guest does not count
    http.post("/vms/linux/run")
    wait_until(lambda: state(http, "linux") == "running")


def test_run_shares_directories_and_stop_keeps_the_last_address(
    fake: tuple[httpx.Client, FakeLume],
) -> None:
    """Shared dirs come back with their tag; a stopped VM still shows IP and VNC port."""
    http, _ = fake
    http.post("/vms", json=vm_body("vm"))
    http.post("/vms/vm/run", json={"sharedDirectories": [{"hostPath": "~/Projects"}]})
    wait_until(lambda: state(http, "vm") == "running")
    shared = http.get("/vms/vm").json()["sharedDirectories"]
    assert [
        {"hostPath": "~/Projects", "readOnly": False, "tag": "com.apple.virtio-fs.automount"}
    ] == shared
    stop = http.post("/vms/vm/stop")
    assert (200, "stopped") == (stop.status_code, state(http, "vm"))
    details = http.get("/vms/vm").json()
    assert details["ipAddress"] is not None and details["vncPort"] is not None
    bad = http.post("/vms/vm/run", json={"sharedDirectories": [{"readOnly": True}]})
    assert (400, "Invalid run request body") == (bad.status_code, bad.json()["message"])


def test_update_delete_and_storage(fake: tuple[httpx.Client, FakeLume]) -> None:
    """PUT changes sizes (strings kept); DELETE answers 200 empty; another storage finds nothing."""
    http, _ = fake
    http.post("/vms", json=vm_body("vm", storage="ssd"))
    assert 200 == http.put("/vms/vm", json={"cpu": 4, "memory": "8GB"}).status_code
    assert ("8GB", 4) == (http.get("/vms/vm").json()["memory"], http.get("/vms/vm").json()["cpu"])
    assert 400 == http.get("/vms/vm", params={"storage": "external"}).status_code
    assert 200 == http.get("/vms/vm", params={"storage": "ssd"}).status_code
    deleted = http.delete("/vms/vm", params={"storage": "ssd"})
    assert (200, b"") == (deleted.status_code, deleted.content)
    assert [] == http.get("/vms").json()


def test_pull_takes_name_colon_tag(fake: tuple[httpx.Client, FakeLume]) -> None:
    """A pull with the document's fields succeeds; a reference without a tag is a 400."""
    http, lume = fake
    body = {
        "image": "macos-sequoia-vanilla:latest",
        "registry": "ghcr.io",
        "organization": "trycua",
    }
    assert 200 == http.post("/images/pull", json=body).status_code
    assert [body] == lume.pulled
    bad = http.post("/images/pull", json={**body, "image": "macos"})
    assert (400, "Invalid image format. Expected format: name:tag") == (
        bad.status_code,
        bad.json()["message"],
    )
    assert 400 == http.post("/images/pull", json={"image": "a:b"}).status_code


def test_the_generated_client_reads_the_fake(fake: tuple[httpx.Client, FakeLume]) -> None:
    """`vmkit.peers.lume` works on its own: list and get parse into its models."""
    http, _ = fake
    http.post("/vms", json=vm_body("vm"))
    with Client(base_url=str(http.base_url)) as lume:
        listed = list_vms.sync(client=lume)
        details = get_vm.sync("vm", client=lume)
    assert isinstance(listed, list) and isinstance(listed[0], VMSummary)
    assert isinstance(details, VMDetails)
    assert ("vm", "stopped", "4GB") == (details.name, details.state, details.memory)
