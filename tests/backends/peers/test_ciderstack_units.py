"""CiderStack adapter units: options, names, state and error mapping, the client on its own."""

from __future__ import annotations

from pathlib import Path

import anyio
import anyio.lowlevel
import pytest
from fakes._ciderstack_state import VM as FakeVM
from fakes._support import serve_app
from fakes.ciderstack import TOKEN, create_app

from vmkit.peers.ciderstack import Client
from vmkit.peers.ciderstack.api.vms import list_vms
from vmkit.peers.ciderstack.models import VM, ErrorResponse, ListVmsRequest, ListVmsResult
from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendSnapshotNotFoundError,
    BackendVMNotFoundError,
    NullContext,
    Observation,
    PowerState,
)
from vmkit_server.backends.guest import ExecRequest
from vmkit_server.backends.peers._ciderstack_guest import _command_line, is_ipsw
from vmkit_server.backends.peers._ciderstack_rpc import refusal
from vmkit_server.backends.peers._ciderstack_vms import POWER, observation, vmkit_name
from vmkit_server.backends.peers.ciderstack import from_options

P = PowerState


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "needs a token"),
        ({"token": "abc"}, "csk_"),
        ({"token": TOKEN, "ssh_user": "admin"}, "go together"),
        ({"token": TOKEN, "task_timeout": "soon"}, "task_timeout must be a number"),
        ({"token": TOKEN, "state_timeout": "0"}, "above 0"),
        ({"token": TOKEN, "password": "x"}, "unknown ciderstack backend option"),
    ],
)
def test_bad_options_are_refused_naming_the_problem(
    options: dict[str, str], message: str, tmp_path: Path
) -> None:
    """A missing or non-`csk_` token, half the SSH pair, a bad number, an unknown key."""
    with pytest.raises(ValueError, match=message):
        from_options(options, state_dir=tmp_path)


def test_options_default_to_the_documented_port(tmp_path: Path) -> None:
    """Without a URL the node is `http://127.0.0.1:9473`; the timeouts are configurable."""
    backend = from_options({"token": TOKEN, "task_timeout": "60"}, state_dir=tmp_path)
    assert ("http://127.0.0.1:9473", 60.0, 300.0) == (
        backend.rpc._url,
        backend.task_timeout,
        backend.state_timeout,
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ci-runner", "ci-runner"),
        ("CI Runner #2", "ci-runner-2"),
        ("--Xcode_16.2--", "xcode-16-2"),
        ("é", "vm-abcdef12"),
        ("a" * 80, "a" * 63),
        ("a" * 62 + "-b", "a" * 62),
    ],
)
def test_names_are_made_valid_for_vmkit(name: str, expected: str) -> None:
    """Lower case, one dash per run of other characters, at most 63, never empty."""
    assert expected == vmkit_name(name, "ABCDEF12-3456")


def test_every_documented_state_maps_and_others_are_unknown() -> None:
    """The six states of the vendor SDK; `starting`/`stopping` run with that word as reason."""
    assert {
        "stopped": P.STOPPED, "starting": P.RUNNING, "running": P.RUNNING,
        "stopping": P.RUNNING, "paused": P.PAUSED, "error": P.ERROR,
    } == POWER  # fmt: skip
    starting = observation(VM(id="X", name="x", state="starting", ip_address="10.0.0.2"))
    assert (P.RUNNING, "starting", ()) == (starting.state, starting.reason, starting.ip_addresses)
    odd = observation(VM(id="X", name="x", state="installing"))
    assert (P.UNKNOWN, None, "installing") == (odd.state, odd.reason, odd.extra["ciderstack_state"])


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("VM not found", BackendVMNotFoundError),
        ("Snapshot not found", BackendSnapshotNotFoundError),
        ("VM must be stopped to clone", BackendOperationFailedError),
    ],
)
def test_refusals_map_by_their_message(message: str, error: type[Exception]) -> None:
    """CiderStack's `error` text decides the backend error; the method and text are kept."""
    mapped = refusal("CloneVM", message)
    assert type(mapped) is error
    assert ("CloneVM", message) == (mapped.metadata["method"], mapped.metadata["peer_error"])


def test_the_two_vm_limit_is_named() -> None:
    """The Virtualization.framework limit says what to do and carries `metadata.limit`."""
    limit = refusal("StartVM", "Maximum of 2 macOS VMs can run concurrently on this host")
    assert "stop one first" in limit.detail
    assert "macos_vms_running" == limit.metadata["limit"]


def test_exec_command_lines_quote_argv_and_set_env() -> None:
    """argv is shell-quoted; a string runs as given; env goes through `env`."""
    assert "echo 'a b'" == _command_line(ExecRequest(["echo", "a b"]))
    assert "ls | wc -l" == _command_line(ExecRequest("ls | wc -l"))
    assert "env 'A=1 2' B=x /bin/sh -c 'echo $A'" == _command_line(
        ExecRequest("echo $A", env={"B": "x", "A": "1 2"})
    )
    assert (True, True, False) == (is_ipsw("/x/y"), is_ipsw("R.IPSW"), is_ipsw("ghcr.io/a/b:1"))


def test_the_generated_client_works_on_its_own() -> None:
    """`from vmkit.peers.ciderstack import Client` talks to a node; a refusal parses too."""
    with serve_app(create_app()) as url, Client(base_url=url) as client:
        answer = list_vms.sync(client=client, body=ListVmsRequest(api_token=TOKEN))
        refused = list_vms.sync_detailed(client=client, body=ListVmsRequest())
    assert isinstance(answer, ListVmsResult)
    assert [] == answer.vms
    assert 403 == refused.status_code
    assert isinstance(refused.parsed, ErrorResponse)
    assert refused.parsed.success is False


class Clock:
    """A monotonic clock the test moves by hand (read from the fake's thread)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.anyio
async def test_a_force_stop_pre_empts_a_start_waiting_for_its_boot(tmp_path: Path) -> None:
    """The waiting start fails with `preempted_by`; the force-stop ends `stopped`/`destroyed`."""
    clock = Clock()
    app = create_app(step_seconds=1.0, clock=clock)
    fake = app.state.fake
    fake.node.vms["X"] = FakeVM("X", "ci", 4, 8192, 64)
    with serve_app(app) as url:
        options = {"url": url, "token": TOKEN, "poll_interval": "0.01"}
        backend = from_options(options, state_dir=tmp_path)
        await backend.adopt("X", "vm_1")
        outcome: dict[str, object] = {}

        async def start() -> None:
            try:
                await backend.start("vm_1", NullContext())
            except BackendOperationFailedError as exc:
                outcome["start"] = exc

        async def force_stop() -> None:
            outcome["force_stop"] = await backend.force_stop("vm_1", NullContext())

        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                tg.start_soon(start)
                while fake.node.vms["X"].state != "starting":
                    await anyio.lowlevel.checkpoint()
                tg.start_soon(force_stop)
                while "start" not in outcome or "StopVM" not in fake.calls:
                    await anyio.lowlevel.checkpoint()
                clock.now += 1.0  # the power-off the force-stop asked for completes
        await backend.close()
    start_error = outcome["start"]
    assert isinstance(start_error, BackendOperationFailedError)
    assert "force_stop" == start_error.metadata["preempted_by"]
    stopped = outcome["force_stop"]
    assert isinstance(stopped, Observation)
    assert (P.STOPPED, "destroyed") == (stopped.state, stopped.reason)
