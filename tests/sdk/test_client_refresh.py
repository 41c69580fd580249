"""vm.refresh() asks with If-None-Match: a 304 keeps the handle, a 200 replaces it."""

from __future__ import annotations

import httpx
import pytest
import respx
from client_helpers import json_response, vm_body

import vmkit

pytestmark = pytest.mark.anyio


async def test_refresh_sends_the_etag_and_keeps_the_model_on_304(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """Unchanged: the server answers 304 and the handle keeps its fields."""
    first = vm_body(state="running")
    route = mock.get(f"/v1/vms/{first['id']}")
    route.side_effect = [json_response(200, first), httpx.Response(304)]
    vm = await client.vms.get(first["id"])
    model = vm.model
    assert vm is await vm.refresh()
    assert first["etag"] == route.calls.last.request.headers["If-None-Match"]
    assert model is vm.model


async def test_refresh_takes_the_new_version_on_200(
    client: vmkit.AsyncClient, mock: respx.MockRouter
) -> None:
    """Changed: the new body replaces the handle's fields."""
    first = vm_body(state="running")
    changed = vm_body(state="stopped", etag='"1111111111111111"')
    mock.get(f"/v1/vms/{first['id']}").side_effect = [
        json_response(200, first),
        json_response(200, changed),
    ]
    vm = await client.vms.get(first["id"])
    await vm.refresh()
    assert ("stopped", '"1111111111111111"') == (vm.state, vm.etag)
