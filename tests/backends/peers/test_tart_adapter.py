"""The Tart backend's options, errors, host, adoption and what it does not support."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tart_helpers import UBUNTU, FakeTart, backend_for, fake_tart

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import (
    BackendOperationFailedError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    CapabilityNotSupportedError,
    NullContext,
    PowerState,
    VMSpec,
)
from vmkit_server.backends.peers._tart_options import gb_for_gib, gib_for_gb, parse_tart_options
from vmkit_server.backends.peers.tart import TART_CAPABILITIES, TartBackend, vmkit_name

pytestmark = pytest.mark.anyio


@pytest.fixture
def tart(tmp_path: Path) -> Iterator[FakeTart]:
    """A fake `tart`; no VM is left running."""
    yield from fake_tart(tmp_path)


@pytest.fixture
def backend(tart: FakeTart, tmp_path: Path) -> TartBackend:
    """The Tart backend on the fake."""
    return backend_for(tart, tmp_path / "state")


def test_the_registry_builds_it_from_options(tmp_path: Path) -> None:
    """`--backend tart` with `--backend-opt`s: state under `<data dir>/tart`."""
    backend = load_backend(
        "tart", data_dir=tmp_path, options={"tart": "/opt/tart", "tart_home": "/tmp/h"}
    )
    assert isinstance(backend, TartBackend)
    assert (tmp_path / "tart", "/opt/tart") == (backend.state_dir, backend.options.tart)
    assert TART_CAPABILITIES == backend.capabilities


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "http://x"}, "takes no url"),
        ({"colour": "red"}, "unknown tart backend option"),
        ({"timeout": "soon"}, "timeout must be a number"),
        ({"poll_interval": "0"}, "above 0"),
        ({"ip_resolver": "magic"}, "ip_resolver"),
        ({"suspendable": "maybe"}, "suspendable"),
    ],
)
def test_bad_options_are_refused(options: dict[str, str], message: str) -> None:
    """Every bad option is named."""
    with pytest.raises(ValueError, match=message):
        parse_tart_options(options)


def test_defaults_and_units() -> None:
    """Defaults as documented; a disk gets the whole GB that hold its GiB, and back."""
    opts = parse_tart_options({"token": "from VMKIT_BACKEND_TOKEN"})  # ignored
    assert ("tart", None, "dhcp", True) == (
        opts.tart, opts.tart_home, opts.ip_resolver, opts.suspendable,
    )  # fmt: skip
    assert (11, 21, 50) == (gb_for_gib(10), gb_for_gib(19), gb_for_gib(46))
    assert all(gib_for_gb(gb_for_gib(g)) == g for g in range(1, 500))


def test_vmkit_names_for_tart_names() -> None:
    """Tart names become valid vmkit names."""
    assert "my-mac-vm-1" == vmkit_name("My_Mac VM.1")
    assert "tart-vm" == vmkit_name("___")
    assert 63 == len(vmkit_name("x" * 80))


async def test_a_missing_tart_is_unavailable(tmp_path: Path) -> None:
    """No executable: 503-class `BackendUnavailableError` naming the path."""
    backend = TartBackend(
        parse_tart_options({"tart": str(tmp_path / "no-tart")}), state_dir=tmp_path / "s"
    )
    await backend.open()
    with pytest.raises(BackendUnavailableError, match="no-tart") as caught:
        await backend.host_info()
    assert 503 == caught.value.status
    with pytest.raises(BackendUnavailableError):
        await backend.discover()


async def test_host_info(backend: TartBackend) -> None:
    """The host, and Tart's version."""
    host = await backend.host_info()
    assert ("tart", "2.30.0", "hvf") == (host.hypervisor, host.hypervisor_version, host.accelerator)
    assert host.cpus >= 1 and host.memory_mib > 0


