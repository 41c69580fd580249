"""Lume's size strings and names in vmkit's terms, and Lume answers no document describes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes._support import serve_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from vmkit_server.backends.base import BackendOperationFailedError
from vmkit_server.backends.guest import ImageNotFoundError
from vmkit_server.backends.peers import _lume_sizes as sizes
from vmkit_server.backends.peers.lume import from_options


@pytest.mark.parametrize(
    ("text", "mib", "gib"),
    [
        ("4GB", 4096, 4),
        ("512MB", 512, 1),
        ("1.5GB", 1536, 2),
        ("1TB", 1048576, 1024),
        (" 64 gb ", 65536, 64),
        ("2048KB", 2, 1),
    ],
)
def test_sizes_read_as_powers_of_1024(text: str, mib: int, gib: int) -> None:
    """Memory rounds down to a MiB, disks up to a GiB."""
    assert (mib, gib) == (sizes.memory_mib(text), sizes.disk_gib(text))


@pytest.mark.parametrize("text", ["", "GB", "four GB", "4 PB", "-1GB"])
def test_a_size_without_a_number_and_known_unit_is_refused(text: str) -> None:
    """ValueError names the string."""
    with pytest.raises(ValueError, match="not a Lume size"):
        sizes.parse_size(text)


def test_sizes_are_written_in_the_documents_units() -> None:
    """Whole GiB as `GB` (the document's unit), the rest of memory as `MB`; round trips."""
    assert ["4GB", "512MB", "1536MB", "64GB"] == [
        sizes.mib_size(4096),
        sizes.mib_size(512),
        sizes.mib_size(1536),
        sizes.gib_size(64),
    ]
    assert all(sizes.memory_mib(sizes.mib_size(m)) == m for m in (1, 512, 1024, 3000, 16384))


@pytest.mark.parametrize(
    ("lume", "vmkit"),
    [
        ("lume_vm", "lume-vm"),
        ("My VM (2)", "my-vm-2"),
        ("--x--", "x"),
        ("日本", "lume-vm"),
        ("a" * 70, "a" * 63),
        ("a" * 62 + "_b", "a" * 62),
    ],
)
def test_lume_names_become_valid_vmkit_names(lume: str, vmkit: str) -> None:
    """Lowercased, other runs become one dash, trimmed, at most 63 characters."""
    assert vmkit == sizes.vmkit_name(lume)


def test_images_map_to_lume_guests() -> None:
    """None and `macos` install the latest IPSW; `macos:<x>` names one; `linux` has none."""
    guests = [sizes.guest_for_image(i) for i in (None, "macos", "macos:/a.ipsw", "linux")]
    assert [("macOS", "latest"), ("macOS", "latest"), ("macOS", "/a.ipsw"), ("linux", None)] == [
        (g.os, g.ipsw) for g in guests
    ]
    with pytest.raises(ImageNotFoundError, match="macos, macos:<ipsw> or linux"):
        sizes.guest_for_image("macos:")


@pytest.fixture
def broken() -> Iterator[str]:
    """A server answering 500 to a list and a non-JSON 400 to a get."""

    async def fail(request: Request) -> Response:
        return PlainTextResponse("boom", status_code=500)

    async def garbage(request: Request) -> Response:
        return PlainTextResponse("<html>", status_code=400)

    app = Starlette(routes=[Route("/lume/vms", fail), Route("/lume/vms/{name}", garbage)])
    with serve_app(app) as base:
        yield f"{base}/lume"


@pytest.mark.anyio
async def test_answers_outside_the_document_fail_cleanly(broken: str, tmp_path: Path) -> None:
    """A 500 says so with the body; a 400 that is not Lume's JSON is not a crash."""
    backend = from_options({"url": broken}, state_dir=tmp_path)
    backend.handles.put("vm_1", "ci-1")
    try:
        with pytest.raises(BackendOperationFailedError, match="answered 500 when asked") as caught:
            await backend.list_vm_ids()
        assert "boom" == caught.value.metadata["lume_message"]
        with pytest.raises(BackendOperationFailedError, match="does not describe"):
            await backend.observe("vm_1")
    finally:
        await backend.close()
