"""Backends built on `NotSupported` define every capability they declare (none falls to a 501)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_capability_matrix import COLUMNS

from vmkit_server.backends import load_backend
from vmkit_server.backends.base import (
    CapabilityNotSupportedError,
    NotSupported,
    NullContext,
)
from vmkit_server.backends.guest import GuestNotSupported

#: The methods that serve each capability.
METHODS = {
    "create": ["create"],
    "delete": ["delete"],
    "start": ["start"],
    "stop": ["stop"],
    "force_stop": ["force_stop"],
    "restart": ["restart"],
    "pause": ["pause"],
    "resume": ["resume"],
    "suspend": ["suspend"],
    "snapshots": ["snapshot_create", "snapshot_restore", "snapshot_delete"],
    "clone": ["clone"],
    "rename": ["rename"],
    "update_resources": ["update_resources"],
    "exec": ["exec"],
    "files": ["read_file", "write_file"],
    "console": ["console_read", "console_write"],
    "screenshot": ["screenshot"],
}
#: TTstack's capabilities follow its engine: every engine is checked.
CONFIGS = [
    *COLUMNS.items(),
    *[("ttstack", {"url": "http://127.0.0.1:9", "engine": e}) for e in ("docker", "bhyve")],
]


@pytest.mark.parametrize(
    ("name", "options"), CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)]
)
def test_every_declared_capability_is_defined(
    tmp_path: Path, name: str, options: dict[str, str]
) -> None:
    """No declared capability is left to the 501 stand-ins of NotSupported/GuestNotSupported."""
    backend = load_backend(name, data_dir=tmp_path, options=options)
    stand_ins = {m: getattr(GuestNotSupported, m) for methods in METHODS.values() for m in methods}
    missing = [
        method
        for capability, methods in METHODS.items()
        if backend.capabilities.supports(capability)
        for method in methods
        if getattr(type(backend), method, None) is stand_ins[method]
    ]
    assert [] == missing


@pytest.mark.anyio
async def test_a_stand_in_answers_501_naming_the_backend() -> None:
    """What a backend does not define raises CAPABILITY_NOT_SUPPORTED with its name."""

    class Minimal(NotSupported):
        name = "minimal"

    with pytest.raises(CapabilityNotSupportedError) as caught:
        await Minimal().snapshot_restore("vm-1", "s1", NullContext())
    assert ("snapshots", "minimal") == (caught.value.capability, caught.value.backend)
