"""Progress bars while waiting: when they show, what they say, that they always close."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator

import pytest
import respx
from client_helpers import FakeTime, done_body, failed_body, json_response, op_body, vm_body

import vmkit
from vmkit import errors
from vmkit._core import progress
from vmkit_server.testing import RunningServer, start_server

OP_ID = op_body()["id"]
WAIT_PATH = f"/v1/operations/{OP_ID}:wait"


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without VMKIT_PROGRESS, whatever the developer's shell sets."""
    monkeypatch.delenv(progress.ENV_VAR, raising=False)


def _open_bars() -> int:
    from tqdm.std import tqdm

    return len(tqdm._instances)  # type: ignore[attr-defined]


# -- when a bar shows ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "expected"), [(Terminal(), True), (io.StringIO(), False)], ids=["tty", "pipe"]
)
def test_auto_shows_a_bar_only_on_a_terminal(stream: io.StringIO, expected: bool) -> None:
    """progress=None turns bars on for a terminal and off for a pipe or a file."""
    assert expected == progress.progress_enabled(None, env={}, stream=stream)


@pytest.mark.parametrize(
    ("setting", "expected"), [("0", False), ("off", False), ("1", True), ("TRUE", True)]
)
def test_the_environment_overrides_auto(setting: str, expected: bool) -> None:
    """VMKIT_PROGRESS decides when the call does not."""
    env = {progress.ENV_VAR: setting}

    assert expected == progress.progress_enabled(None, env=env, stream=Terminal())
    assert expected == progress.progress_enabled(None, env=env, stream=io.StringIO())


def test_an_explicit_argument_wins() -> None:
    """progress=False silences a terminal and VMKIT_PROGRESS=1; progress=True shows anywhere."""
    assert not progress.progress_enabled(False, env={progress.ENV_VAR: "1"}, stream=Terminal())
    assert progress.progress_enabled(True, env={progress.ENV_VAR: "0"}, stream=io.StringIO())


def test_an_unrecognised_setting_means_auto() -> None:
    """A typo in VMKIT_PROGRESS falls back to detecting the terminal."""
    assert progress.progress_enabled(None, env={progress.ENV_VAR: "maybe"}, stream=Terminal())


def test_a_jupyter_kernel_counts_as_interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a kernel (IPython's shell has a kernel) bars are on though stderr is no TTY."""
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))

    assert progress.in_notebook()
    assert progress.progress_enabled(None, env={}, stream=io.StringIO())


def test_plain_ipython_is_not_a_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal IPython shell has no kernel: the TTY test decides there."""
    shell = types.SimpleNamespace(kernel=None)
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))

    assert not progress.in_notebook()


# -- what a bar says -------------------------------------------------------------------


def test_a_silent_reporter_draws_nothing() -> None:
    """With progress off the reporter is the do-nothing base class."""
    out = io.StringIO()
    with progress.wait_progress(False, "vm.start web-1", file=out) as bar:
        bar.update("running", 0.5)
        bar.finish("succeeded", succeeded=True)

    assert type(bar) is progress.WaitProgress
    assert "" == out.getvalue()


def test_a_bar_is_indeterminate_until_a_fraction_arrives() -> None:
    """Without a fraction the bar shows the state; once one arrives, a percentage."""
    out = io.StringIO()
    with progress.wait_progress(True, "vm.start web-1", file=out) as bar:
        bar.update("pending")
        before = out.getvalue()
        bar.update("running", 0.25)
        bar.finish("succeeded", succeeded=True)

    assert "vm.start web-1 [" in before and "pending]" in before and "%" not in before
    after = out.getvalue()[len(before) :]
    assert " 25%|" in after and "100%|" in after and "succeeded]" in after
    assert out.getvalue().endswith("\n")


def test_leaving_the_block_on_an_error_closes_the_bar() -> None:
    """An exception inside the block closes the bar, marked as timed out or stopped."""
    out = io.StringIO()
    with pytest.raises(TimeoutError), progress.wait_progress(True, "x", file=out) as bar:
        bar.update("running", 0.5)
        raise TimeoutError

    assert "timed out]" in out.getvalue() and " 50%|" in out.getvalue()
    assert 0 == _open_bars()


@pytest.mark.anyio
async def test_operation_wait_draws_a_bar_on_stderr(
    client: vmkit.AsyncClient,
    mock: respx.MockRouter,
    fake_time: FakeTime,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """wait(progress=True) shows the kind, target and fraction, and ends at 100%."""
    mock.get(f"/v1/operations/{OP_ID}").mock(return_value=json_response(200, op_body()))
    mock.get(WAIT_PATH).mock(
        side_effect=[
            json_response(200, op_body(state="running", progress=0.5)),
            json_response(200, done_body()),
        ]
    )

    op = await client.operations.get(OP_ID)
    await op.wait(progress=True)

    err = capsys.readouterr().err
    assert "vm.start web-1 [" in err and "pending]" in err
    assert " 50%|" in err and "running]" in err
    assert "100%|" in err and "succeeded]" in err
    assert [0.05] == fake_time.sleeps  # the bar adds no waiting of its own
    assert 0 == _open_bars()


@pytest.mark.anyio
async def test_a_failed_operation_closes_its_bar(
    client: vmkit.AsyncClient, mock: respx.MockRouter, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bar says 'failed', stays where the operation stopped, and is closed."""
    mock.get(f"/v1/operations/{OP_ID}").mock(return_value=json_response(200, op_body()))
    mock.get(WAIT_PATH).mock(return_value=json_response(200, failed_body()))

    op = await client.operations.get(OP_ID)
    with pytest.raises(errors.OperationFailedError):
        await op.wait(progress=True)

    err = capsys.readouterr().err
    assert err.rstrip("\n").endswith("failed]")
    assert "100%" not in err
    assert 0 == _open_bars()


