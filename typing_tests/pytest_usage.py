"""What a pytest suite using the plugin's fixtures sees."""

from __future__ import annotations

from typing import assert_type

import vmkit
from vmkit.testing import VMFactory, VmkitServer


def test_boots(vmkit_vm: VMFactory, vmkit_server: VmkitServer) -> None:
    vm = vmkit_vm(image="vmkit/test-guest", cpus=2)
    assert_type(vm, vmkit.VM)
    assert_type(vmkit_server.url, str)
