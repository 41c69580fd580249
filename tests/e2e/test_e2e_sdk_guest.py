"""Guest access through the SDK on the simulated guest: exec, files, console, screenshot,
disk growth and images, with every response checked against the spec."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from e2e_helpers import unique_name

import vmkit
from vmkit.errors import (
    CommandFailedError,
    ExecTimeoutError,
    GuestFileNotFoundError,
    PayloadTooLargeError,
    ValidationError,
    VMStateError,
)
from vmkit_server.testing import RunningServer, start_server


@pytest.fixture(scope="module")
def vm(client_module: vmkit.Client) -> vmkit.VM:
    """One running VM shared by the module's read-mostly tests."""
    return client_module.vms.create(unique_name("guest"), start=True, wait=True)


@pytest.fixture(scope="module")
def client_module(server: RunningServer) -> Iterator[vmkit.Client]:
    """A client for module-scoped fixtures."""
    with vmkit.Client(server.url, server.token) as c:
        yield c


def test_exec_argv_shell_env_and_stdin(client: vmkit.Client, vm: vmkit.VM) -> None:
    """argv runs as is; a string runs through sh with env; stdin reaches the command."""
    uname = client.vms.exec(vm, ["uname", "-a"])
    assert (0, True, "") == (uname.exit_code, uname.ok, uname.stderr)
    assert uname.stdout.startswith("Linux ") and vm.name in uname.stdout
    client.vms.exec(vm, "echo $WHO > /tmp/who", env={"WHO": "vmkit"}, check=True)
    assert "vmkit\n" == client.vms.exec(vm, ["cat", "/tmp/who"]).stdout
    assert "piped" == client.vms.exec(vm, ["cat"], stdin="piped").stdout


def test_exit_code_is_data_unless_checked(client: vmkit.Client, vm: vmkit.VM) -> None:
    """A failing command returns its status; check=True raises with the result attached."""
    missing = client.vms.exec(vm, ["cat", "/nope"])
    assert (1, False) == (missing.exit_code, missing.ok)
    assert "No such file" in missing.stderr
    assert 127 == client.vms.exec(vm, "frobnicate").exit_code
    with pytest.raises(CommandFailedError) as failed:
        client.vms.exec(vm, ["false"], check=True)
    assert 1 == failed.value.exit_code == failed.value.result.exit_code


def test_exec_timeout_raises_and_is_not_retried(client: vmkit.Client, vm: vmkit.VM) -> None:
    """A command that outlives its timeout is a 504 EXEC_TIMEOUT, sent once."""
    sent: list[httpx.Request] = []
    with (
        httpx.Client(event_hooks={"request": [sent.append]}) as http,
        vmkit.Client(client.base_url, client._config.token, http_client=http) as c,
        pytest.raises(ExecTimeoutError) as timed_out,
    ):
        c.vms.exec(vm, ["sleep", "30"], timeout_seconds=0.1)
    assert ("EXEC_TIMEOUT", 504, 1) == (timed_out.value.code, timed_out.value.status, len(sent))
    assert isinstance(timed_out.value, TimeoutError)


def test_exec_as_an_operation(client: vmkit.Client, vm: vmkit.VM) -> None:
    """wait=False answers 202 with a vm.exec operation whose result is the ExecResult."""
    op = client.vms.exec(vm, ["echo", "later"], wait=False)
    assert isinstance(op, vmkit.Operation) and "vm.exec" == op.kind
    op.wait(timeout=10)
    assert op.result is not None
    assert "later\n" == vmkit.ExecResult.from_dict(op.result).stdout
    assert vm.refresh().operation_id is None  # an exec never makes the VM busy


def test_exec_needs_a_running_vm(client: vmkit.Client) -> None:
    """On a stopped VM exec is a 409 VM_INVALID_STATE naming the allowed state."""
    stopped = client.vms.create(unique_name("stopped"), wait=True)
    with pytest.raises(VMStateError) as refused:
        stopped.exec(["true"])
    assert ("stopped", ["running"]) == (refused.value.current_state, refused.value.allowed_from)


def test_files_round_trip_binary_and_refuse_bad_paths(client: vmkit.Client, vm: vmkit.VM) -> None:
    """Bytes go in and come out unchanged; a relative or '..' path is a 422; missing is 404."""
    blob = bytes(range(256)) * 8
    assert len(blob) == vm.upload("/tmp/blob.bin", blob, mode=0o600)
    assert blob == vm.download("/tmp/blob.bin")
    assert 0 == vm.upload("/tmp/empty", b"")  # an empty file says what it is: octet-stream
    assert b"" == vm.download("/tmp/empty")
    for bad in ("relative/path", "/tmp/../etc/passwd", "/"):
        with pytest.raises(ValidationError) as invalid:
            vm.download(bad)
        assert "/path" == invalid.value.errors[0]["pointer"]
    with pytest.raises(GuestFileNotFoundError):
        vm.download("/tmp/never-written")


def test_console_reads_from_offsets_and_echoes_input(client: vmkit.Client, vm: vmkit.VM) -> None:
    """Reading from next_offset returns only what is new; typed input shows up."""
    first = vm.console()
    assert "booted" in first.data and first.offset == first.start_offset
    assert 6 == vm.send_console("hello\n")
    new = vm.console(offset=first.next_offset)
    assert "> hello" in new.data and first.next_offset == new.offset
    assert "" == vm.console(offset=new.next_offset).data


def test_screenshot_is_a_png_that_displays(client: vmkit.Client, vm: vmkit.VM) -> None:
    """The screenshot is a real PNG with its size, shown as an image in notebooks."""
    shot = vm.screenshot()
    assert shot.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert (160, 100) == (shot.width, shot.height)
    assert "image/png" in shot._repr_mimebundle_()


def test_disks_only_grow(client: vmkit.Client) -> None:
    """resize_disk grows a stopped VM's disk; asking for less is a 422 naming the size."""
    vm = client.vms.create(unique_name("disk"), disk_gib=10, wait=True)
    assert 25 == vm.resize_disk(25, wait=True).disk_gib
    with pytest.raises(ValidationError) as shrink:
        vm.resize_disk(20)
    assert "/disk_gib" == shrink.value.errors[0]["pointer"]
    vm.delete(wait=True)


def test_images_list_the_default(client: vmkit.Client) -> None:
    """The simulated backend lists the test guest as its default image."""
    (image,) = client.images.list()
    assert ("vmkit/test-guest", True, "linux") == (image.name, image.default, image.os)


def test_upload_beyond_the_limit_is_413(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The server refuses an upload past --max-upload-mib with a 413 problem."""
    small = start_server(tmp_path_factory.mktemp("small") / "data", max_upload_bytes=1024)
    try:
        with vmkit.Client(small.url, small.token) as c:
            vm = c.vms.create("upload", start=True, wait=True)
            vm.upload("/tmp/ok", b"x" * 1024)
            with pytest.raises(PayloadTooLargeError):
                vm.upload("/tmp/big", b"x" * 1025)
    finally:
        small.stop()


@pytest.mark.anyio
async def test_async_twin_execs_and_transfers(async_client: vmkit.AsyncClient) -> None:
    """The async client offers the same guest calls."""
    vm = await async_client.vms.create(unique_name("aguest"), start=True, wait=True)
    assert "hi\n" == (await vm.exec("echo hi")).stdout
    await vm.upload("/tmp/a", "text")
    assert b"text" == await vm.download("/tmp/a")
    assert (await vm.screenshot()).data.startswith(b"\x89PNG")
    await vm.delete(force=True, wait=True)
