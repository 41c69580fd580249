"""A fake CiderStack Fleet node: its JSON-RPC API (seed 000) as a Starlette app.

Every method of the document's table (43) and its 7 internal migration methods answer at
`POST /rpc/<Method>`. It follows the document, and the vendor's Python SDK where the
document is silent (`spec/peers/ciderstack.yaml` says which is which):

- auth is in the body: `apiToken` (`csk_...`, `fullAccess` or `readOnly`) or the
  `callerNodeID` of a paired node; none, an unknown one, or a read-only token on a
  mutating method answers 403 `{"success": false, "error": ...}`; `RequestPairing` and
  `CompletePairing` need none;
- a refused call answers HTTP 200 `{"success": false, "error": "VM not found"}`; a body
  that is not a JSON object answers 400, an unknown method 404, both in the same shape;
- `StartVM` boots through `starting`, `StopVM` powers off through `stopping` (one
  `step_seconds` each); `SuspendVM` pauses and `StartVM` runs a paused VM again; at most
  two macOS VMs hold a run slot (starting, running, paused or stopping) at once;
- `CreateVMOnNode`, `PullOCIImageOnNode`, `PushImage` and `DownloadIPSWOnNode` run as
  tasks that advance one step per `step_seconds` (`GetTasks`); a created VM is listed once
  its task completes.

Test hooks (`fake.crash`, `fake.power_off_from_guest`) change what the node reports.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._ciderstack_admin import AdminMethods, ok
from ._ciderstack_state import VM, Node, RPCError, integer, required
from ._support import ConformanceSetup, serve_app

__all__ = [
    "DEFAULT_IMAGE",
    "DEFAULT_IPSW",
    "MUTATING",
    "READ_ONLY_TOKEN",
    "TOKEN",
    "CiderStackFake",
    "conformance_setup",
    "create_app",
]

TOKEN = "csk_fake0full0access0token0000001"
READ_ONLY_TOKEN = "csk_fake0read0only0token000000002"
DEFAULT_IMAGE = "ghcr.io/ciderstack/macos-sequoia:15.3"
DEFAULT_IPSW = "/Users/Shared/CiderStack/IPSW/UniversalMac_15.3_24D60_Restore.ipsw"
# fmt: off
#: The document's "Mutating: Yes" methods, and the internal ones (node-to-node writes).
MUTATING = frozenset({
    "StartVM", "StopVM", "SuspendVM", "StartVMRecovery", "CreateSnapshot", "RestoreSnapshot",
    "DeleteSnapshot", "CloneVM", "RenameVM", "DeleteVM", "UpdateVMSettings", "PushImage",
    "DownloadIPSWOnNode", "PullOCIImageOnNode", "CreateVMOnNode", "ExecCommand",
    "GenerateAPIToken", "RevokeAPIToken", "CreateTemplateFromVM", "DeleteTemplate",
    "AddSharedFolder", "RemoveSharedFolder", "SetSharedFolderEnabled", "Unpair", "CleanupVMs",
    "PrepareMigration", "GetMigrationChunk", "CompleteMigration", "CancelMigration",
    "PrepareReceive", "ReceiveChunk", "FinalizeMigration",
})
# fmt: on
_NO_AUTH = frozenset({"RequestPairing", "CompletePairing"})
_INTENTS = frozenset({"disposable", "persistent", "interactive", "ci"})


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"success": False, "error": message}, status_code=status)


class CiderStackFake(AdminMethods):
    """The fake node's API: auth, then one handler per method (`rpc_<Method>`).

    Args:
        token: A `fullAccess` API token.
        read_only_token: A `readOnly` API token, if any.
        step_seconds: How long one step of anything takes.
        clock: The monotonic clock.
        ssh_user: The guest user `ExecCommand` accepts.
        ssh_password: Their password.
        pairing_code: The code `RequestPairing` accepts.
    """

    def __init__(
        self,
        *,
        token: str,
        read_only_token: str | None,
        step_seconds: float,
        clock: Callable[[], float],
        ssh_user: str,
        ssh_password: str,
        pairing_code: str,
    ) -> None:
        self.node = Node(
            step_seconds=step_seconds,
            clock=clock,
            ssh_user=ssh_user,
            ssh_password=ssh_password,
            images=[DEFAULT_IMAGE],
            ipsws=[DEFAULT_IPSW],
        )
        self.lock = threading.Lock()
        self.tokens: dict[str, dict[str, Any]] = {}
        self.trusted: dict[str, str] = {}
        self.pairings: dict[str, str] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        self.migrations: set[str] = set()
        self.pairing_code = pairing_code
        self.calls: list[str] = []  #: every method called, in order (for tests)
        self._add_token("admin", "fullAccess", token)
        if read_only_token is not None:
            self._add_token("read-only", "readOnly", read_only_token)

    # -- HTTP --------------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> JSONResponse:
        """`POST /rpc/<Method>`."""
        method = request.path_params["method"]
        handler = getattr(self, f"rpc_{method}", None)
        if handler is None:
            return _error(404, f"Unknown method: {method}")
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return _error(400, "Invalid JSON body")
        with self.lock:
            self.calls.append(method)
            refusal = self._refusal(method, body)
            if refusal is not None:
                return _error(403, refusal)
            self.node.advance()
            try:
                return JSONResponse(handler(body))
            except RPCError as exc:
                return JSONResponse({"success": False, "error": exc.message})

    def _refusal(self, method: str, body: dict[str, Any]) -> str | None:
        if method in _NO_AUTH:
            return None
        token, node = body.get("apiToken"), body.get("callerNodeID")
        if token is None and node is None:
            return "Authentication required: apiToken or callerNodeID"
        if token is None:
            return None if node in self.trusted else "Unknown or untrusted callerNodeID"
        entry = self.tokens.get(str(token))
        if entry is None:
            return "Invalid API token"
        entry["lastUsedAt"] = datetime.now(UTC).isoformat()
        if method in MUTATING and entry["permissions"] != "fullAccess":
            return f"API token is read-only: {method} needs a fullAccess token"
        return None

    # -- test hooks --------------------------------------------------------------------------

    def crash(self, vm_id: str) -> None:
        """The VM's guest fails: it shows `error`."""
        with self.lock:
            self.node.crash(vm_id)

    def power_off_from_guest(self, vm_id: str) -> None:
        """The VM's guest shuts itself down: it shows `stopped`."""
        with self.lock:
            self.node.power_off_from_guest(vm_id)

    # -- tasks, VMs --------------------------------------------------------------------------

    def rpc_GetTasks(self, body: dict[str, Any]) -> dict[str, Any]:
        done = ("completed", "failed", "cancelled")
        every = bool(body.get("includeCompleted", False))
        tasks = [t for t in self.node.tasks.values() if every or t.status not in done]
        return {"tasks": [t.public() for t in tasks]}

    def rpc_ListVMs(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"vms": [vm.public() for vm in self.node.vms.values()]}

    def rpc_StartVM(self, body: dict[str, Any]) -> dict[str, Any]:
        self.node.start(self.node.vm(body))
        return ok()

    def rpc_StartVMRecovery(self, body: dict[str, Any]) -> dict[str, Any]:
        self.node.start(self.node.vm(body), recovery=True)
        return ok("Starting in recovery mode")

    def rpc_StopVM(self, body: dict[str, Any]) -> dict[str, Any]:
        self.node.stop(self.node.vm(body))
        return ok()

    def rpc_SuspendVM(self, body: dict[str, Any]) -> dict[str, Any]:
        self.node.suspend(self.node.vm(body))
        return ok()

    def rpc_CreateVMOnNode(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.node.create_vm(body)

    def rpc_CloneVM(self, body: dict[str, Any]) -> dict[str, Any]:
        source, name = self.node.vm(body), str(required(body, "newName"))
        if source.state in ("starting", "running", "stopping"):
            raise RPCError("VM must be stopped to clone")
        clone = VM(
            str(uuid.uuid4()).upper(),
            name,
            source.cpu_count,
            source.memory_mb,
            source.disk_gb,
            source.os_version,
        )
        self.node.vms[clone.id] = clone
        self.node.event("vmCloned", f"VM {source.name} cloned to {name}", clone)
        return ok("VM cloned", newVM=clone.public())

    def rpc_RenameVM(self, body: dict[str, Any]) -> dict[str, Any]:
        self.node.vm(body).name = str(required(body, "newName"))
        return ok()

    def rpc_DeleteVM(self, body: dict[str, Any]) -> dict[str, Any]:
        vm = self.node.vm(body)
        if vm.state != "stopped" and vm.state != "error":
            raise RPCError("VM must be stopped before it is deleted")
        del self.node.vms[vm.id]
        self.node.event("vmDeleted", f"VM {vm.name} deleted", vm)
        return ok("VM deleted")

    def rpc_GetVMSettings(self, body: dict[str, Any]) -> dict[str, Any]:
        vm = self.node.vm(body)
        expires = vm.expires_at.isoformat() if vm.expires_at else None
        return {
            "success": True,
            "configuration": {
                "cpuCount": vm.cpu_count,
                "memorySize": vm.memory_mb,
                "diskSizeGB": vm.disk_gb,
                **vm.settings,
                "expiresAt": expires,
            },
        }

    def rpc_UpdateVMSettings(self, body: dict[str, Any]) -> dict[str, Any]:
        vm = self.node.vm(body)
        cpus = integer(body, "cpuCount", vm.cpu_count)
        memory = integer(body, "memorySize", vm.memory_mb)
        if (cpus, memory) != (vm.cpu_count, vm.memory_mb) and vm.state != "stopped":
            raise RPCError("VM must be stopped to change CPU or memory")
        if cpus < 1 or memory < 1024:
            raise RPCError("Invalid configuration: cpuCount >= 1, memorySize >= 1024")
        intent = body.get("intent", vm.settings["intent"])
        if intent is not None and intent not in _INTENTS:
            raise RPCError(f"Invalid intent: {intent}")
        vm.cpu_count, vm.memory_mb, vm.settings["intent"] = cpus, memory, intent
        for key in ("displayWidth", "displayHeight"):
            vm.settings[key] = integer(body, key, vm.settings[key])
        if "ttlSeconds" in body:
            ttl = integer(body, "ttlSeconds", -1)
            vm.expires_at = None if ttl < 0 else datetime.now(UTC) + timedelta(seconds=ttl)
        return ok("Settings updated")

    def rpc_CleanupVMs(self, body: dict[str, Any]) -> dict[str, Any]:
        now, force = datetime.now(UTC), bool(body.get("force", False))
        gone = [vm for vm in self.node.vms.values() if vm.expires_at and vm.expires_at <= now]
        gone = [vm for vm in gone if force or vm.state in ("stopped", "error")]
        for vm in gone:
            del self.node.vms[vm.id]
        return ok(f"Cleaned up {len(gone)} VMs", cleanedCount=len(gone))

    def rpc_ExecCommand(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.node.exec(self.node.vm(body), body)

    # -- snapshots ---------------------------------------------------------------------------

    def rpc_ListSnapshots(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"snapshots": list(self.node.vm(body).snapshots.values())}

    def rpc_CreateSnapshot(self, body: dict[str, Any]) -> dict[str, Any]:
        vm, name = self.node.vm(body), str(required(body, "name"))
        if vm.state in ("starting", "stopping"):
            raise RPCError(f"VM is {vm.state}")
        snap = {
            "id": self.node.next_id("snap"),
            "name": name,
            "description": body.get("description") or body.get("snapshotDescription"),
            "createdAt": datetime.now(UTC).isoformat(),
            "sizeBytes": (vm.disk_gb << 30) // 64,
        }
        vm.snapshots[snap["id"]] = snap
        return ok("Snapshot created", snapshot=snap)

    def rpc_RestoreSnapshot(self, body: dict[str, Any]) -> dict[str, Any]:
        vm = self.node.vm(body)
        if required(body, "snapshotID") not in vm.snapshots:
            raise RPCError("Snapshot not found")
        if vm.state != "stopped":
            raise RPCError("VM must be stopped to restore a snapshot")
        return ok("Snapshot restored")

    def rpc_DeleteSnapshot(self, body: dict[str, Any]) -> dict[str, Any]:
        vm = self.node.vm(body)
        if vm.snapshots.pop(required(body, "snapshotID"), None) is None:
            raise RPCError("Snapshot not found")
        return ok("Snapshot deleted")


def create_app(
    *,
    token: str = TOKEN,
    read_only_token: str | None = READ_ONLY_TOKEN,
    step_seconds: float = 0.05,
    clock: Callable[[], float] = time.monotonic,
    ssh_user: str = "admin",
    ssh_password: str = "admin",
    pairing_code: str = "123456",
) -> Starlette:
    """The fake node as an ASGI app; `app.state.fake` is its `CiderStackFake`.

    Args:
        token: A `fullAccess` API token.
        read_only_token: A `readOnly` API token (None for none).
        step_seconds: How long one step of a boot, a stop or a task takes.
        clock: The monotonic clock time is read from (inject one to drive it by hand).
        ssh_user: The guest user `ExecCommand` accepts.
        ssh_password: Their password.
        pairing_code: The 6-digit code `RequestPairing` accepts.

    Returns:
        The Starlette app.
    """
    fake = CiderStackFake(
        token=token,
        read_only_token=read_only_token,
        step_seconds=step_seconds,
        clock=clock,
        ssh_user=ssh_user,
        ssh_password=ssh_password,
        pairing_code=pairing_code,
    )
    app = Starlette(routes=[Route("/rpc/{method}", fake.endpoint, methods=["POST"])])
    app.state.fake = fake
    return app


@contextlib.contextmanager
def conformance_setup(workdir: Path) -> Iterator[ConformanceSetup]:
    """Serve the fake and say how the conformance suite drives vmkit on it.

    Args:
        workdir: Unused: the fake keeps its state in memory.

    Yields:
        The `ciderstack` backend's options (SSH credentials included, so exec works), the
        create arguments a VM needs (a cached OCI image), and `make_outside_vm`, which
        returns the new VM's CiderStack id: the handle the adapter adopts it by.
    """
    with serve_app(create_app()) as url:

        def make_outside_vm(name: str) -> str:
            answer = httpx.post(
                f"{url}/rpc/CreateVMOnNode",
                json={
                    "apiToken": TOKEN,
                    "name": name,
                    "cpuCount": 2,
                    "memoryMB": 4096,
                    "diskGB": 32,
                    "ociImage": DEFAULT_IMAGE,
                },
            )
            if answer.status_code != 200 or not answer.json().get("success"):
                raise RuntimeError(f"the fake refused CreateVMOnNode: {answer.text}")
            return str(answer.json()["vmID"])

        yield ConformanceSetup(
            "ciderstack",
            {
                "url": url,
                "token": TOKEN,
                "poll_interval": "0.05",
                "ssh_user": "admin",
                "ssh_password": "admin",
            },
            create={"image": DEFAULT_IMAGE, "cpus": 4, "memory_mib": 8192, "disk_gib": 64},
            make_outside_vm=make_outside_vm,
        )
