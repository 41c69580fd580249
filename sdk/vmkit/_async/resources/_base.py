"""What every resource shares: the client, its API, and turning answers into handles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from vmkit._async._api import AsyncAPI, OperationModel
from vmkit._async._operation import AsyncOperation
from vmkit._async._vm import AsyncVM
from vmkit._core.options import request_options
from vmkit.types import CallOptions, LabelFilter, StateFilter

if TYPE_CHECKING:
    from vmkit._async.client import AsyncClient

__all__ = ["AsyncResource", "VMRef", "label_list", "state_list", "vm_ref"]

#: A VM given by name, by id, or as a handle.
VMRef = str | AsyncVM


class AsyncResource:
    """Base of the client's resources (``client.vms``, ``client.snapshots``, ...).

    Args:
        client: The client the resource belongs to (handles keep it to act on themselves).
        api: The client's API.
    """

    def __init__(self, client: AsyncClient, api: AsyncAPI) -> None:
        self._client = client
        self._api = api

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _operation(self, model: OperationModel) -> AsyncOperation:
        return AsyncOperation(self._api, model)

    async def _finish(
        self, model: OperationModel, vm: str, *, wait: bool, options: CallOptions
    ) -> AsyncOperation | AsyncVM:
        """The operation, or with ``wait`` the VM ``vm`` once the operation succeeded."""
        operation = self._operation(model)
        if not wait:
            return operation
        await operation.wait(options.get("wait_timeout"), progress=options.get("progress"))
        return AsyncVM(self._client, await self._api.get_vm(vm, **request_options(options)))


def vm_ref(vm: VMRef) -> str:
    """The path segment for a VM: a handle's id, else the given name or id.

    Args:
        vm: A name, an id or a handle.

    Returns:
        The name or id to put in the URL.
    """
    return vm.id if isinstance(vm, AsyncVM) else vm


def state_list(state: StateFilter | None) -> list[str] | None:
    """Normalise a state filter to a list (None stays None)."""
    if state is None:
        return None
    return [state] if isinstance(state, str) else list(state)


def label_list(label: LabelFilter | None) -> list[str] | None:
    """Normalise a label filter to ``key=value`` strings (None stays None)."""
    if label is None:
        return None
    if isinstance(label, str):
        return [label]
    if isinstance(label, Mapping):
        return [f"{key}={value}" for key, value in label.items()]
    if isinstance(label, Sequence):
        return list(label)
    raise TypeError(f"label must be a str, a list of str or a dict, not {type(label).__name__}")
