"""The interactive console over WebSocket, on the simulated guest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_helpers import unique_name
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

import vmkit
from vmkit_server.testing import RunningServer


@pytest.fixture
def vm(client: vmkit.Client) -> vmkit.VM:
    """A running VM of its own."""
    return client.vms.create(unique_name("wscon"), start=True, wait=True)


@pytest.fixture
def console(server: RunningServer, vm: vmkit.VM) -> Iterator[ClientConnection]:
    """A console WebSocket replaying from the start, authenticated by header."""
    url = server.url.replace("http://", "ws://") + f"/v1/vms/{vm.name}/console/ws?offset=0"
    with connect(url, additional_headers={"Authorization": f"Bearer {server.token}"}) as ws:
        yield ws


def _read_until(ws: ClientConnection, needle: str) -> str:
    seen = ""
    while needle not in seen:
        message = ws.recv(timeout=10)
        assert isinstance(message, str)
        seen += message
    return seen


def test_replays_then_echoes_what_is_typed(console: ClientConnection) -> None:
    """offset=0 replays the kept log; a message sent is typed into the console."""
    assert "[running] booted" in _read_until(console, "booted")
    console.send("uptime\n")
    assert "> uptime" in _read_until(console, "> uptime")


def test_token_in_the_query_and_new_output_only_by_default(
    server: RunningServer, vm: vmkit.VM, client: vmkit.Client
) -> None:
    """Without offset the stream starts at the end: old lines are not replayed."""
    url = server.url.replace("http://", "ws://")
    with connect(f"{url}/v1/vms/{vm.id}/console/ws?token={server.token}") as ws:
        vm.send_console("fresh\n")
        text = _read_until(ws, "> fresh")
        assert "booted" not in text


@pytest.mark.parametrize(
    ("path", "token", "status"),
    [
        ("/v1/vms/{vm}/console/ws", None, 401),
        ("/v1/vms/{vm}/console/ws", "vmk_wrong", 401),
        ("/v1/vms/no-such-vm/console/ws", "admin", 404),
        ("/v1/vms/{vm}/console/ws?offset=-1", "admin", 422),
    ],
)
def test_refusals_come_before_the_handshake(
    server: RunningServer, vm: vmkit.VM, path: str, token: str | None, status: int
) -> None:
    """Bad token, unknown VM or bad offset: the upgrade is refused with the API's status."""
    url = server.url.replace("http://", "ws://") + path.format(vm=vm.name)
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {server.token if token == 'admin' else token}"
    with pytest.raises(InvalidStatus) as refused, connect(url, additional_headers=headers):
        pass
    assert status == refused.value.response.status_code


def test_a_read_token_lacks_the_connect_scope(
    server: RunningServer, vm: vmkit.VM, client: vmkit.Client
) -> None:
    """The console needs `connect`: a read-only token gets 403."""
    created = client.tokens.create("reader", scopes=["read"])
    url = server.url.replace("http://", "ws://") + f"/v1/vms/{vm.name}/console/ws"
    with (
        pytest.raises(InvalidStatus) as refused,
        connect(url, additional_headers={"Authorization": f"Bearer {created.secret}"}),
    ):
        pass
    assert 403 == refused.value.response.status_code
