"""The webhooks API over a real socket: CRUD with the secret shown once, ETags, `:test`,
deliveries, the admin scope, and the URLs the server refuses to call."""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from vmkit_server.core.webhooks import WebhookSettings, address_refusal
from vmkit_server.testing import RunningServer, start_server

SECRET = re.compile(r"^whsec_[A-Za-z0-9+/]{43}=$")
FIELDS = {
    "id",
    "url",
    "types",
    "enabled",
    "description",
    "disabled_reason",
    "failure_count",
    "created_at",
    "updated_at",
    "etag",
}
NOWHERE = "http://127.0.0.1:9/hook"  # the discard port: nothing listens, deliveries fail


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend with the default webhook settings."""
    running = start_server(tmp_path_factory.mktemp("webhooks") / "data")
    yield running
    running.stop()


@pytest.fixture
def admin(server: RunningServer) -> Iterator[httpx.Client]:
    """httpx with the admin token."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        yield client


def create(admin: httpx.Client, **body: Any) -> dict[str, Any]:
    """Create a webhook (to NOWHERE unless told); return the 201 body."""
    body.setdefault("url", NOWHERE)
    response = admin.post("/v1/webhooks", json=body)
    assert 201 == response.status_code, response.text
    created: dict[str, Any] = response.json()
    return created


def test_create_answers_201_with_a_generated_secret_shown_once(admin: httpx.Client) -> None:
    """201 with Location and ETag, defaults filled in, a `whsec_` secret of 32 random bytes
    that no read shows again."""
    response = admin.post("/v1/webhooks", json={"url": NOWHERE})
    assert 201 == response.status_code
    body = response.json()
    assert FIELDS | {"secret"} == body.keys()
    assert SECRET.match(body["secret"])
    assert 32 == len(base64.b64decode(body["secret"].removeprefix("whsec_")))
    assert f"/v1/webhooks/{body['id']}" == response.headers["location"]
    assert body["etag"] == response.headers["etag"]
    assert (["*"], True, "", None, 0) == (
        body["types"],
        body["enabled"],
        body["description"],
        body["disabled_reason"],
        body["failure_count"],
    )
    read = admin.get(f"/v1/webhooks/{body['id']}").json()
    assert FIELDS == read.keys()
    assert all("secret" not in w for w in admin.get("/v1/webhooks").json()["items"])


def test_a_replayed_create_shows_the_same_webhook_and_secret(admin: httpx.Client) -> None:
    """The same Idempotency-Key replays the first answer: one webhook, its secret again."""
    headers = {"Idempotency-Key": "create-hook-once"}
    first = admin.post("/v1/webhooks", json={"url": NOWHERE}, headers=headers)
    again = admin.post("/v1/webhooks", json={"url": NOWHERE}, headers=headers)
    assert (201, "true") == (again.status_code, again.headers["idempotent-replayed"])
    assert first.json() == again.json()


def test_a_given_secret_is_kept_and_a_malformed_one_refused(admin: httpx.Client) -> None:
    """`whsec_` + base64 of 24..64 bytes is used as given; a short one is 422 on /secret."""
    good = "whsec_" + base64.b64encode(bytes(range(24))).decode()
    assert good == create(admin, secret=good)["secret"]
    short = "whsec_" + base64.b64encode(bytes(20)).decode()
    response = admin.post("/v1/webhooks", json={"url": NOWHERE, "secret": short})
    assert (422, "VALIDATION_FAILED") == (response.status_code, response.json()["code"])
    assert ["/secret"] == [e["pointer"] for e in response.json()["errors"]]


def test_get_update_and_conditional_requests(admin: httpx.Client) -> None:
    """PATCH changes what it names and the ETag; a stale If-Match is 412; If-None-Match 304."""
    hook = create(admin, types=["vm.*"], description="ci")
    path = f"/v1/webhooks/{hook['id']}"
    unchanged = admin.get(path, headers={"If-None-Match": hook["etag"]})
    assert (304, b"") == (unchanged.status_code, unchanged.content)
    response = admin.patch(
        path,
        json={"types": ["operation.finished"], "enabled": False},
        headers={"If-Match": hook["etag"]},
    )
    assert 200 == response.status_code
    changed = response.json()
    assert (["operation.finished"], False, "ci") == (
        changed["types"],
        changed["enabled"],
        changed["description"],
    )
    assert changed["etag"] != hook["etag"] == hook["etag"]
    stale = admin.patch(path, json={"description": "x"}, headers={"If-Match": hook["etag"]})
    assert (412, "PRECONDITION_FAILED") == (stale.status_code, stale.json()["code"])
    assert 412 == admin.delete(path, headers={"If-Match": hook["etag"]}).status_code
    assert 412 == admin.post(f"{path}:test", headers={"If-Match": hook["etag"]}).status_code
    assert 422 == admin.patch(path, json={}).status_code


