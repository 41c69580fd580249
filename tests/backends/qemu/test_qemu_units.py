"""Pieces of the QEMU backend that need no guest: options, boot queue, addresses, paths."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import NullContext
from vmkit_server.backends.guest import (
    DiskResizer,
    GuestAccess,
    ImageCatalog,
    ImageNotFoundError,
)
from vmkit_server.backends.qemu import QEMU_CAPABILITIES, QemuBackend
from vmkit_server.backends.qemu._agent import addresses_of
from vmkit_server.backends.qemu._boot_queue import BootQueue
from vmkit_server.backends.qemu._options import parse_options
from vmkit_server.backends.qemu._state import socket_dir


def test_load_qemu_keeps_state_under_the_data_dir(tmp_path: Path) -> None:
    """`qemu` builds a QemuBackend living in `<data_dir>/qemu`."""
    backend = load_backend("qemu", data_dir=tmp_path, options={"accel": "tcg"})
    assert isinstance(backend, QemuBackend)
    assert tmp_path / "qemu" == backend.state_dir
    assert "tcg" == backend.options.accel


def test_options_are_validated() -> None:
    """Unknown keys and bad values are refused with a message naming them."""
    assert 3 == parse_options({"boot_concurrency": "3"}).boot_concurrency
    with pytest.raises(ValueError, match="known options"):
        parse_options({"acel": "kvm"})
    with pytest.raises(ValueError, match="accel"):
        parse_options({"accel": "hvf"})
    with pytest.raises(ValueError, match="boot_concurrency"):
        parse_options({"boot_concurrency": "0"})


def test_capabilities_are_all_there_and_the_protocols_too(tmp_path: Path) -> None:
    """Every capability is supported, through the guest, disk and image Protocols."""
    missing = {name for name, ok in QEMU_CAPABILITIES.to_dict().items() if not ok}
    assert set() == missing
    backend = QemuBackend(tmp_path / "q")
    assert isinstance(backend, GuestAccess)
    assert isinstance(backend, DiskResizer)
    assert isinstance(backend, ImageCatalog) and backend.requires_known_image


@pytest.mark.anyio
async def test_boot_queue_never_runs_more_than_its_limit() -> None:
    """Six boots through a queue of two: at most two overlap, all six run."""
    queue = BootQueue(2)
    gate = asyncio.Event()

    async def one() -> None:
        async with queue.slot():
            await gate.wait()

    tasks = [asyncio.create_task(one()) for _ in range(6)]
    while queue.active + queue.waiting < 6:
        await asyncio.sleep(0)
    assert (2, 4) == (queue.active, queue.waiting)
    gate.set()
    await asyncio.gather(*tasks)
    assert (2, 6, 0) == (queue.max_active, queue.total, queue.active)


def test_addresses_skip_loopback_and_link_local() -> None:
    """Only addresses someone could reach are reported, IPv4 first."""
    interfaces = [
        {"name": "lo", "ip-addresses": [{"ip-address": "127.0.0.1"}, {"ip-address": "::1"}]},
        {"name": "eth0", "ip-addresses": [
            {"ip-address": "fec0::5054:ff:fe12:3456"}, {"ip-address": "fe80::1"},
            {"ip-address": "10.0.2.15"},
        ]},
    ]  # fmt: skip
    assert ["10.0.2.15", "fec0::5054:ff:fe12:3456"] == addresses_of(interfaces)


def test_long_directories_get_short_socket_paths() -> None:
    """Unix socket paths must fit in 108 bytes, so deep VM directories use /tmp."""
    short = Path("/srv/vmkit/vms/vm_1")
    deep = Path("/very/" + "deep/" * 30 + "vm_1")
    assert short == socket_dir(short)
    assert len(str(socket_dir(deep) / "serial.sock")) < 108


def test_socket_paths_stay_short_under_a_deep_tmpdir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A $TMPDIR too deep for a socket path (a test's tmp_path) falls back to /tmp."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / ("deep" * 30)))
    chosen = socket_dir(Path("/very/" + "deep/" * 30 + "vm_1"))
    assert Path("/tmp") == chosen.parents[1]
    assert len(str(chosen / "serial.sock")) < 108


@pytest.mark.anyio
async def test_an_unbuilt_image_is_a_clear_failure(tmp_path: Path) -> None:
    """Creating from an image that was never built names the build script."""
    backend = QemuBackend(tmp_path / "q", parse_options({"images_dir": str(tmp_path / "none")}))
    await backend.open()
    from qemu_helpers import spec

    with pytest.raises(ImageNotFoundError, match="scripts/build-test-guest"):
        await backend.create(spec("vm-x"), NullContext())
    assert [] == await backend.list_vm_ids()
    assert [] == await backend.list_images()
