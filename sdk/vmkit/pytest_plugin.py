"""vmkit's pytest plugin: fixtures that hand a test a client, a server and fresh VMs.

pytest loads it through the ``pytest11`` entry point whenever vmkit is installed, so this
module imports only the standard library and pytest; vmkit itself (httpx, the generated
code) and the reference server are imported by the fixtures, when a test asks for one.

Fixtures:

- ``vmkit_server`` (session): the server the tests talk to, a :class:`VmkitServer`. By
  default an in-process reference server on a real loopback socket (simulated backend);
  with ``--vmkit-url`` the server at that URL.
- ``vmkit_client`` / ``vmkit_async_client``: a :class:`vmkit.Client` / :class:`vmkit.AsyncClient`
  on that server, closed after the test.
- ``vmkit_vm``: a :class:`VMFactory`; ``vmkit_vm()`` creates a running VM and every VM it
  made is deleted after the test, passed or failed.

Options: ``--vmkit-url``, ``--vmkit-token``, ``--vmkit-backend``, ``--vmkit-backend-opt``,
``--vmkit-image`` (also ini keys ``vmkit_url``, ``vmkit_backend``, ``vmkit_backend_options``,
``vmkit_image``). Marker:
``@pytest.mark.vmkit(image=..., cpus=..., backend=...)``. See ``docs/testing.md``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Unpack

import pytest

if TYPE_CHECKING:
    from vmkit import VM, AsyncClient, Client
    from vmkit_server.testing import RunningServer

from vmkit.testing import (
    DEFAULT_TTL_SECONDS,
    DELETE_TIMEOUT,
    TEST_LABEL,
    VMFactory,
    VmkitServer,
    VMOptions,
)

# The public types live in vmkit.testing; they are re-exported for existing imports.
__all__ = [
    "DEFAULT_TTL_SECONDS",
    "DELETE_TIMEOUT",
    "TEST_LABEL",
    "VMFactory",
    "VMOptions",
    "VmkitServer",
]

_MARKER_HELP = (
    "vmkit(image=None, cpus=None, memory_mib=None, disk_gib=None, labels=None, "
    "ttl_seconds=None, start=True, backend=None): defaults for the VMs vmkit_vm makes in "
    "this test; backend= skips the test unless the server runs that backend."
)
_SERVER_EXTRA_MISSING = (
    "the vmkit_server fixture starts the reference server in-process, which needs the "
    "server extra: pip install 'vmkit[server]' (or pass --vmkit-url to test against a "
    "running server)"
)


_MARKER_KEYS = frozenset(VMOptions.__annotations__) - {"name"} | {"backend"}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``vmkit`` option group and its ini keys."""
    group = parser.getgroup("vmkit", "vmkit fixtures (vmkit_server, vmkit_client, vmkit_vm)")
    group.addoption(
        "--vmkit-url",
        help="test against the vmkit server at this URL instead of an in-process one",
    )
    group.addoption(
        "--vmkit-token",
        help="token for --vmkit-url (default: $VMKIT_TOKEN, then the local token file)",
    )
    group.addoption(
        "--vmkit-backend",
        help="backend of the in-process server (default: simulated)",
    )
    group.addoption(
        "--vmkit-backend-opt",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="option of that backend, repeatable (a peer system's url=..., token=...)",
    )
    group.addoption("--vmkit-image", help="image of the VMs vmkit_vm makes (default: server's)")
    parser.addini("vmkit_url", "like --vmkit-url")
    parser.addini("vmkit_backend", "like --vmkit-backend")
    parser.addini("vmkit_backend_options", "like --vmkit-backend-opt, one per line", "linelist")
    parser.addini("vmkit_image", "like --vmkit-image")


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``vmkit`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line("markers", _MARKER_HELP)


def _setting(config: pytest.Config, name: str) -> str | None:
    """The option ``--vmkit-<name>``, else the ini key ``vmkit_<name>``, else None."""
    value = config.getoption(f"vmkit_{name}")
    if not value and name != "token":
        value = config.getini(f"vmkit_{name}")
    return str(value) if value else None


def _backend_options(config: pytest.Config) -> dict[str, str]:
    """``--vmkit-backend-opt`` pairs, else the ``vmkit_backend_options`` ini lines."""
    pairs = list(config.getoption("vmkit_backend_opt") or config.getini("vmkit_backend_options"))
    options = {}
    for pair in pairs:
        key, sep, value = str(pair).partition("=")
        if not sep or not key.strip():
            raise pytest.UsageError(f"--vmkit-backend-opt takes KEY=VALUE, got {pair!r}")
        options[key.strip()] = value.strip()
    return options


@pytest.fixture(scope="session")
def vmkit_server(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[VmkitServer]:
    """The server of this test session (one per xdist worker).

    With ``--vmkit-url``: that server (token from ``--vmkit-token`` or ``VMKIT_TOKEN``).
    Otherwise a reference server started in this process on a free loopback port, with
    the ``--vmkit-backend`` backend (default ``simulated``) and its ``--vmkit-backend-opt``
    options (a peer system's ``url=``, say; its token from ``VMKIT_BACKEND_TOKEN`` if not
    given), stopped at the session's end;
    ``VMKIT_URL`` does not change this choice.
    """
    url = _setting(pytestconfig, "url")
    if url is not None:
        token = _setting(pytestconfig, "token") or os.environ.get("VMKIT_TOKEN")
        yield VmkitServer(url=url.rstrip("/"), token=token)
        return
    backend = _setting(pytestconfig, "backend") or "simulated"
    options = _backend_options(pytestconfig)
    start_server = _start_server_function()
    from vmkit_server.backends.peers import PEERS  # the server extra is there, as just checked

    token = os.environ.get("VMKIT_BACKEND_TOKEN")
    if backend in PEERS and token and "token" not in options:
        options["token"] = token  # as vmkit-server reads it: kept off command lines
    running = start_server(
        tmp_path_factory.mktemp("vmkit-server"), backend_name=backend, backend_options=options
    )
    try:
        server = VmkitServer(url=running.url, token=running.token, in_process=running)
        server._backends = frozenset({backend})
        yield server
    finally:
        running.stop()


def _start_server_function() -> Callable[..., RunningServer]:
    """``vmkit_server.testing.start_server``, or a test failure saying how to install it."""
    try:
        from vmkit_server.testing import start_server
    except ImportError as exc:
        reason = str(exc)
    else:
        return start_server
    # Failed here, outside the except block, so the report shows no chained traceback.
    pytest.fail(f"{_SERVER_EXTRA_MISSING} ({reason})", pytrace=False)


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The ``vmkit`` markers' keywords, the closest marker winning (test over class/module)."""
    merged: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("vmkit"))):
        unknown = set(marker.kwargs) - _MARKER_KEYS
        if marker.args or unknown:
            bad = ", ".join(sorted(unknown)) or "positional arguments"
            pytest.fail(
                f"@pytest.mark.vmkit takes keywords {', '.join(sorted(_MARKER_KEYS))}; got {bad}",
                pytrace=False,
            )
        merged.update(marker.kwargs)
    return merged


def _require_backend(request: pytest.FixtureRequest, server: VmkitServer) -> None:
    """Skip the test if its ``vmkit(backend=...)`` marker names a backend the server lacks."""
    wanted = _marker_options(request).get("backend")
    if wanted is None:
        return
    if wanted not in server.backends():
        have = ", ".join(sorted(server.backends())) or "none"
        pytest.skip(f"needs the {wanted!r} backend; the vmkit server runs: {have}")


@pytest.fixture
def vmkit_client(request: pytest.FixtureRequest, vmkit_server: VmkitServer) -> Iterator[Client]:
    """A :class:`vmkit.Client` on ``vmkit_server``, closed after the test."""
    import vmkit

    _require_backend(request, vmkit_server)
    with vmkit.Client(vmkit_server.url, vmkit_server.token) as client:
        yield client


@pytest.fixture
async def vmkit_async_client(
    request: pytest.FixtureRequest, vmkit_server: VmkitServer
) -> AsyncIterator[AsyncClient]:
    """A :class:`vmkit.AsyncClient` on ``vmkit_server`` for ``@pytest.mark.anyio`` tests."""
    import vmkit

    _require_backend(request, vmkit_server)
    async with vmkit.AsyncClient(vmkit_server.url, vmkit_server.token) as client:
        yield client


def _vm_name_for(test_name: str) -> str:
    """A fresh valid VM name from a test's name: ``test_boot[x]`` -> ``test-boot-x-1a2b3c``.

    At most 59 characters; the random suffix keeps runs and xdist workers that share a
    server from colliding.
    """
    base = re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")[:52].rstrip("-")
    return f"{base or 'vm'}-{secrets.token_hex(3)}"


class _Factory:
    """``vmkit_vm``: makes VMs for one test and deletes them all afterwards."""

    def __init__(
        self, client: Client, request: pytest.FixtureRequest, defaults: dict[str, Any]
    ) -> None:
        self._client = client
        self._test_name: str = request.node.name
        self._defaults = defaults
        self._label = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
        self._made: list[tuple[str, str]] = []  # (id, name), in creation order

    def __call__(self, **options: Unpack[VMOptions]) -> VM:
        spec: dict[str, Any] = {"ttl_seconds": DEFAULT_TTL_SECONDS, "start": True}
        spec.update(self._defaults)
        spec.update(options)
        spec.pop("backend", None)
        name = spec.pop("name", None) or _vm_name_for(self._test_name)
        wait_timeout = spec.pop("wait_timeout", None)
        spec["labels"] = {**(spec.get("labels") or {}), TEST_LABEL: self._label}
        # Create without waiting so the VM is recorded for deletion as soon as it exists,
        # even if provisioning then fails or the wait is interrupted.
        operation = self._client.vms.create(name, **spec)
        vm_id = str(operation.target.get("id") or name)
        self._made.append((vm_id, name))
        operation.wait(wait_timeout)
        return self._client.vms.get(vm_id)

    def delete_all(self) -> list[str]:
        """Delete every VM made, newest first; return a line per VM that could not be."""
        failures = []
        for vm_id, name in reversed(self._made):
            error = self._delete(vm_id)
            if error is not None:
                failures.append(f"{name} ({vm_id}): {error}")
        self._made.clear()
        return failures

    def _delete(self, vm_id: str, attempts: int = 3) -> str | None:
        """Delete one VM (already gone is fine); the reason it failed, or None."""
        from vmkit.errors import NotFoundError, OperationInProgressError, VmkitError

        for _ in range(attempts):
            try:
                self._client.vms.delete(vm_id, force=True, wait=True, wait_timeout=DELETE_TIMEOUT)
                return None
            except NotFoundError:
                return None
            except OperationInProgressError as exc:
                if exc.operation_id is None:
                    return str(exc)
                # An operation the test left running holds the VM: let it end, however it
                # ends, then try again.
                with contextlib.suppress(VmkitError):
                    self._client.operations.wait(exc.operation_id, timeout=DELETE_TIMEOUT)
            except VmkitError as exc:
                return str(exc)
        return f"still busy after {attempts} attempts"


@pytest.fixture
def vmkit_vm(
    request: pytest.FixtureRequest, pytestconfig: pytest.Config, vmkit_client: Client
) -> Iterator[VMFactory]:
    """A :class:`VMFactory`: ``vm = vmkit_vm()`` gives a fresh running VM.

    Defaults come from the ``vmkit`` marker, then ``--vmkit-image``. Every VM it made is
    deleted after the test (forced, waited for), also when the test failed; a VM that
    could not be deleted makes the test error at teardown, naming it. VMs get the
    ``vmkit-test`` label and a TTL of :data:`DEFAULT_TTL_SECONDS` as a safety net.
    """
    defaults: dict[str, Any] = {}
    image = _setting(pytestconfig, "image")
    if image is not None:
        defaults["image"] = image
    defaults.update(_marker_options(request))
    factory = _Factory(vmkit_client, request, defaults)
    yield factory
    failures = factory.delete_all()
    if failures:
        pytest.fail(
            f"vmkit_vm could not delete {len(failures)} VM(s), left on {vmkit_client.base_url}:\n"
            + "\n".join(f"  {line}" for line in failures),
            pytrace=False,
        )
