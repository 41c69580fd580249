"""The helpers every peer adapter shares: the id-to-handle map and option parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from vmkit_server.backends.base import BackendOperationFailedError, BackendVMNotFoundError
from vmkit_server.backends.peers._common import HandleMap, parse_peer_options


def test_handles_survive_a_restart_and_adoption_is_exclusive(tmp_path: Path) -> None:
    """A map saved by one adapter is read by the next; one handle maps to one vmkit id."""
    first = HandleMap(tmp_path / "handles.json", backend="lume")
    first.adopt("vm_1", "Old VM")
    first.adopt("vm_1", "Old VM")  # again for the same id: harmless
    with pytest.raises(BackendOperationFailedError, match="lume VM 'Old VM' is already vmkit VM"):
        first.adopt("vm_2", "Old VM")
    again = HandleMap(tmp_path / "handles.json", backend="lume")
    assert ("Old VM", "vm_1") == (again.require("vm_1"), again.vm_id("Old VM"))
    assert "Old VM" == again.pop("vm_1")
    with pytest.raises(BackendVMNotFoundError, match="no VM 'vm_1'"):
        again.require("vm_1")


def test_adapter_seconds_options_are_checked_by_name() -> None:
    """An adapter's own timeout options parse as seconds above 0, or fail naming the key."""
    opts = parse_peer_options("x", {"url": "http://h", "wait": "2.5"}, extra=("wait",))
    assert (2.5, 9.0) == (opts.seconds("wait", 1), opts.seconds("other", 9))
    for bad in ("soon", "0"):
        bad_opts = parse_peer_options("x", {"url": "http://h", "wait": bad}, extra=("wait",))
        with pytest.raises(ValueError, match="x option wait must"):
            bad_opts.seconds("wait", 1)
