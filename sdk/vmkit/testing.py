"""Helpers for testing code that uses vmkit: a local server, and the plugin's types.

The pytest plugin (:mod:`vmkit.pytest_plugin`, loaded automatically) gives tests the
``vmkit_server``, ``vmkit_client``, ``vmkit_async_client`` and ``vmkit_vm`` fixtures;
annotate them with the types here::

    from vmkit.testing import VMFactory

    def test_boots(vmkit_vm: VMFactory) -> None:
        assert vmkit_vm().state == "running"

Outside pytest (a notebook, a unittest suite, a script), :func:`local_server` starts the
same in-process reference server.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypedDict, Unpack

if TYPE_CHECKING:
    from vmkit import VM
    from vmkit_server.testing import RunningServer

__all__ = [
    "DEFAULT_TTL_SECONDS",
    "DELETE_TIMEOUT",
    "TEST_LABEL",
    "VMFactory",
    "VMOptions",
    "VmkitServer",
    "local_server",
]

#: The lifetime ``vmkit_vm`` gives a VM unless told otherwise: the server deletes it after
#: this many seconds even if the test run was killed before its teardown.
DEFAULT_TTL_SECONDS = 3600
#: How long the teardown waits for one VM's deletion.
DELETE_TIMEOUT = 300.0
#: The label every VM made by ``vmkit_vm`` carries; its value is a hash of the test's node id.
TEST_LABEL = "vmkit-test"


class VMOptions(TypedDict, total=False):
    """What ``vmkit_vm(...)`` (and the ``vmkit`` marker, plus ``backend``) accepts.

    Every key is optional; left out, it comes from the ``vmkit`` marker, then the
    command line (``--vmkit-image``), then the server's default.

    Attributes:
        name: The VM's name (default: derived from the test's name, plus a random suffix).
        image: The image to create it from.
        cpus: Virtual CPUs.
        memory_mib: Memory in MiB.
        disk_gib: Disk size in GiB.
        labels: Extra labels (the ``vmkit-test`` label is always added).
        ttl_seconds: Lifetime from creation (default :data:`DEFAULT_TTL_SECONDS`; None: none).
        start: Boot the VM once created (default True).
        wait_timeout: Seconds to wait for the VM to be created (default: as long as it takes).
    """

    name: str
    image: str | None
    cpus: int | None
    memory_mib: int | None
    disk_gib: int | None
    labels: dict[str, str] | None
    ttl_seconds: int | None
    start: bool
    wait_timeout: float | None


class VMFactory(Protocol):
    """The type of the ``vmkit_vm`` fixture: ``vmkit_vm(**options)`` returns a fresh ``vmkit.VM``.

    ``options`` are those of :class:`VMOptions`. The VM is created and waited for (running,
    unless ``start=False``); it is deleted after the test.
    """

    def __call__(self, **options: Unpack[VMOptions]) -> VM:
        """Create a VM, wait until it is created (and running, by default), return it.

        Args:
            **options: See :class:`VMOptions`.

        Returns:
            The VM's handle.

        Raises:
            vmkit.errors.VmkitError: If the server refuses the VM or provisioning fails
                (the VM, if it was made, is still deleted after the test).
        """
        ...


@dataclass
class VmkitServer:
    """The server the fixtures talk to (the ``vmkit_server`` fixture).

    Attributes:
        url: Its base URL.
        token: The token the clients send; None lets ``vmkit.Client`` find one
            (``VMKIT_TOKEN``, or a local server's token file).
        in_process: The in-process server (its ``backend`` for fault injection, ``call``
            to run on its loop), or None when testing against ``--vmkit-url``.
    """

    url: str
    token: str | None
    in_process: RunningServer | None = None
    _backends: frozenset[str] | None = field(default=None, init=False, repr=False)

    def backends(self) -> frozenset[str]:
        """The backends the server's hosts run (asked once, then remembered).

        Returns:
            Backend names, e.g. ``frozenset({"simulated"})``.
        """
        if self._backends is None:
            import vmkit

            with vmkit.Client(self.url, self.token) as client:
                self._backends = frozenset(host.backend for host in client.hosts.list())
        return self._backends


@contextlib.contextmanager
def local_server(
    data_dir: Path | None = None,
    *,
    backend: str = "simulated",
    backend_options: Mapping[str, str] | None = None,
) -> Iterator[VmkitServer]:
    """Run the reference server in this process, on a free loopback port, for a block.

    ::

        with local_server() as server:
            client = vmkit.Client(server.url, server.token)

    Args:
        data_dir: Where the server keeps its database and VMs (a temporary directory,
            removed afterwards, when None).
        backend: The backend to run (``simulated`` needs nothing installed).
        backend_options: Its options, as ``vmkit-server --backend-opt`` takes them (a peer
            system's ``url`` and ``token``, say).

    Yields:
        The running server (``url``, ``token``, ``in_process``).

    Raises:
        ImportError: If the server extra is not installed (``pip install 'vmkit[server]'``).
    """
    from vmkit_server.testing import start_server

    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "data"
        running = start_server(
            data_dir, backend_name=backend, backend_options=dict(backend_options or {})
        )
        stack.callback(running.stop)
        server = VmkitServer(url=running.url, token=running.token, in_process=running)
        server._backends = frozenset({backend})
        yield server
