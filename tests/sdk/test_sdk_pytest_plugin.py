"""vmkit's pytest plugin, run the way users run it: in a pytest subprocess (pytester)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import vmkit
from vmkit.errors import NotFoundError
from vmkit_server.testing import RunningServer, start_server

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).parents[2] / "examples" / "pytest" / "test_with_vmkit.py"
# Inner runs: no cache files in the pytester dir, and a warning is a failure (as in this repo).
INNER = ("-p", "no:cacheprovider", "-W", "error")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    """A reference server the inner pytest runs reach with --vmkit-url."""
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


def test_importing_the_plugin_loads_neither_httpx_nor_the_server() -> None:
    """pytest loads the plugin in every run, so loading it must stay cheap."""
    heavy = ("httpx", "vmkit_server", "vmkit._generated")
    code = f"import sys, vmkit.pytest_plugin; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert "[]" == out.strip()


def test_options_and_marker_are_documented(pytester: pytest.Pytester) -> None:
    """`pytest --help` lists the four options; `pytest --markers` lists the vmkit marker."""
    help_text = pytester.runpytest("--help").stdout.str()
    markers = pytester.runpytest("--markers", *INNER).stdout.str()

    for option in ("--vmkit-url", "--vmkit-token", "--vmkit-backend", "--vmkit-image"):
        assert option in help_text
    assert "vmkit fixtures" in help_text
    assert "@pytest.mark.vmkit(image=None" in markers


def test_vms_are_deleted_after_each_test_even_when_it_fails(
    pytester: pytest.Pytester, server: RunningServer
) -> None:
    """Against --vmkit-url: VMs run, take --vmkit-image / marker / call values, and are gone."""
    pytester.makepyfile(
        test_inner="""
        import pathlib
        import pytest

        MADE = pathlib.Path(__file__).with_name("made.txt")

        def record(vm):
            with MADE.open("a") as f:
                f.write(vm.id + "\\n")
            return vm

        def test_cli_image(vmkit_vm, vmkit_server):
            vm = record(vmkit_vm())
            assert vmkit_server.in_process is None
            assert ("running", "from/cli", 3600) == (vm.state, vm.image, vm.ttl_seconds)
            assert vm.name.startswith("test-cli-image-")
            assert vm.labels["vmkit-test"]

        @pytest.mark.vmkit(image="from/marker", cpus=3)
        def test_marker_then_call(vmkit_vm):
            vm = record(vmkit_vm())
            assert ("from/marker", 3) == (vm.image, vm.cpus)
            other = record(vmkit_vm(image="from/call", ttl_seconds=None, start=False))
            assert ("from/call", "stopped", None) == (other.image, other.state, other.ttl_seconds)

        def test_fails(vmkit_vm):
            record(vmkit_vm())
            assert False, "deliberate"
        """
    )

    result = pytester.runpytest_subprocess(
        *INNER,
        f"--vmkit-url={server.url}",
        f"--vmkit-token={server.token}",
        "--vmkit-image=from/cli",
    )

    result.assert_outcomes(passed=2, failed=1)
    made = (pytester.path / "made.txt").read_text().split()
    assert 4 == len(made)
    with vmkit.Client(server.url, server.token) as client:
        for vm_id in made:
            with pytest.raises(NotFoundError):
                client.vms.get(vm_id)
        assert [] == list(client.vms.list())


def test_in_process_server_runs_the_example(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --vmkit-url: an in-process server (VMKIT_URL ignored) runs the example file."""
    monkeypatch.setenv("VMKIT_URL", "http://127.0.0.1:9")
    shutil.copy(EXAMPLE, pytester.path / EXAMPLE.name)
    pytester.makepyfile(
        test_in_process="""
        import pytest

        def test_in_process(vmkit_server, vmkit_client):
            assert vmkit_server.in_process is not None
            assert vmkit_server.url == vmkit_client.base_url

        @pytest.mark.vmkit(backend="qemu")
        def test_needs_qemu(vmkit_vm):
            raise AssertionError("skipped: the in-process server is simulated")

        @pytest.mark.vmkit(imgae="typo")
        def test_bad_marker(vmkit_vm):
            raise AssertionError("not reached: the marker is refused")

        def test_undeletable(vmkit_vm, vmkit_server):
            vmkit_vm(name="stuck-vm")
            server = vmkit_server.in_process
            server.call(lambda: server.backend.fail_next("delete"))
        """
    )

    result = pytester.runpytest_subprocess(*INNER, "-rs", "--vmkit-backend=simulated")

    # 4 example tests + test_in_process pass; test_undeletable passes, then errors.
    result.assert_outcomes(passed=6, skipped=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.vmkit takes keywords*got imgae*",
            "*vmkit_vm could not delete 1 VM(s)*",
            "*stuck-vm (*injected failure*",
            "*needs the 'qemu' backend; the vmkit server runs: simulated*",
        ]
    )