def test_delete_answers_204_then_everything_is_404(admin: httpx.Client) -> None:
    """After DELETE the webhook, its deliveries and its test answer WEBHOOK_NOT_FOUND."""
    hook = create(admin)
    path = f"/v1/webhooks/{hook['id']}"
    response = admin.delete(path)
    assert (204, b"") == (response.status_code, response.content)
    for answer in (
        admin.get(path),
        admin.patch(path, json={"enabled": True}),
        admin.delete(path),
        admin.post(f"{path}:test"),
        admin.get(f"{path}/deliveries"),
    ):
        assert (404, "WEBHOOK_NOT_FOUND") == (answer.status_code, answer.json()["code"])


def test_list_pages_oldest_first(admin: httpx.Client) -> None:
    """page_size and page_token walk every webhook once, in creation order."""
    made = [create(admin, description=f"page-{i}")["id"] for i in range(3)]
    seen: list[str] = []
    token = None
    while True:
        params: dict[str, Any] = {"page_size": 2}
        if token:
            params["page_token"] = token
        page = admin.get("/v1/webhooks", params=params).json()
        seen += [w["id"] for w in page["items"]]
        token = page["next_page_token"]
        if token is None:
            break
    assert made == [w for w in seen if w in made]
    assert len(seen) == len(set(seen))


def test_test_queues_a_ping_delivery(admin: httpx.Client) -> None:
    """`:test` answers 202 with a pending `webhook.ping` delivery listed first."""
    hook = create(admin, types=["nothing.matches"])
    response = admin.post(f"/v1/webhooks/{hook['id']}:test")
    assert 202 == response.status_code
    delivery = response.json()
    assert (hook["id"], "webhook.ping", None, "pending", 0) == (
        delivery["webhook_id"],
        delivery["event_type"],
        delivery["event_id"],
        delivery["state"],
        delivery["attempts"],
    )
    assert delivery["id"].startswith("whd_") and delivery["message_id"].startswith("msg_")
    listed = admin.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [delivery["id"]] == [d["id"] for d in listed]


def test_events_queue_deliveries_for_matching_webhooks_only(admin: httpx.Client) -> None:
    """A VM's creation reaches the webhook for `vm.created`, not the one for `image.*`, nor
    a disabled one; each delivery names its event."""
    wanted = create(admin, types=["vm.created"])
    other = create(admin, types=["image.*"])
    off = create(admin, types=["*"], enabled=False)
    op = admin.post("/v1/vms", json={"name": "hooked-1"}).json()
    admin.get(f"/v1/operations/{op['id']}:wait", params={"timeout_seconds": 30})

    def types(hook: dict[str, Any]) -> list[str]:
        items = admin.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["items"]
        return [d["event_type"] for d in items]

    assert ["vm.created"] == types(wanted)
    assert [] == types(other) == types(off)
    (delivery,) = admin.get(f"/v1/webhooks/{wanted['id']}/deliveries").json()["items"]
    assert isinstance(delivery["event_id"], int)


def test_re_enabling_clears_the_failure_state(admin: httpx.Client, server: RunningServer) -> None:
    """PATCH enabled=true on a webhook the server disabled resets its count and reason."""
    hook = create(admin)
    with server.app.store.tx() as tx:
        tx.update_webhook(hook["id"], enabled=False, disabled_reason="failing", failure_count=5)
    body = admin.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": True}).json()
    assert (True, None, 0) == (body["enabled"], body["disabled_reason"], body["failure_count"])


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.1.1/",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/",
        "http://100.100.100.200/",
        "http://[::ffff:169.254.169.254]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://0.0.0.0:8080/",
        "http://224.0.0.1/",
        "http://[::]/",
    ],
)
def test_link_local_metadata_and_non_unicast_addresses_are_refused(
    admin: httpx.Client, url: str
) -> None:
    """422 WEBHOOK_URL_NOT_ALLOWED naming the address, however it is written."""
    response = admin.post("/v1/webhooks", json={"url": url})
    assert (422, "WEBHOOK_URL_NOT_ALLOWED") == (response.status_code, response.json()["code"])
    assert ["/url"] == [e["pointer"] for e in response.json()["errors"]]
    hook = create(admin)
    changed = admin.patch(f"/v1/webhooks/{hook['id']}", json={"url": url})
    assert 422 == changed.status_code


def test_only_http_and_https_urls_are_accepted(admin: httpx.Client) -> None:
    """Another scheme fails validation before anything else."""
    for url in ("ftp://example.com/x", "file:///etc/passwd", "gopher://127.0.0.1:70/"):
        response = admin.post("/v1/webhooks", json={"url": url})
        assert (422, "VALIDATION_FAILED") == (response.status_code, response.json()["code"])


