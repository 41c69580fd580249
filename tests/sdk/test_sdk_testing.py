"""vmkit.testing: the plugin's public types and local_server() for code outside pytest."""

from __future__ import annotations

import pytest

import vmkit
import vmkit.pytest_plugin
import vmkit.testing
from vmkit.errors import APIConnectionError


def test_public_names_are_documented_and_shared_with_the_plugin() -> None:
    """Every name in vmkit.testing.__all__ has a docstring; the plugin uses the same types."""
    assert sorted(vmkit.testing.__all__) == vmkit.testing.__all__
    for name in vmkit.testing.__all__:
        value = getattr(vmkit.testing, name)
        assert isinstance(value, int | float | str) or value.__doc__, name
    assert vmkit.pytest_plugin.VMFactory is vmkit.testing.VMFactory
    assert vmkit.pytest_plugin.VmkitServer is vmkit.testing.VmkitServer


def test_local_server_serves_a_block_and_stops_after_it() -> None:
    """Inside the block the server answers with its token; after it, nothing listens."""
    with vmkit.testing.local_server() as server:
        assert server.in_process is not None
        assert frozenset({"simulated"}) == server.backends()
        with vmkit.Client(server.url, server.token, max_retries=0) as client:
            vm = client.vms.create("local", start=True, wait=True)
            assert "running" == vm.state
    with (
        vmkit.Client(server.url, server.token, max_retries=0) as client,
        pytest.raises(APIConnectionError),
    ):
        client.health()
