"""Serving a fake on a real socket, and what a fake hands the conformance suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vmkit_server.testing import serve_asgi

__all__ = ["ConformanceSetup", "serve_app"]


@dataclass
class ConformanceSetup:
    """How the conformance suite runs a vmkit server on one backend.

    Attributes:
        backend_name: The `--backend` name.
        backend_options: The backend's options (url, token, ...).
        create: Extra `client.vms.create` arguments a VM of this backend needs (image,
            sizes); the suite adds the name.
        make_outside_vm: Creates a VM with the given name directly on the system, bypassing
            vmkit, and returns the system's handle for it (what the backend reports as
            `DiscoveredVM.handle`: a name, or an id where the system has ids); the suite
            checks vmkit adopts it. None if the backend does not adopt.
    """

    backend_name: str
    backend_options: dict[str, str]
    create: dict[str, Any] = field(default_factory=dict)
    make_outside_vm: Callable[[str], str] | None = None


#: Serves a fake on 127.0.0.1 and a free port in a thread; yields its base URL.
serve_app = serve_asgi
