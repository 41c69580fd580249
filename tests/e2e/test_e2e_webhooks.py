"""Webhooks end to end: a real server delivers to a real receiver on loopback, which checks
every delivery with the SDK's verifier; a failing receiver sees retries, then the webhook is
disabled with an event saying so."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import pytest
from e2e_helpers import unique_name
from spec_check import SpecChecker
from webhook_receiver import Receiver

import vmkit
from vmkit.webhooks import verify
from vmkit_server.core.webhooks import WebhookSettings
from vmkit_server.testing import RunningServer, start_server

# Fast retries, no jitter, and one failed delivery disables a webhook.
SCHEDULE = (0.2, 0.4, 0.8)


@pytest.fixture(scope="module")
def webhook_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server whose webhooks retry after 0.2, 0.4 and 0.8 s and give up after one failure."""
    settings = WebhookSettings(retry_schedule=SCHEDULE, jitter=0, disable_after=1)
    running = start_server(tmp_path_factory.mktemp("webhooks") / "data", webhooks=settings)
    yield running
    running.stop()


@pytest.fixture
def admin(webhook_server: RunningServer, spec_checker: SpecChecker) -> Iterator[vmkit.Client]:
    """The sync SDK with the admin token; every answer is checked against the spec."""
    hooks = [spec_checker.check]
    with (
        httpx.Client(base_url=webhook_server.url, event_hooks={"response": hooks}) as http,
        vmkit.Client(webhook_server.url, webhook_server.token, http_client=http) as client,
    ):
        yield client


@pytest.fixture(autouse=True)
def _delete_webhooks_after(admin: vmkit.Client) -> Iterator[None]:
    """Each test starts without webhooks: those of earlier tests point at stopped receivers."""
    yield
    for webhook in admin.webhooks.list():
        admin.webhooks.delete(webhook)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver answering 200."""
    running = Receiver.start()
    yield running
    running.stop()


def _event_validator(spec_checker: SpecChecker) -> jsonschema.Draft202012Validator:
    schema = {"$ref": "urn:vmkit-spec#/components/schemas/Event"}
    return jsonschema.Draft202012Validator(schema, registry=spec_checker.registry)


def test_deliveries_arrive_signed_and_verify_with_the_sdk(
    admin: vmkit.Client, receiver: Receiver, spec_checker: SpecChecker
) -> None:
    """Matching events arrive in order, each verified by `vmkit.webhooks.verify`; `data` is
    the spec's Event; the deliveries list shows them delivered with their `webhook-id`."""
    hook = admin.webhooks.create(receiver.url(), types=["vm.created", "vm.deleted"])
    vm = admin.vms.create(unique_name("hooked"), wait=True)
    vm.delete(wait=True)
    admin.webhooks.test(hook)  # sent after the others: once it arrives, they are recorded
    got = receiver.wait_for(3)
    payloads = [verify(r.body, r.headers, hook.secret) for r in got]
    assert ["vm.created", "vm.deleted", "webhook.ping"] == [p["type"] for p in payloads]
    validator = _event_validator(spec_checker)
    for payload in payloads[:2]:
        validator.validate(payload["data"])
        assert vm.id == payload["data"]["subject_id"]
        assert payload["timestamp"] == payload["data"]["time"]
    assert {"webhook_id": hook.id, "url": receiver.url()} == payloads[2]["data"]
    assert all("application/json" == r.headers["content-type"] for r in got)
    assert all(r.headers["user-agent"].startswith("vmkit-server/") for r in got)
    assert "/hook" == got[0].path
    deliveries = {d.message_id: d for d in admin.webhooks.deliveries(hook)}
    for r in got[:2]:
        delivery = deliveries[r.headers["webhook-id"]]
        assert ("succeeded", 1, 200) == (
            delivery.state.value,
            delivery.attempts,
            delivery.response_status,
        )
        assert delivery.latency_ms is not None and delivery.delivered_at is not None
        assert delivery.next_attempt_at is None and delivery.error is None


def test_a_host_name_url_is_called_with_its_own_host_header(
    admin: vmkit.Client, receiver: Receiver
) -> None:
    """`localhost` is resolved and checked, then called by address with `Host: localhost:<port>`."""
    hook = admin.webhooks.create(receiver.url(host="localhost"), types=["nothing.here"])
    admin.webhooks.test(hook)
    (got,) = receiver.wait_for(1)
    assert f"localhost:{receiver.port}" == got.headers["host"]
    assert "webhook.ping" == verify(got.body, got.headers, hook.secret)["type"]


