"""The taartenfabriek adapter's pure parts: states, names, sizes, log windows, error answers."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from vmkit.peers.taartenfabriek.models import VM
from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendVMNotFoundError,
    NullContext,
    PowerState,
)
from vmkit_server.backends.peers._common import PeerOptions
from vmkit_server.backends.peers._taartenfabriek_api import Span, TaartenAPI
from vmkit_server.backends.peers._taartenfabriek_map import (
    disk_gib_of,
    is_base_image,
    memory_mib_of,
    new_lines,
    vmkit_name,
)
from vmkit_server.backends.peers._taartenfabriek_view import TartView

URL = "http://taartenfabriek.test"


def vm(name: str = "dev", status: str = "stopped", **fields: Any) -> VM:
    """A VM object as the app answers it."""
    empty = dict.fromkeys(("ip_address", "os", "cpu", "memory", "disk_size", "display"))
    body = {"name": name, "status": status, "source": "local", **empty, **fields}
    return VM.from_dict(body)


def api() -> TaartenAPI:
    """The calls, on an address nothing serves (respx answers)."""
    return TaartenAPI(PeerOptions(url=URL, token="t", poll_interval=0.01))


def test_observe_maps_documented_states_and_nothing_else() -> None:
    """running, stopped, unknown map; any other status is `unknown`, kept in `extra`."""
    view = TartView(api(), max_age=1.0)
    seen = {
        status: view.observation(vm(f"vm-{status}", status, ip_address="10.0.0.9"))
        for status in ("running", "stopped", "unknown", "suspended")
    }
    expected = {
        "running": (PowerState.RUNNING, ("10.0.0.9",)),
        "stopped": (PowerState.STOPPED, ()),
        "unknown": (PowerState.UNKNOWN, ()),
        "suspended": (PowerState.UNKNOWN, ()),
    }
    assert expected == {s: (o.state, o.ip_addresses) for s, o in seen.items()}
    assert "suspended" == seen["suspended"].extra["taartenfabriek_status"]
    assert all(o.reason is None and not o.ready for o in seen.values())


def test_reasons_are_kept_until_the_status_changes() -> None:
    """An action's reason stays while the status holds; a change without vmkit is named."""
    view = TartView(api(), max_age=1.0)
    assert "created" == view.observation(vm(), reason="created").reason
    assert "created" == view.observation(vm()).reason
    assert "booted" == view.observation(vm(status="running")).reason
    assert "shutdown" == view.observation(vm(status="stopped")).reason
    view.failed("dev", "stopped")
    assert "failed" == view.observation(vm()).reason


def test_new_lines_follow_a_capped_log_window() -> None:
    """New lines after growth, after the window slid, and all lines when nothing overlaps."""
    assert ["c"] == new_lines(["a", "b"], ["a", "b", "c"])
    assert ["d", "e"] == new_lines(["a", "b", "c"], ["b", "c", "d", "e"])
    assert ["x", "y"] == new_lines(["a", "b"], ["x", "y"])
    assert [] == new_lines(["a"], ["a"])


def test_sizes_and_names() -> None:
    """Memory strings to MiB, disk sizes to GiB, Tart names to valid vmkit names."""
    memory = {"8G": 8192, "8GB": 8192, "1.5G": 1536, "512M": 512, "8192": 8192, "lots": None}
    assert memory == {text: memory_mib_of(text) for text in memory}
    assert None is memory_mib_of(None)
    assert [50, 50, 100, None, None, None] == [
        disk_gib_of(v) for v in (50, 50.0, "100GB", None, 0, "big")
    ]
    assert 50 == disk_gib_of("50G")
    names = ["Build_Box.2", "---", "ghcr.io/x:y", "A" * 80 + "-b"]
    assert ["build-box-2", "tart-vm", "ghcr-io-x-y", "a" * 63] == [vmkit_name(n) for n in names]


def test_base_images_by_the_documents_rule() -> None:
    """Source `OCI` or a registry, or a name under a registry, is a base image."""
    assert is_base_image(vm("x", source="OCI"))
    assert is_base_image(vm("x", source="ghcr.io/cirruslabs/macos"))
    assert is_base_image(vm("ghcr.io/a/b:1", source=None))
    assert not is_base_image(vm("dev", source="local"))


def test_span_never_goes_backwards() -> None:
    """Progress maps into the span and only ever grows."""
    ctx = NullContext()
    span = Span(ctx, 0.5, 0.9)
    for fraction in (0.5, 0.25, 1.0, 2.0):
        span.report(fraction)
    assert [0.7, 0.9] == [round(f, 6) for f in ctx.fractions]


@pytest.mark.anyio
async def test_error_answers_become_backend_errors() -> None:
    """404 on a VM, 422 items, a 500 that is not JSON and a forgotten task each read well."""
    calls = api()
    with respx.mock(base_url=URL) as mock:
        mock.post("/api/vms/ghost/start").respond(404, json={"detail": "VM 'ghost' not found"})
        item = {"loc": ["body", "cpu"], "msg": "Field required", "type": "missing"}
        mock.post("/api/vms/create").respond(422, json={"detail": [item]})
        mock.post("/api/vms/refresh").respond(500, text="<html>proxy error</html>")
        mock.get("/api/tasks/old").respond(404, json={"detail": "Task 'old' not found"})
        with pytest.raises(BackendVMNotFoundError, match="VM 'ghost' not found"):
            await calls.act("start", "ghost")
        with pytest.raises(BackendOperationFailedError, match=r"HTTP 422\): body.cpu: Field"):
            await calls.create("a", "img", 1, 1, 1)
        with pytest.raises(BackendOperationFailedError, match="does not describe"):
            await calls.refresh()
        with pytest.raises(BackendOperationFailedError, match="no longer knows its task 'old'"):
            await calls.task("old")
    await calls.close()