@pytest.mark.anyio
async def test_a_timed_out_wait_closes_its_bar(
    client: vmkit.AsyncClient, mock: respx.MockRouter, capsys: pytest.CaptureFixture[str]
) -> None:
    """WaitTimeoutError leaves the bar closed and saying why."""
    mock.get(f"/v1/operations/{OP_ID}").mock(return_value=json_response(200, op_body()))
    mock.get(WAIT_PATH).mock(return_value=json_response(200, op_body(state="running")))

    op = await client.operations.get(OP_ID)
    with pytest.raises(errors.WaitTimeoutError):
        await op.wait(timeout=2, poll_interval=1.0, progress=True)

    assert capsys.readouterr().err.rstrip("\n").endswith("timed out]")
    assert 0 == _open_bars()


@pytest.mark.anyio
async def test_wait_for_shows_the_vms_state(
    client: vmkit.AsyncClient, mock: respx.MockRouter, capsys: pytest.CaptureFixture[str]
) -> None:
    """vm.wait_for(progress=True) names the VM and the goal and shows each state seen."""
    mock.get(f"/v1/vms/{vm_body()['id']}").mock(
        side_effect=[
            json_response(200, vm_body(state=s)) for s in ["stopped", "starting", "running"]
        ]
    )

    vm = await client.vms.get(vm_body()["id"])
    await vm.wait_for("running", progress=True)

    err = capsys.readouterr().err
    assert "VM web-1: state running [" in err
    assert "starting]" in err and err.rstrip("\n").endswith("running]")
    assert 0 == _open_bars()


@pytest.mark.anyio
async def test_progress_false_draws_nothing(
    client: vmkit.AsyncClient,
    mock: respx.MockRouter,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """progress=False writes nothing, even with VMKIT_PROGRESS=1."""
    monkeypatch.setenv(progress.ENV_VAR, "1")
    mock.get(f"/v1/operations/{OP_ID}").mock(return_value=json_response(200, op_body()))
    mock.get(WAIT_PATH).mock(return_value=json_response(200, done_body()))

    op = await client.operations.get(OP_ID)
    await op.wait(progress=False)

    assert "" == capsys.readouterr().err


# -- tqdm stays unloaded ---------------------------------------------------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("progress") / "data")
    yield running
    running.stop()


SCRIPT = textwrap.dedent(
    """
    import sys
    import vmkit

    with vmkit.Client() as client:
        vm = client.vms.create(sys.argv[1], wait=True)
        vm.start().wait(progress=None if sys.argv[2] == "auto" else False)
        vm.wait_for("running")
        vm.delete(force=True, wait=True)
    print(sorted(m for m in sys.modules if m == "tqdm" or m.startswith("tqdm.")))
    """
)


@pytest.mark.parametrize("mode", ["auto", "off"])
def test_waiting_without_a_bar_never_imports_tqdm(live: RunningServer, mode: str) -> None:
    """In a script whose stderr is a pipe (auto) or with progress=False, tqdm is not loaded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VMKIT_")}
    env |= {"VMKIT_URL": live.url, "VMKIT_TOKEN": live.token}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"quiet-{mode}", mode],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert 0 == result.returncode, result.stderr
    assert "[]" == result.stdout.strip()
    assert "" == result.stderr


def test_the_environment_turns_bars_on_in_a_script(live: RunningServer) -> None:
    """VMKIT_PROGRESS=1 draws bars on a piped stderr (and only then is tqdm imported)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VMKIT_")}
    env |= {"VMKIT_URL": live.url, "VMKIT_TOKEN": live.token, progress.ENV_VAR: "1"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, "loud", "auto"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert 0 == result.returncode, result.stderr
    assert "'tqdm'" in result.stdout
    assert "vm.start loud" in result.stderr and "succeeded]" in result.stderr
