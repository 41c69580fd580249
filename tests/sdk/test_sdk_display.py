"""How handles, lists and screenshots show in Jupyter (HTML) and IPython (pretty text)."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from client_helpers import (
    BASE_URL,
    TOKEN,
    example,
    failed_body,
    json_response,
    op_body,
    page,
    vm_body,
)
from IPython.core.formatters import DisplayFormatter
from IPython.lib.pretty import pretty

import vmkit
from vmkit._async._api import LogEntryModel, OperationModel, SnapshotModel, VMModel
from vmkit._core import display

GREEN, RED = "#1a7f37", "#cf222e"


@pytest.fixture
def client() -> Iterator[vmkit.Client]:
    """A sync client; building handles on it does no I/O."""
    with vmkit.Client(BASE_URL, TOKEN) as client:
        yield client


def _vm(client: vmkit.Client, **fields: object) -> vmkit.VM:
    return vmkit.VM(client, VMModel.from_dict(vm_body(**fields)))


def _operation(client: vmkit.Client, body: dict[str, object]) -> vmkit.Operation:
    return vmkit.Operation(client._api, OperationModel.from_dict(body))


def test_vm_html_escapes_every_value(client: vmkit.Client) -> None:
    """A label value of `<script>` is shown as text, never as markup."""
    vm = _vm(client, labels={"note": "<script>alert(1)</script>"}, image='"><img src=x>')

    html = vm._repr_html_()

    assert "<script>" not in html and "<img" not in html
    assert "note=&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x&gt;" in html


def test_vm_html_is_a_table_with_a_state_badge(client: vmkit.Client) -> None:
    """The card names the VM and shows its state as a coloured badge, and its sizes."""
    html = _vm(client, state="running", memory_mib=2048, disk_gib=20)._repr_html_()

    assert html.startswith("<div><strong>VM</strong> <code>web-1</code><table")
    assert re.search(f'<span style="background:{GREEN};[^"]*">running</span>', html)
    assert ">2 GiB</td>" in html and ">20 GiB</td>" in html
    assert "<script" not in html.lower()


def test_vm_pretty_prints_its_fields(client: vmkit.Client) -> None:
    """IPython prints a VM as a title line and one aligned line per field."""
    vm = _vm(
        client, state="stopped", state_reason="shutdown", labels={"team": "qa"}, memory_mib=512
    )

    lines = pretty(vm).splitlines()

    assert "VM web-1" == lines[0]
    assert "  state    stopped" in lines
    assert "  reason   shutdown" in lines
    assert "  labels   team=qa" in lines
    assert "  memory   512 MiB" in lines


def test_an_unknown_state_gets_a_neutral_badge(client: vmkit.Client) -> None:
    """States added to the API later render too, in grey; transitions in amber."""
    assert "background:#6e7781" in _vm(client, state="hibernating")._repr_html_()
    assert "background:#9a6700" in _vm(client, state="starting")._repr_html_()


def test_operation_shows_progress_and_target(client: vmkit.Client) -> None:
    """A running operation shows its kind, target, state and fraction done."""
    op = _operation(client, op_body(state="running", progress=0.5))

    html = op._repr_html_()
    text = pretty(op)

    assert f"<code>{op.id}</code>" in html
    assert ">50%</td>" in html and ">vm.start</td>" in html
    assert f"Operation {op.id}" == text.splitlines()[0]
    assert "  target    vm web-1" in text.splitlines()


def test_failed_operation_shows_why(client: vmkit.Client) -> None:
    """A failed operation's card carries its problem code and detail, with a red badge."""
    op = _operation(client, failed_body())

    html = op._repr_html_()

    assert f"background:{RED}" in html
    assert "BACKEND_UNAVAILABLE: qemu exited with status 1" in html
    assert "  error     BACKEND_UNAVAILABLE: qemu exited with status 1" in pretty(op)


def test_a_cycle_prints_the_short_repr(client: vmkit.Client) -> None:
    """When IPython reports a reference cycle, the handle prints its one-line repr."""
    printed: list[str] = []

    class Printer:
        def text(self, obj: str) -> None:
            printed.append(obj)

    vm = _vm(client)
    vm._repr_pretty_(Printer(), True)

    assert [repr(vm)] == printed


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    """respx routes for BASE_URL."""
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        yield router


def test_to_list_returns_a_table_of_vms(client: vmkit.Client, mock: respx.MockRouter) -> None:
    """paginator.to_list() fetches every page into a ResourceList that shows as a table."""
    first = vm_body(name="web-1", labels={"x": "<b>"})
    second = vm_body(id="vm_2", name="db-1", state="stopped", ip_addresses=[])
    mock.get("/v1/vms").mock(
        side_effect=[
            json_response(200, page([first], "tok")),
            json_response(200, page([second], None)),
        ]
    )

    vms = client.vms.list().to_list()

    assert isinstance(vms, vmkit.ResourceList) and isinstance(vms, list)
    assert ["web-1", "db-1"] == [vm.name for vm in vms]
    html = vms._repr_html_()
    assert html.count("<tr>") == 3  # the header and one row per VM
    assert ">2 VMs</caption>" in html
    assert "x=&lt;b&gt;" in html and "<b>" not in html
    header, *rows = pretty(vms).splitlines()
    assert header.split() == [
        "NAME",
        "STATE",
        "CPUS",
        "MEMORY",
        "DISK",
        "IMAGE",
        "IP",
        "LABELS",
        "CREATED",
    ]
    assert [row.split()[:2] for row in rows] == [["web-1", "running"], ["db-1", "stopped"]]


