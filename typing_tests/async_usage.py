"""What code using the async client sees."""

from __future__ import annotations

from typing import assert_type

import vmkit


async def lifecycle(client: vmkit.AsyncClient) -> None:
    vm = await client.vms.create("web-1", start=True, wait=True)
    assert_type(vm, vmkit.AsyncVM)
    assert_type(await vm.stop(), vmkit.AsyncOperation)
    async for each in client.vms.list():
        assert_type(each, vmkit.AsyncVM)
    async with client.vms.ephemeral() as temp:
        assert_type(await temp.exec("echo hi"), vmkit.ExecResult)
    operation = await client.vms.start("web-1")
    assert_type(await operation.wait(timeout=60, progress=False), vmkit.AsyncOperation)