def test_loopback_and_private_addresses_are_allowed_by_default(admin: httpx.Client) -> None:
    """The defaults let webhooks reach this machine and the local network."""
    for url in (
        "http://127.0.0.1:9/",
        "http://10.1.2.3/",
        "http://[::1]:9/",
        "http://localhost:9/",
    ):
        create(admin, url=url)


def test_a_server_can_refuse_private_and_allow_link_local(tmp_path: Path) -> None:
    """`allow_private=False` refuses loopback and private ranges (also names resolving to
    them); `allow_link_local=True` lets the metadata address through."""
    settings = WebhookSettings(allow_private=False, allow_link_local=True)
    running = start_server(tmp_path / "data", webhooks=settings)
    headers = {"Authorization": f"Bearer {running.token}"}
    try:
        with httpx.Client(base_url=running.url, headers=headers, timeout=30) as admin:
            for url in ("http://127.0.0.1/", "http://192.168.1.1/", "http://[fc00::1]/"):
                assert 422 == admin.post("/v1/webhooks", json={"url": url}).status_code
            refused = admin.post("/v1/webhooks", json={"url": "http://localhost:9/"}).json()
            assert refused["detail"].startswith(
                "webhooks may not be sent to http://localhost:9/: localhost resolves to"
            )
            create(admin, url="http://169.254.169.254/")
    finally:
        running.stop()


def test_only_admin_tokens_manage_webhooks(admin: httpx.Client, server: RunningServer) -> None:
    """A token without `admin` gets 403 from every webhook operation, whatever else it has."""
    hook = create(admin)
    made = admin.post(
        "/v1/tokens", json={"name": "no-admin", "scopes": ["read", "write", "connect"]}
    ).json()
    calls = [
        ("GET", "/v1/webhooks"),
        ("POST", "/v1/webhooks"),
        ("GET", f"/v1/webhooks/{hook['id']}"),
        ("PATCH", f"/v1/webhooks/{hook['id']}"),
        ("DELETE", f"/v1/webhooks/{hook['id']}"),
        ("POST", f"/v1/webhooks/{hook['id']}:test"),
        ("GET", f"/v1/webhooks/{hook['id']}/deliveries"),
    ]
    headers = {"Authorization": f"Bearer {made['secret']}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as other:
        statuses = {
            (m, p): other.request(
                m, p, json={"url": NOWHERE} if m in {"POST", "PATCH"} else None
            ).status_code
            for m, p in calls
        }
    assert {403} == set(statuses.values()), statuses


@pytest.mark.parametrize(
    ("address", "default", "strict"),
    [
        ("8.8.8.8", None, None),
        ("2001:4860::8888", None, None),
        ("127.0.0.1", None, "private"),
        ("::1", None, "private"),
        ("10.0.0.1", None, "private"),
        ("::ffff:10.0.0.1", None, "private"),
        ("100.64.0.1", None, "private"),
        ("fc00::1", None, "private"),
        ("169.254.169.254", "link-local", None),
        ("fe80::1", "link-local", None),
        ("2002:a9fe:a9fe::1", "link-local", None),
        ("168.63.129.16", "link-local", None),
        ("0.1.2.3", "unicast", "unicast"),
        ("240.0.0.1", "unicast", "unicast"),
        ("255.255.255.255", "unicast", "unicast"),
        ("ff02::1", "unicast", "unicast"),
    ],
)
def test_the_address_policy(address: str, default: str | None, strict: str | None) -> None:
    """What the default settings refuse, and what `allow_private=False, allow_link_local=True`
    refuses instead; non-unicast addresses are refused whatever the settings."""
    ip = ipaddress.ip_address(address)
    strict_settings = WebhookSettings(allow_private=False, allow_link_local=True)
    for settings, expected in ((WebhookSettings(), default), (strict_settings, strict)):
        reason = address_refusal(ip, settings)
        assert (expected is None) == (reason is None), (address, reason)
        assert expected is None or expected in (reason or "")


def test_allow_public_false_keeps_deliveries_on_this_machine_and_its_network() -> None:
    """With `allow_public=False` (test servers) public addresses are refused, loopback is not."""
    settings = WebhookSettings(allow_public=False)
    assert "public" in (address_refusal(ipaddress.ip_address("8.8.8.8"), settings) or "")
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), settings) is None


def test_a_non_ascii_url_is_refused_not_echoed(admin: httpx.Client) -> None:
    """An IDN host must be given in its xn-- form: the answer promises `format: uri`."""
    answer = admin.post("/v1/webhooks", json={"url": "https://Áá.example/hook"})
    assert 422 == answer.status_code
    assert "ASCII" in answer.json()["detail"] or "ASCII" in str(answer.json())
