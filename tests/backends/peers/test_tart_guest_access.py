"""The Tart backend's exec and files, through the fake `tart exec` and its guest agent."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from tart_helpers import UBUNTU, FakeTart, backend_for, fake_tart

from vmkit_server.backends.base import NullContext, VMSpec
from vmkit_server.backends.guest import (
    ExecRequest,
    ExecTimeoutError,
    GuestFileNotFoundError,
    GuestNotReadyError,
)
from vmkit_server.backends.peers._tart_access import GuestFileTooLargeError
from vmkit_server.backends.peers.tart import TartBackend

pytestmark = pytest.mark.anyio


@pytest.fixture
def tart(tmp_path: Path) -> Iterator[FakeTart]:
    """A fake `tart`; no VM is left running."""
    yield from fake_tart(tmp_path)


@pytest.fixture
async def backend(tart: FakeTart, tmp_path: Path) -> AsyncIterator[TartBackend]:
    """The Tart backend with `vm_1` (Ubuntu, with the agent) running."""
    backend = backend_for(tart, tmp_path / "state")
    await backend.create(VMSpec("vm_1", "one", 1, 512, 19, UBUNTU, {}), NullContext())
    await backend.start("vm_1", NullContext())
    yield backend


async def test_exec_runs_commands(backend: TartBackend) -> None:
    """Output, exit status, environment (through `env`) and standard input (`-i`)."""
    result = await backend.exec("vm_1", ExecRequest("echo hello; exit 3"))
    assert (3, b"hello\n", b"") == (result.exit_code, result.stdout, result.stderr)
    result = await backend.exec("vm_1", ExecRequest(["env"], env={"GREETING": "hi there"}))
    assert b"GREETING=hi there\n" in result.stdout
    result = await backend.exec("vm_1", ExecRequest(["cat"], stdin=b"piped"))
    assert b"piped" == result.stdout
    missing = await backend.exec("vm_1", ExecRequest(["frobnicate"]))
    assert 127 == missing.exit_code


async def test_a_command_failing_like_tart_is_still_the_command(backend: TartBackend) -> None:
    """A command's own exit 2 is its result, not a Tart error."""
    result = await backend.exec("vm_1", ExecRequest("echo oops >&2; exit 2"))
    assert 2 == result.exit_code


async def test_exec_timeout(backend: TartBackend) -> None:
    """A command outliving its timeout: `ExecTimeoutError` (`tart exec` killed)."""
    with pytest.raises(ExecTimeoutError):
        await backend.exec("vm_1", ExecRequest(["sleep", "30"], timeout_seconds=0.5))
    assert 0 == (await backend.exec("vm_1", ExecRequest(["true"]))).exit_code


async def test_no_guest_to_reach(backend: TartBackend) -> None:
    """A stopped VM, or one whose disk has no agent: `GuestNotReadyError` (409)."""
    await backend.force_stop("vm_1", NullContext())
    with pytest.raises(GuestNotReadyError, match="is not running"):
        await backend.exec("vm_1", ExecRequest(["true"]))
    await backend.create(VMSpec("vm_2", "empty", 1, 512, 10, None, {}), NullContext())
    backend.options = dataclasses.replace(backend.options, ready_timeout=0.2)
    await backend.start("vm_2", NullContext())
    with pytest.raises(GuestNotReadyError, match="Guest Agent") as caught:
        await backend.exec("vm_2", ExecRequest(["true"]))
    assert 409 == caught.value.status


async def test_files_round_trip(backend: TartBackend) -> None:
    """Write (with a mode), read back; missing and too large files are told apart."""
    await backend.write_file("vm_1", "/tmp/data.bin", b"\x00\x01 bytes", mode=0o600)
    assert b"\x00\x01 bytes" == await backend.read_file("vm_1", "/tmp/data.bin", max_bytes=100)
    await backend.write_file("vm_1", "/tmp/data.bin", b"", mode=None)
    assert b"" == await backend.read_file("vm_1", "/tmp/data.bin", max_bytes=100)
    with pytest.raises(GuestFileNotFoundError):
        await backend.read_file("vm_1", "/tmp/none", max_bytes=100)
    await backend.write_file("vm_1", "/tmp/big", b"x" * 50, mode=None)
    with pytest.raises(GuestFileTooLargeError) as caught:
        await backend.read_file("vm_1", "/tmp/big", max_bytes=10)
    assert 413 == caught.value.status
