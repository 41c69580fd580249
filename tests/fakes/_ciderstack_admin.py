"""The CiderStack fake's methods beyond VMs: node, images, fleet, tokens, templates, pairing.

A mixin of `fakes.ciderstack.CiderStackFake`, which holds the state these read.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from ._ciderstack_state import MAX_RUNNING_MACOS_VMS, VM, Node, RPCError, integer, required

__all__ = ["AdminMethods", "ok"]


def ok(message: str = "Operation completed", **extra: Any) -> dict[str, Any]:
    """A mutation's answer: `{"success": true, "message": ...}` and `extra`."""
    return {"success": True, "message": message, **extra}


class AdminMethods:
    """`rpc_<Method>` handlers of every method that is not about one VM's lifecycle."""

    node: Node
    tokens: dict[str, dict[str, Any]]
    trusted: dict[str, str]
    pairings: dict[str, str]
    templates: dict[str, dict[str, Any]]
    migrations: set[str]
    pairing_code: str

    def powered(self) -> list[VM]:
        """VMs holding a run slot."""
        return [vm for vm in self.node.vms.values() if vm.state not in ("stopped", "error")]

    # -- node --------------------------------------------------------------------------------

    def rpc_GetNodeInfo(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "nodeID": self.node.node_id,
            "name": "fake-mini",
            "hostname": "fake-mini.local",
            "ipAddress": "127.0.0.1",
            "port": 9473,
            "machineModel": "Mac14,3",
            "osVersion": "15.3",
            "cpuCores": 8,
            "totalMemoryGB": 24,
            "fleetVersion": "1.4.0",
        }

    def rpc_GetNodeStats(self, body: dict[str, Any]) -> dict[str, Any]:
        used = sum(vm.memory_mb for vm in self.powered()) / 1024
        return {
            "nodeID": self.node.node_id,
            "timestamp": datetime.now(UTC).isoformat(),
            "cpuUsagePercent": 3.0 + 20 * len(self.powered()),
            "memoryUsedGB": 4 + used,
            "memoryTotalGB": 24.0,
            "diskUsedGB": 120.0,
            "diskTotalGB": 994.0,
            "runningVMCount": len(self.powered()),
            "totalVMCount": len(self.node.vms),
        }

    def rpc_GetRemoteResources(self, body: dict[str, Any]) -> dict[str, Any]:
        powered = self.powered()
        return {
            "availableCPUCores": max(0, 8 - sum(vm.cpu_count for vm in powered)),
            "availableMemoryGB": max(0.0, 20 - sum(vm.memory_mb for vm in powered) / 1024),
            "availableDiskGB": 874.0,
            "runningVMCount": len(powered),
            "maxRunningVMs": MAX_RUNNING_MACOS_VMS,
            "ipsws": list(self.node.ipsws.values()),
            "ociImages": list(self.node.images.values()),
        }

    # -- images ------------------------------------------------------------------------------

    def rpc_ListRemoteIPSWs(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ipsws": list(self.node.ipsws.values())}

    def rpc_GetIPSWInfo(self, body: dict[str, Any]) -> dict[str, Any]:
        info = self.node.ipsws.get(required(body, "path"))
        if info is None:
            raise RPCError("IPSW not found")
        return dict(info)

    def rpc_DownloadIPSWOnNode(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self.node.download_ipsw(required(body, "downloadURL"), body.get("expectedName"))
        return ok("Download started", taskID=task.id)

    def rpc_ListRemoteOCIImages(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"images": list(self.node.images.values())}

    def rpc_PullOCIImageOnNode(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self.node.pull(str(required(body, "imageReference")))
        return ok("Pull started", taskID=task.id)

    def rpc_PushImage(self, body: dict[str, Any]) -> dict[str, Any]:
        vm, image = self.node.vm(body), str(required(body, "imageName"))
        steps = ["Packing disk", "Uploading layers"]
        task = self.node.task(
            "pushImage", f"Push {vm.name} to {image}", steps, vm_id=vm.id, vm_name=vm.name
        )
        return ok("Push started", taskID=task.id)

    # -- fleet -------------------------------------------------------------------------------

    def rpc_GetFleetOverview(self, body: dict[str, Any]) -> dict[str, Any]:
        running, total = len(self.powered()), len(self.node.vms)
        return {
            "overview": {
                "stats": {
                    "totalNodes": 1,
                    "onlineNodes": 1,
                    "totalVMs": total,
                    "runningVMs": running,
                },
                "nodes": [
                    {
                        "nodeID": self.node.node_id,
                        "name": "fake-mini",
                        "online": True,
                        "runningVMs": running,
                        "totalVMs": total,
                    }
                ],
            }
        }

    def rpc_GetFleetEvents(self, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("eventType")
        events = [e for e in reversed(self.node.events) if kind is None or e["type"] == kind]
        return {"events": events[: integer(body, "limit", 100)]}

    # -- tokens ------------------------------------------------------------------------------

    def _add_token(self, name: str, permissions: str, secret: str) -> dict[str, Any]:
        entry = {
            "id": f"tok-{len(self.tokens) + 1}",
            "name": name,
            "token": secret,
            "permissions": permissions,
            "createdAt": datetime.now(UTC).isoformat(),
            "lastUsedAt": None,
        }
        self.tokens[secret] = entry
        return entry

    def rpc_GenerateAPIToken(self, body: dict[str, Any]) -> dict[str, Any]:
        permissions = body.get("permissions", "fullAccess")
        if permissions not in ("fullAccess", "readOnly"):
            raise RPCError(f"Invalid permissions: {permissions}")
        name = str(required(body, "name"))
        entry = self._add_token(name, permissions, f"csk_{uuid.uuid4().hex}")
        return {"success": True, "token": dict(entry)}

    def rpc_RevokeAPIToken(self, body: dict[str, Any]) -> dict[str, Any]:
        token_id = required(body, "tokenID")
        for secret, entry in list(self.tokens.items()):
            if entry["id"] == token_id:
                del self.tokens[secret]
                return {"success": True, "revoked": True}
        raise RPCError("Token not found")

    def rpc_ListAPITokens(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "tokens": [
                {**{k: v for k, v in e.items() if k != "token"}, "tokenPrefix": e["token"][:12]}
                for e in self.tokens.values()
            ]
        }

    # -- templates ---------------------------------------------------------------------------

    def rpc_ListTemplates(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"templates": list(self.templates.values())}

    def rpc_GetTemplate(self, body: dict[str, Any]) -> dict[str, Any]:
        key, name = body.get("templateID"), body.get("templateName")
        if key is None and name is None:
            raise RPCError("Missing required field: templateID or templateName")
        for template in self.templates.values():
            if template["id"] == key or template["name"] == name:
                return {"success": True, "template": template}
        raise RPCError("Template not found")

    def rpc_CreateTemplateFromVM(self, body: dict[str, Any]) -> dict[str, Any]:
        vm, name = self.node.vm(body), str(required(body, "name"))
        keep = bool(body.get("keepOriginalVM", True))
        if not keep and vm.state not in ("stopped", "error"):
            raise RPCError("VM must be stopped before it is deleted")
        now = datetime.now(UTC).isoformat()
        template = {
            "id": self.node.next_id("tpl"),
            "name": name,
            "description": body.get("description"),
            "macOSVersion": vm.os_version,
            "iconName": "desktopcomputer",
            "category": body.get("category", "general"),
            "sourceType": "vm",
            "createdAt": now,
            "modifiedAt": now,
            "diskSizeBytes": vm.disk_gb << 30,
            "defaultCPU": vm.cpu_count,
            "defaultMemoryMB": vm.memory_mb,
            "defaultDiskGB": vm.disk_gb,
        }
        self.templates[template["id"]] = template
        if not keep:
            del self.node.vms[vm.id]
        return {"success": True, "template": template}

    def rpc_DeleteTemplate(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.templates.pop(required(body, "templateID"), None) is None:
            raise RPCError("Template not found")
        return ok("Template deleted")

    # -- shared folders ----------------------------------------------------------------------

    def rpc_ListSharedFolders(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"success": True, "folders": list(self.node.vm(body).folders.values())}

    def rpc_AddSharedFolder(self, body: dict[str, Any]) -> dict[str, Any]:
        vm, name = self.node.vm(body), str(required(body, "name"))
        if name in vm.folders:
            raise RPCError(f"Shared folder already exists: {name}")
        vm.folders[name] = {
            "name": name,
            "hostPath": str(required(body, "hostPath")),
            "readOnly": bool(body.get("readOnly", False)),
            "enabled": True,
            "mountTag": body.get("mountTag"),
        }
        return ok("Shared folder added")

    def rpc_RemoveSharedFolder(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.node.vm(body).folders.pop(required(body, "name"), None) is None:
            raise RPCError("Shared folder not found")
        return ok("Shared folder removed")

    def rpc_SetSharedFolderEnabled(self, body: dict[str, Any]) -> dict[str, Any]:
        folder = self.node.vm(body).folders.get(required(body, "name"))
        if folder is None:
            raise RPCError("Shared folder not found")
        folder["enabled"] = bool(required(body, "enabled"))
        return ok("Shared folder updated")

    # -- pairing -----------------------------------------------------------------------------

    def rpc_RequestPairing(self, body: dict[str, Any]) -> dict[str, Any]:
        requester = body.get("requesterNodeID")
        node = requester.get("value") if isinstance(requester, dict) else None
        if str(body.get("code")) != self.pairing_code or not node:
            return {"accepted": False, "errorMessage": "Invalid pairing code"}
        self.trusted[str(node)] = str(body.get("requesterName") or node)
        self.pairings[str(body.get("requestID") or node)] = str(node)
        return {
            "accepted": True,
            "errorMessage": None,
            "responderNodeID": {"value": self.node.node_id},
            "responderName": "fake-mini",
        }

    def rpc_CompletePairing(self, body: dict[str, Any]) -> dict[str, Any]:
        if required(body, "requestID") not in self.pairings:
            raise RPCError("Unknown pairing request")
        return ok("Pairing completed")

    def rpc_Unpair(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.trusted.pop(required(body, "nodeID"), None) is None:
            raise RPCError("Node not found")
        return ok("Node unpaired")

    # -- internal migration ------------------------------------------------------------------

    def rpc_PrepareMigration(self, body: dict[str, Any]) -> dict[str, Any]:
        vm = self.node.vm(body)
        if vm.state != "stopped":
            raise RPCError("VM must be powered off to migrate")
        if body.get("targetNodeID") not in self.trusted:
            raise RPCError("Target node is not paired")
        migration = self.node.next_id("mig")
        self.migrations.add(migration)
        return ok("Migration prepared", migrationID=migration)

    def rpc_CancelMigration(self, body: dict[str, Any]) -> dict[str, Any]:
        self._migration(body)
        self.migrations.discard(body["migrationID"])
        return ok("Migration cancelled")

    def _migration(self, body: dict[str, Any]) -> None:
        if required(body, "migrationID") not in self.migrations:
            raise RPCError("Unknown migration")

    def _not_simulated(self, body: dict[str, Any]) -> dict[str, Any]:
        self._migration(body)
        raise RPCError("Chunked VM transfer is not simulated by this fake")

    rpc_GetMigrationChunk = rpc_CompleteMigration = rpc_PrepareReceive = _not_simulated
    rpc_ReceiveChunk = rpc_FinalizeMigration = _not_simulated