async def test_unknown_ids_and_vms_gone_from_tart(backend: TartBackend, tart: FakeTart) -> None:
    """An unmapped id, or a VM deleted with `tart delete`: `BackendVMNotFoundError`."""
    with pytest.raises(BackendVMNotFoundError):
        await backend.observe("vm_nope")
    await backend.create(VMSpec("vm_1", "one", 1, 512, 19, UBUNTU, {}), NullContext())
    tart.ok("delete", "one")
    with pytest.raises(BackendVMNotFoundError, match='"one" does not exist'):
        await backend.observe("vm_1")
    with pytest.raises(BackendVMNotFoundError):
        await backend.start("vm_1", NullContext())
    assert [] == await backend.list_vm_ids()
    with pytest.raises(BackendVMNotFoundError):
        await backend.delete("vm_1", NullContext())
    assert backend.handles.get("vm_1") is None


async def test_tart_errors_carry_their_evidence(backend: TartBackend, tart: FakeTart) -> None:
    """A refused `tart set` is `BackendOperationFailedError` with Tart's message and status."""
    await backend.create(VMSpec("vm_1", "one", 1, 512, 19, UBUNTU, {}), NullContext())
    tart.ok("create", "--linux", "--disk-size", "10", "other")
    with pytest.raises(BackendOperationFailedError, match="already exists") as caught:
        await backend.rename("vm_1", "other")
    assert 64 == caught.value.metadata["exit_code"]
    assert "tart rename one other" in caught.value.metadata["command"]
    assert "one" == backend.handles.get("vm_1")


async def test_discover_and_adopt(backend: TartBackend, tart: FakeTart) -> None:
    """VMs made with `tart` are discovered (sanitised names, sizes, state) and adopted once."""
    await backend.create(VMSpec("vm_1", "mine", 1, 512, 19, UBUNTU, {}), NullContext())
    tart.ok("create", "--linux", "--disk-size", "20", "Outside_VM.1")
    found = await backend.discover()
    assert ["Outside_VM.1"] == [d.handle for d in found]
    vm = found[0]
    assert ("outside-vm-1", 4, 4096, 18, None) == (
        vm.name, vm.cpus, vm.memory_mib, vm.disk_gib, vm.image,
    )  # fmt: skip
    assert PowerState.STOPPED == vm.observation.state
    assert "stopped" == vm.observation.extra["tart_state"]
    await backend.adopt("Outside_VM.1", "vm_2")
    assert [] == await backend.discover()
    assert PowerState.STOPPED == (await backend.observe("vm_2")).state
    with pytest.raises(BackendVMNotFoundError):
        await backend.adopt("ghost", "vm_3")


async def test_what_tart_cannot_do_is_501(backend: TartBackend) -> None:
    """Pause, snapshots, console and screenshots: `CAPABILITY_NOT_SUPPORTED` naming tart."""
    ctx = NullContext()
    calls = [
        backend.pause("vm_1", ctx),
        backend.snapshot_create("vm_1", "s", ctx),
        backend.snapshot_restore("vm_1", "s", ctx),
        backend.snapshot_delete("vm_1", "s", ctx),
        backend.console_read("vm_1", None, 10),
        backend.console_write("vm_1", b"x"),
        backend.screenshot("vm_1"),
    ]
    for call in calls:
        with pytest.raises(CapabilityNotSupportedError) as caught:
            await call
        assert (501, "tart") == (caught.value.status, caught.value.backend)
    capabilities = TART_CAPABILITIES.to_dict()
    assert not any(capabilities[c] for c in ("pause", "snapshots", "console", "screenshot"))


async def test_the_agent_resolver_needs_the_agent(tart: FakeTart, tmp_path: Path) -> None:
    """`ip_resolver=agent`: ready only where the Tart Guest Agent answers."""
    backend = backend_for(tart, tmp_path / "state", ip_resolver="agent", ready_timeout="0.3")
    await backend.create(VMSpec("vm_1", "agent", 1, 512, 19, UBUNTU, {}), NullContext())
    tart.ok("clone", "ghcr.io/cirruslabs/macos-sequoia-vanilla:latest", "vanilla")
    await backend.adopt("vanilla", "vm_2")
    assert (await backend.start("vm_1", NullContext())).ready
    assert not (await backend.start("vm_2", NullContext())).ready
    tart.wait_state("vanilla", "running")
    assert 0 == tart("ip", "vanilla").returncode  # the DHCP lease is there all the same
