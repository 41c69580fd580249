"""`vmkit-server --backend <peer> --backend-url ... --backend-token-file ...`, as a user runs it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from fakes.nemeton import conformance_setup
from proc_helpers import ServerProcess, server_command

import vmkit


def test_the_server_drives_a_peer_given_on_the_command_line(tmp_path: Path) -> None:
    """URL and token from their flags reach the adapter: the peer's VM shows up in vmkit."""
    with conformance_setup(tmp_path) as setup:
        assert setup.make_outside_vm is not None
        setup.make_outside_vm("from-nemeton")
        token_file = tmp_path / "nemeton-token"
        token_file.write_text(setup.backend_options["token"] + "\n")
        token_file.chmod(0o600)
        url = setup.backend_options["url"]
        data_dir = tmp_path / "data"
        server = ServerProcess.start(
            data_dir, "--backend", "nemeton", "--backend-url", url,
            "--backend-token-file", str(token_file),
        )  # fmt: skip
        try:
            token = (data_dir / "admin-token").read_text().strip()
            with vmkit.Client(server.url, token) as client:
                host = client.hosts.list()[0]
                names = [vm.name for vm in client.vms.list()]
        finally:
            assert 0 == server.terminate()
    assert "nemeton" == host.backend
    assert "from-nemeton" in names
    assert setup.backend_options["token"] not in "\n".join(server.lines)  # never logged


def test_a_peer_without_its_token_is_a_usage_error(tmp_path: Path) -> None:
    """A peer that needs a token refuses to start without one, naming where to give it."""
    env = {k: v for k, v in os.environ.items() if k != "VMKIT_BACKEND_TOKEN"}
    args = [str(server_command()), "--data-dir", str(tmp_path), "--backend", "nemeton"]
    result = subprocess.run(
        [*args, "--backend-url", "http://127.0.0.1:9"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert 2 == result.returncode
    assert "--backend-token-file" in result.stderr
    assert "Traceback" not in result.stderr
    empty = tmp_path / "empty-token"
    empty.write_text("\n")
    result = subprocess.run(
        [*args, "--backend-url", "http://127.0.0.1:9", "--backend-token-file", str(empty)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert 2 == result.returncode
    assert "empty" in result.stderr
