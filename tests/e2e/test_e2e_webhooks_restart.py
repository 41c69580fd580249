"""At least once across a crash: `kill -9` the server while the receiver holds a delivery
open; the restarted server sends it again with the same `webhook-id` and signature scheme."""

from __future__ import annotations

from pathlib import Path

from proc_helpers import ServerProcess
from webhook_receiver import Receiver

import vmkit
from vmkit.webhooks import verify


def _client(server: ServerProcess) -> vmkit.Client:
    token = (server.data_dir / "admin-token").read_text().strip()
    return vmkit.Client(server.url, token)


def test_a_delivery_cut_short_by_kill_9_arrives_after_the_restart_with_the_same_id(
    tmp_path: Path,
) -> None:
    """The outbox row outlives the process: same webhook-id, same body, verified both times;
    the restarted server records it delivered."""
    data_dir = tmp_path / "data"
    receiver = Receiver.start(hold_first=True)
    try:
        first = ServerProcess.start(data_dir)
        try:
            with _client(first) as client:
                hook = client.webhooks.create(receiver.url(), types=["vm.created"])
                client.vms.create("crash-test")
            (held,) = receiver.wait_for(1)
        finally:
            assert first.kill() < 0  # killed by the signal: no shutdown ran
        second = ServerProcess.start(data_dir)
        try:
            again = receiver.wait_for(2)[1]
            receiver.release()
            with _client(second) as client:
                client.webhooks.test(hook)  # queued behind the redelivery: recorded by then
                receiver.wait_for(3)
                (delivery,) = [d for d in client.webhooks.deliveries(hook) if d.event_id]
        finally:
            assert 0 == second.terminate()
    finally:
        receiver.stop()
    assert held.headers["webhook-id"] == again.headers["webhook-id"] == delivery.message_id
    assert held.body == again.body
    assert "vm.created" == verify(held.body, held.headers, hook.secret)["type"]
    assert "vm.created" == verify(again.body, again.headers, hook.secret)["type"]
    # the cut-short attempt left no record; the one after the restart is the first recorded
    assert ("succeeded", 1, 200) == (
        delivery.state.value,
        delivery.attempts,
        delivery.response_status,
    )