def test_a_failing_receiver_sees_retries_with_growing_delays_then_the_webhook_is_disabled(
    admin: vmkit.Client, receiver: Receiver
) -> None:
    """500 four times, with the same webhook-id and gaps of at least 0.2, 0.4 and 0.8 s; then
    the delivery fails, the webhook is disabled (`failing`) and `webhook.disabled` is
    delivered to the webhooks that want it."""
    failing = Receiver.start(lambda n: 500)
    try:
        watch = admin.webhooks.create(receiver.url("/watch"), types=["webhook.*"])
        hook = admin.webhooks.create(failing.url(), types=["vm.created"])
        admin.vms.create(unique_name("unheard"))
        attempts = failing.wait_for(len(SCHEDULE) + 1)
        (notice,) = receiver.wait_for(1)
    finally:
        failing.stop()
    payloads = [verify(r.body, r.headers, hook.secret) for r in attempts]
    assert {"vm.created"} == {p["type"] for p in payloads}
    assert 1 == len({r.headers["webhook-id"] for r in attempts})
    assert 1 == len({r.body for r in attempts})
    gaps = [b.at - a.at for a, b in itertools.pairwise(attempts)]
    assert all(gap >= delay for gap, delay in zip(gaps, SCHEDULE, strict=True)), gaps
    assert gaps == sorted(gaps)
    disabled = verify(notice.body, notice.headers, watch.secret)
    assert "webhook.disabled" == disabled["type"]
    assert hook.id == disabled["data"]["subject_id"]
    assert "failing" == disabled["data"]["data"]["reason"]
    assert disabled["data"]["data"]["webhook"]["enabled"] is False
    now = admin.webhooks.get(hook)
    assert (False, "failing", 1) == (now.enabled, now.disabled_reason, now.failure_count)
    (delivery,) = admin.webhooks.deliveries(hook)
    assert ("failed", 4, 500, None) == (
        delivery.state.value,
        delivery.attempts,
        delivery.response_status,
        delivery.next_attempt_at,
    )
    assert "500" in (delivery.error or "")
    again = admin.webhooks.update(hook, enabled=True)
    assert (True, None, 0) == (again.enabled, again.disabled_reason, again.failure_count)


def test_deliveries_wait_while_the_webhook_is_disabled_and_pings_do_not(
    admin: vmkit.Client, receiver: Receiver
) -> None:
    """A disabled webhook gets no deliveries for new events; a ping still goes out."""
    hook = admin.webhooks.create(receiver.url(), types=["vm.*"], enabled=False)
    admin.vms.create(unique_name("quiet"), wait=True)
    admin.webhooks.test(hook)
    (got,) = receiver.wait_for(1)
    assert "webhook.ping" == json.loads(got.body)["type"]
    assert ["webhook.ping"] == [d.event_type for d in admin.webhooks.deliveries(hook)]


def test_the_secret_given_at_creation_signs(admin: vmkit.Client, receiver: Receiver) -> None:
    """A `whsec_` secret chosen by the caller is the one deliveries are signed with."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    hook = admin.webhooks.create(receiver.url(), types=["x.y"], secret=secret)
    assert secret == hook.secret
    admin.webhooks.test(hook)
    (got,) = receiver.wait_for(1)
    assert "webhook.ping" == verify(got.body, got.headers, secret)["type"]


def test_webhooks_survive_in_the_data_dir(tmp_path: Path) -> None:
    """Webhooks are stored: a server restarted on the same data dir still has them."""
    first = start_server(tmp_path / "data")
    with vmkit.Client(first.url, first.token) as client:
        hook = client.webhooks.create("http://127.0.0.1:9/kept", types=["vm.*"])
    first.stop()
    second = start_server(tmp_path / "data")
    try:
        with vmkit.Client(second.url, second.token) as client:
            assert ["http://127.0.0.1:9/kept"] == [w.url for w in client.webhooks.list()]
            assert hook.etag == client.webhooks.get(hook).etag
    finally:
        second.stop()
