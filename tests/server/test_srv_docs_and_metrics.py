"""/docs renders the spec without a token; /metrics needs one and counts what happened."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from vmkit_server.spec import load_spec
from vmkit_server.testing import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("srv") / "data")
    yield running
    running.stop()


def _auth(server: RunningServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token}"}


def test_docs_page_lists_every_operation(server: RunningServer) -> None:
    """The reference page is HTML, needs no token, loads nothing from elsewhere."""
    response = httpx.get(f"{server.url}/docs")
    assert 200 == response.status_code
    assert response.headers["content-type"].startswith("text/html")
    operation_ids = [
        op["operationId"]
        for item in load_spec()["paths"].values()
        for method, op in item.items()
        if method in {"get", "post", "patch", "delete"}
    ]
    missing = [op for op in operation_ids if f'id="{op}"' not in response.text]
    assert [] == missing
    assert "http://" not in response.text.replace(server.url, "")
    assert "<script" not in response.text


def test_metrics_need_a_token(server: RunningServer) -> None:
    """Without a token: 401 problem+json, like every other protected endpoint."""
    response = httpx.get(f"{server.url}/metrics")
    assert 401 == response.status_code
    assert "application/problem+json" == response.headers["content-type"]
    assert "UNAUTHENTICATED" == response.json()["code"]


def test_metrics_count_requests_by_operation_and_vms_by_state(server: RunningServer) -> None:
    """A request to getVm and a 404 show up; VMs are counted by state at scrape time."""
    with httpx.Client(base_url=server.url, headers=_auth(server)) as http:
        op = http.post("/v1/vms", json={"name": "metered"}).json()
        http.get(f"/v1/operations/{op['id']}:wait", params={"timeout_seconds": 10})
        assert 200 == http.get("/v1/vms/metered").status_code
        assert 404 == http.get("/v1/nothing-here").status_code
        text = http.get("/metrics").text
    assert 'vmkit_http_requests_total{operation="getVm",status="200"}' in text
    assert 'vmkit_http_requests_total{operation="unmatched",status="404"}' in text
    assert 'vmkit_vms{state="stopped"}' in text
    assert "vmkit_http_request_duration_seconds_bucket" in text


def test_metrics_and_docs_refuse_other_methods(server: RunningServer) -> None:
    """POST /metrics is 405 with Allow, as a problem."""
    response = httpx.post(f"{server.url}/metrics", headers=_auth(server))
    assert 405 == response.status_code
    assert "GET" == response.headers["allow"]