def test_missing_server_extra_says_what_to_install(pytester: pytest.Pytester) -> None:
    """Without vmkit[server] and without --vmkit-url, the error says how to fix it."""
    pytester.makeconftest("import sys\nsys.modules['vmkit_server'] = None\n")
    pytester.makepyfile("def test_needs_a_server(vmkit_client):\n    pass\n")

    result = pytester.runpytest_subprocess(*INNER)

    result.assert_outcomes(errors=1)
    assert "pip install 'vmkit[server]' (or pass --vmkit-url" in result.stdout.str()
    assert "During handling" not in result.stdout.str()


def test_fixtures_run_on_a_peer_backend(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """--vmkit-backend lume --vmkit-backend-opt url=...: vmkit_vm makes VMs in (fake) Lume."""
    from fakes.lume import conformance_setup  # the faithful fake of Lume's API

    pytester.makepyfile(
        test_on_lume="""
        def test_vm_runs_in_lume(vmkit_vm, vmkit_client):
            vm = vmkit_vm(name="plugin-on-lume")
            assert ("running", "lume") == (vm.state, vm.backend)
            assert [vm.id] == [v.id for v in vmkit_client.vms.list()]
        """
    )
    with conformance_setup(tmp_path) as setup:
        options = [f"--vmkit-backend-opt={k}={v}" for k, v in setup.backend_options.items()]
        result = pytester.runpytest_subprocess(
            *INNER, "--vmkit-backend=lume", *options, "--vmkit-image=linux"
        )
        lume_left = httpx.get(f"{setup.backend_options['url']}/vms", timeout=10).json()
    result.assert_outcomes(passed=1)
    assert [] == lume_left  # vmkit_vm deleted it in Lume too


def test_a_malformed_backend_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    """--vmkit-backend-opt without `=` stops the run with a message, not a traceback."""
    pytester.makepyfile(test_any="def test_any(vmkit_server): pass")
    result = pytester.runpytest_subprocess(*INNER, "--vmkit-backend-opt=novalue")
    assert "takes KEY=VALUE" in result.stdout.str() + result.stderr.str()
    assert 0 != result.ret


def test_a_peer_token_comes_from_the_environment(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """VMKIT_BACKEND_TOKEN reaches a peer backend that needs a token (Nemeton), as with the CLI."""
    from fakes.nemeton import conformance_setup

    pytester.makepyfile(
        test_on_nemeton="""
        def test_sees_nemeton(vmkit_client):
            assert "nemeton" == vmkit_client.hosts.list()[0].backend
            assert ["seen-by-plugin"] == [vm.name for vm in vmkit_client.vms.list()]
        """
    )
    with conformance_setup(tmp_path) as setup:
        assert setup.make_outside_vm is not None
        setup.make_outside_vm("seen-by-plugin")
        monkeypatch.setenv("VMKIT_BACKEND_TOKEN", setup.backend_options["token"])
        url = setup.backend_options["url"]
        result = pytester.runpytest_subprocess(
            *INNER, "--vmkit-backend=nemeton", f"--vmkit-backend-opt=url={url}"
        )
    result.assert_outcomes(passed=1)
