"""``mcp`` stays optional for the SDK: importing vmkit and ``vmkit --help`` never load it."""

from __future__ import annotations

import subprocess
import sys

import pytest


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_import_and_help_do_not_import_mcp() -> None:
    """`import vmkit`, the CLI's parser and `vmkit mcp --help` leave `mcp` unloaded."""
    result = python(
        "import sys, contextlib, io, vmkit, vmkit.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    vmkit.cli.main(['--help'])\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    vmkit.cli.main(['mcp', '--help'])\n"
        "print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith('mcp.')))\n"
    )
    assert 0 == result.returncode, result.stderr
    assert "[]" == result.stdout.strip()


def test_vmkit_mcp_without_the_package_says_how_to_install_it() -> None:
    """No traceback: one line naming the extra to install, exit status 1."""
    result = python(
        "import sys\n"
        "sys.modules['mcp'] = None  # as if it were not installed\n"
        "from vmkit.cli import main\n"
        "sys.exit(main(['mcp']))\n"
    )
    assert 1 == result.returncode
    assert "pip install 'vmkit[mcp]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_server_is_one_line_and_exit_1() -> None:
    """`vmkit mcp` cannot read the API document: it says so and exits before serving."""
    result = python(
        "import sys\n"
        "from vmkit.cli import main\n"
        "sys.exit(main(['--url', 'http://127.0.0.1:9', '--token', 'vmk_x', '--request-timeout',"
        " '2', 'mcp']))\n"
    )
    assert 1 == result.returncode
    assert "cannot read the server's API" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("scopes", ["", "read,root"])
def test_scopes_option_rejects_unknown_scopes(scopes: str) -> None:
    """`--scopes` takes only read, write, connect, admin (bad usage: status 2)."""
    from vmkit.cli import build_parser

    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["mcp", "--scopes", scopes])
    assert 2 == caught.value.code