def test_an_empty_list_says_so() -> None:
    """An empty ResourceList shows a sentence, not an empty table."""
    empty: vmkit.ResourceList[object] = vmkit.ResourceList()

    assert "no items" == pretty(empty)
    assert "no items" in empty._repr_html_()


def test_tables_of_operations_snapshots_and_log_entries(client: vmkit.Client) -> None:
    """Each kind of item gets its own columns."""
    ops = vmkit.ResourceList([_operation(client, op_body()), _operation(client, failed_body())])
    snaps = vmkit.ResourceList([SnapshotModel.from_dict(example("Snapshot"))])
    logs = vmkit.ResourceList(
        LogEntryModel.from_dict(item) for item in example("OperationLogList")["items"]
    )

    assert pretty(ops).split()[:7] == [
        "ID",
        "KIND",
        "TARGET",
        "STATE",
        "PROGRESS",
        "CREATED",
        "FINISHED",
    ]
    assert "failed" in pretty(ops).splitlines()[2]
    snap_text = pretty(snaps)
    assert snap_text.splitlines()[0].split()[:4] == ["NAME", "STATE", "VM", "STATE"]
    assert "before-upgrade  ready  running   yes     104.0 MiB" in snap_text
    assert pretty(logs).split()[:4] == ["SEQ", "TIME", "LEVEL", "MESSAGE"]
    assert ">1 snapshot</caption>" in snaps._repr_html_()
    assert ">2 log entries</caption>" in logs._repr_html_()


def test_long_cells_are_cut_in_text_tables(client: vmkit.Client) -> None:
    """A long value is shortened with an ellipsis so rows stay on one line."""
    vms = vmkit.ResourceList([_vm(client, labels={f"key{i}": "v" * 10 for i in range(5)})])

    row = pretty(vms).splitlines()[1]

    assert "…" in row
    assert len(row) < 160


def test_mixed_lists_show_each_items_repr(client: vmkit.Client) -> None:
    """Items of different kinds fall back to one column of reprs."""
    vm = _vm(client)
    mixed = vmkit.ResourceList([vm, "<text>"])

    assert f"ITEM\n{vm!r}\n'<text>'" == pretty(mixed)
    assert "&#x27;&lt;text&gt;&#x27;" in mixed._repr_html_()


def test_ipython_shows_a_snapshot_model_once_registered() -> None:
    """Snapshots are generated models: registering the formatters gives them HTML and text."""
    formatter = DisplayFormatter()
    snapshot = SnapshotModel.from_dict(example("Snapshot"))

    display.register_ipython_formatters(formatter)
    data, _ = formatter.format(snapshot)

    assert data["text/html"].startswith(
        "<div><strong>Snapshot</strong> <code>before-upgrade</code>"
    )
    assert "clean install" in data["text/html"]
    assert data["text/plain"].splitlines()[0] == "Snapshot before-upgrade"


# -- screenshots ---------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    """A valid, tiny, all-black greyscale PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x00" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_png_screenshot_knows_its_size_and_displays_as_an_image(tmp_path: Path) -> None:
    """Width and height come from the PNG header; Jupyter gets the image itself."""
    data = _png(3, 2)
    shot = vmkit.Screenshot(data)

    assert ("image/png", 3, 2) == (shot.mime_type, shot.width, shot.height)
    assert f"<Screenshot image/png 3x2, {len(data)} bytes>" == repr(shot)
    assert data == shot._repr_png_()
    bundle = shot._repr_mimebundle_()
    assert bundle is not None and data == base64.b64decode(bundle["image/png"])
    assert repr(shot) == bundle["text/plain"]
    written = shot.save(tmp_path / "screen.png")
    assert (tmp_path / "screen.png", data) == (written, written.read_bytes())


def test_ipython_formats_a_screenshot_as_png() -> None:
    """IPython's own formatter picks the PNG up, as a notebook front end would."""
    data = _png(1, 1)

    formats, _ = DisplayFormatter().format(vmkit.Screenshot(data))

    assert data == base64.b64decode(formats["image/png"])


def test_other_formats() -> None:
    """A JPEG is sniffed and shown; bytes of an unknown type show only their repr."""
    jpeg = vmkit.Screenshot(b"\xff\xd8\xff\xe0rest")
    blob = vmkit.Screenshot(b"P6\n3 2\n255\n", mime_type="image/x-portable-pixmap")

    assert ("image/jpeg", None, None) == (jpeg.mime_type, jpeg.width, jpeg.height)
    assert jpeg._repr_jpeg_() == jpeg.data and jpeg._repr_png_() is None
    assert blob._repr_mimebundle_() is None
    assert "application/octet-stream" == vmkit.Screenshot(b"???").mime_type
    assert vmkit.Screenshot(b"abc") == vmkit.Screenshot(b"abc", "application/octet-stream")
