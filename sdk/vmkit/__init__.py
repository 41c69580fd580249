"""vmkit: create, drive and throw away virtual machines from Python.

``vmkit.Client`` and ``vmkit.AsyncClient`` talk to a vmkit server; errors live in
:mod:`vmkit.errors`, the webhook verifier in :mod:`vmkit.webhooks`. Names are imported on
first use, so ``import vmkit`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vmkit import errors, webhooks
    from vmkit._async._event_stream import AsyncEventStream
    from vmkit._async._operation import AsyncOperation
    from vmkit._async._pagination import AsyncPaginator
    from vmkit._async._vm import AsyncVM
    from vmkit._async.client import AsyncClient
    from vmkit._core.events import Event, StreamReset
    from vmkit._core.guest import ConsoleOutput, ExecResult
    from vmkit._core.lists import ResourceList
    from vmkit._core.media import Screenshot
    from vmkit._sync._event_stream import EventStream
    from vmkit._sync._operation import Operation
    from vmkit._sync._pagination import Paginator
    from vmkit._sync._vm import VM
    from vmkit._sync.client import Client

    __version__: str

__all__ = [
    "VM",
    "AsyncClient",
    "AsyncEventStream",
    "AsyncOperation",
    "AsyncPaginator",
    "AsyncVM",
    "Client",
    "ConsoleOutput",
    "Event",
    "EventStream",
    "ExecResult",
    "Operation",
    "Paginator",
    "ResourceList",
    "Screenshot",
    "StreamReset",
    "__version__",
    "errors",
    "webhooks",
]

# Where each public name is defined; imported by __getattr__ on first access.
_LAZY = {
    "AsyncClient": "vmkit._async.client",
    "AsyncEventStream": "vmkit._async._event_stream",
    "AsyncOperation": "vmkit._async._operation",
    "AsyncPaginator": "vmkit._async._pagination",
    "AsyncVM": "vmkit._async._vm",
    "Client": "vmkit._sync.client",
    "ConsoleOutput": "vmkit._core.guest",
    "Event": "vmkit._core.events",
    "EventStream": "vmkit._sync._event_stream",
    "ExecResult": "vmkit._core.guest",
    "Operation": "vmkit._sync._operation",
    "Paginator": "vmkit._sync._pagination",
    "ResourceList": "vmkit._core.lists",
    "Screenshot": "vmkit._core.media",
    "StreamReset": "vmkit._core.events",
    "VM": "vmkit._sync._vm",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from vmkit._core.version import sdk_version

        return sdk_version()
    if name in {"errors", "webhooks"}:
        return importlib.import_module(f"vmkit.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vmkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _register_with_ipython() -> None:
    # Snapshots are generated models, which cannot carry _repr_html_: inside IPython or
    # Jupyter, tell the running shell how to show them. Outside, IPython is not imported.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from vmkit._core.display import register_ipython_formatters

        register_ipython_formatters(shell.display_formatter)


_register_with_ipython()
