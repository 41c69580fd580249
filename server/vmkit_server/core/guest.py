"""Reaching into a running guest: exec, files, console and screenshots."""

from __future__ import annotations

import base64
from posixpath import normpath
from typing import Any

from ..backends.guest import ConsoleChunk, ExecRequest, ExecResult, GuestAccess
from ..problems import ProblemError
from ..store import OperationRow, Tx, VMRow
from . import errors
from .context import Services
from .events import operation_event
from .guards import check_if_match, load_vm, require_capability, require_state
from .ids import new_id
from .runner import Job, RunContext
from .states import ACTIONS, VMState

__all__ = ["MAX_DOWNLOAD_BYTES", "Guest", "check_guest_path", "exec_result_view"]

#: The largest file a download returns (413 beyond).
MAX_DOWNLOAD_BYTES = 64 << 20


def check_guest_path(path: str) -> str:
    """A guest path as given, if it is absolute and clean; 422 otherwise.

    Args:
        path: The ``path`` query parameter.

    Returns:
        The path, unchanged.

    Raises:
        ProblemError: 422 `VALIDATION_FAILED` for a relative path, a ``..`` segment or NUL.
    """
    parts = path.split("/")
    if not path.startswith("/") or "\x00" in path or ".." in parts or normpath(path) == "/":
        raise ProblemError(
            422,
            "VALIDATION_FAILED",
            "path must be an absolute file path in the guest without '..' segments",
            errors=[
                {
                    "location": "query",
                    "pointer": "/path",
                    "detail": f"{path!r} is not an absolute, normalised file path",
                    "keyword": "pattern",
                }
            ],
        )
    return path


def exec_result_view(result: ExecResult) -> dict[str, Any]:
    """The API's ``ExecResult`` for a backend's result (output decoded as UTF-8)."""
    return {
        "exit_code": result.exit_code,
        "stdout": result.stdout.decode("utf-8", errors="replace"),
        "stderr": result.stderr.decode("utf-8", errors="replace"),
        "stdout_truncated": result.stdout_truncated,
        "stderr_truncated": result.stderr_truncated,
        "duration_seconds": round(result.duration_seconds, 6),
    }


def _console_view(chunk: ConsoleChunk) -> dict[str, Any]:
    return {
        "data": chunk.data.decode("utf-8", errors="replace"),
        "offset": chunk.offset,
        "next_offset": chunk.next_offset,
        "start_offset": chunk.start_offset,
    }


class Guest:
    """The guest-access service (capabilities `exec`, `files`, `console`, `screenshot`).

    Args:
        svc: The shared services.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    def _backend(self, capability: str) -> GuestAccess:
        backend = self._svc.backend
        require_capability(backend, capability)
        if not isinstance(backend, GuestAccess):
            raise errors.capability_not_supported(backend.name, capability)
        return backend

    def _vm(self, ref: str, action: str, *, running: bool, if_match: str | None = None) -> VMRow:
        with self._svc.store.read() as tx:
            vm = load_vm(tx, ref)
        check_if_match(ref, vm.id, vm.generation, if_match)
        if running:
            require_state(vm, action, {VMState.RUNNING})
        return vm

    async def exec(
        self, ref: str, body: dict[str, Any], *, if_match: str | None
    ) -> dict[str, Any] | OperationRow:
        """Run a command; its result, or with ``wait: false`` the operation running it.

        Raises:
            ProblemError: 404, 409 (not running, guest not ready), 412, 501, 504.
        """
        backend = self._backend("exec")
        action = ACTIONS["exec"]
        vm = self._vm(ref, action.name, running=True, if_match=if_match)
        request = ExecRequest(
            command=body["command"],
            env=dict(body.get("env") or {}),
            stdin=str(body.get("stdin", "")).encode(),
            timeout_seconds=float(body.get("timeout_seconds", 60)),
        )
        if body.get("wait", True):
            return exec_result_view(await backend.exec(vm.id, request))
        return self._exec_operation(backend, vm, request)

    def _exec_operation(
        self, backend: GuestAccess, vm: VMRow, request: ExecRequest
    ) -> OperationRow:
        svc = self._svc
        with svc.store.tx() as tx:
            # An exec does not drive the VM: it is recorded without making the VM busy.
            op = tx.insert_operation(
                id=new_id("op"),
                kind=ACTIONS["exec"].kind,
                target_type="vm",
                target_id=vm.id,
                target_name=vm.name,
                vm_id=vm.id,
                state="pending",
                params={"vm_id": vm.id, "argv": request.argv},
            )
            operation_event(tx, "operation.created", op)

        async def run(ctx: RunContext) -> dict[str, Any]:
            ctx.log(f"running {request.argv!r}")
            result = exec_result_view(await backend.exec(vm.id, request))
            ctx.log(f"exited with status {result['exit_code']}")
            return result

        async def nothing_to_recover() -> None:
            return None

        def settle(tx: Tx, result: dict[str, Any]) -> dict[str, Any]:
            return result

        def settle_failure(tx: Tx, problem: dict[str, Any], obs: None) -> None:
            return None

        svc.runner.submit(Job(op.id, run, settle, nothing_to_recover, settle_failure))
        return op

    async def read_file(self, ref: str, path: str) -> bytes:
        """A file's bytes from the guest.

        Raises:
            ProblemError: 404 (VM or file), 409, 413, 422, 501.
        """
        backend = self._backend("files")
        check_guest_path(path)  # a bad request is 422 whatever the VM's state
        vm = self._vm(ref, "download", running=True)
        return await backend.read_file(vm.id, path, max_bytes=MAX_DOWNLOAD_BYTES)

    async def write_file(
        self, ref: str, path: str, data: bytes, *, mode: str | None
    ) -> dict[str, Any]:
        """Create or replace a file in the guest.

        Raises:
            ProblemError: 404, 409, 422, 501.
        """
        backend = self._backend("files")
        check_guest_path(path)
        vm = self._vm(ref, "upload", running=True)
        await backend.write_file(vm.id, path, data, mode=int(mode, 8) if mode else None)
        return {"path": path, "size_bytes": len(data)}

    async def console_read(self, ref: str, offset: int | None, max_bytes: int) -> dict[str, Any]:
        """Buffered console output (in any state: the log outlives the boot that wrote it)."""
        backend = self._backend("console")
        vm = self._vm(ref, "console", running=False)
        return _console_view(await backend.console_read(vm.id, offset, max_bytes))

    async def console_write(self, ref: str, data: str) -> dict[str, Any]:
        """Type into the serial console of a running VM."""
        backend = self._backend("console")
        vm = self._vm(ref, "console input", running=True)
        raw = data.encode()
        await backend.console_write(vm.id, raw)
        return {"sent_bytes": len(raw)}

    async def screenshot(self, ref: str) -> bytes:
        """The running VM's display as PNG bytes."""
        backend = self._backend("screenshot")
        vm = self._vm(ref, "screenshot", running=True)
        png = await backend.screenshot(vm.id)
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ProblemError(
                500,
                "BACKEND_OPERATION_FAILED",
                "the backend's screenshot is not a PNG image",
                metadata={"head": base64.b64encode(png[:16]).decode()},
            )
        return png
