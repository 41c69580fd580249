"""The CiderStack fake against its document: routes, auth in the body, errors, tasks, limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fakes.ciderstack import (
    DEFAULT_IMAGE,
    DEFAULT_IPSW,
    MUTATING,
    READ_ONLY_TOKEN,
    TOKEN,
    CiderStackFake,
    create_app,
)
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

SPEC = Path(__file__).parents[3] / "spec" / "peers" / "ciderstack.yaml"
STEP = 1.0
# fmt: off
#: The document's endpoint table, in its order, and its internal endpoints.
DOCUMENTED = (
    "GetNodeInfo", "GetNodeStats", "GetTasks", "ListVMs", "StartVM", "StopVM", "SuspendVM",
    "StartVMRecovery", "ListSnapshots", "CreateSnapshot", "RestoreSnapshot", "DeleteSnapshot",
    "CloneVM", "RenameVM", "DeleteVM", "GetVMSettings", "UpdateVMSettings", "PushImage",
    "GetRemoteResources", "ListRemoteIPSWs", "DownloadIPSWOnNode", "ListRemoteOCIImages",
    "PullOCIImageOnNode", "CreateVMOnNode", "ExecCommand", "GetFleetOverview", "GetFleetEvents",
    "GenerateAPIToken", "RevokeAPIToken", "ListAPITokens", "ListTemplates", "GetTemplate",
    "CreateTemplateFromVM", "DeleteTemplate", "ListSharedFolders", "AddSharedFolder",
    "RemoveSharedFolder", "SetSharedFolderEnabled", "Unpair", "CleanupVMs", "GetIPSWInfo",
    "RequestPairing", "CompletePairing",
)
INTERNAL = (
    "PrepareMigration", "GetMigrationChunk", "CompleteMigration", "CancelMigration",
    "PrepareReceive", "ReceiveChunk", "FinalizeMigration",
)
# fmt: on


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Node:
    """The fake in-process (Starlette's test client), called as the document's curl examples do."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.app = create_app(step_seconds=STEP, clock=self.clock)
        self.fake: CiderStackFake = self.app.state.fake
        self.http = TestClient(self.app, base_url="http://n")

    def post(self, method: str, body: Any) -> httpx.Response:
        """A raw POST /rpc/<method>."""
        return self.http.post(f"/rpc/{method}", json=body)

    def rpc(self, method: str, token: str | None = TOKEN, **body: Any) -> dict[str, Any]:
        """A call with the full-access token; the JSON answer (HTTP 200 asserted)."""
        answer = self.post(method, {**({"apiToken": token} if token else {}), **body})
        assert 200 == answer.status_code, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def made(self, name: str = "ci-runner") -> str:
        """A VM created and its task run to the end; its id."""
        vm_id = str(self.rpc("CreateVMOnNode", name=name, ociImage=DEFAULT_IMAGE)["vmID"])
        self.clock.advance(10 * STEP)
        return vm_id

    def state(self, vm_id: str) -> str:
        """The VM's state as `ListVMs` reports it."""
        vms = {vm["id"]: vm for vm in self.rpc("ListVMs")["vms"]}
        return str(vms[vm_id]["state"])


@pytest.fixture
def node() -> Iterator[Node]:
    """A fresh fake node on a hand-driven clock."""
    n = Node()
    try:
        yield n
    finally:
        n.http.close()


def test_every_documented_method_is_in_the_spec_and_answers(node: Node) -> None:
    """The 43 methods and 7 internal ones are `POST /rpc/<Method>` in the spec and the fake."""
    spec = yaml.safe_load(SPEC.read_text())
    paths = {p.removeprefix("/rpc/"): ops["post"] for p, ops in spec["paths"].items()}
    assert (43, 7) == (len(DOCUMENTED), len(INTERNAL))
    assert {*DOCUMENTED, *INTERNAL} == set(paths)
    assert set(INTERNAL) == {m for m, op in paths.items() if op["tags"] == ["internal"]}
    for method in (*DOCUMENTED, *INTERNAL):
        assert 404 != node.post(method, {"apiToken": TOKEN}).status_code, method


def test_the_mutating_column_matches_the_document(node: Node) -> None:
    """Read-only tokens are refused exactly the document's "Mutating: Yes" methods."""
    for method in DOCUMENTED:
        if method in ("RequestPairing", "CompletePairing"):
            continue
        answer = node.post(method, {"apiToken": READ_ONLY_TOKEN})
        assert (method in MUTATING) == (403 == answer.status_code), method
    assert set(INTERNAL) <= MUTATING


def test_auth_is_in_the_body_and_refusals_are_403_in_the_error_shape(node: Node) -> None:
    """No token, an unknown token or a read-only token on a mutation: 403 `success: false`."""
    refusals = {
        "none": node.post("ListVMs", {}),
        "unknown": node.post("ListVMs", {"apiToken": "csk_nobody"}),
        "read-only": node.post("StartVM", {"apiToken": READ_ONLY_TOKEN, "vmID": "x"}),
        "header": node.http.post("/rpc/ListVMs", json={}, headers={"Authorization": TOKEN}),
    }
    for why, answer in refusals.items():
        assert 403 == answer.status_code, why
        assert {"success", "error"} == set(answer.json()), why
        assert answer.json()["success"] is False
    assert "read-only" in refusals["read-only"].json()["error"]
    assert [] == node.rpc("ListVMs", token=READ_ONLY_TOKEN)["vms"]


def test_a_paired_node_calls_with_its_caller_node_id(node: Node) -> None:
    """RequestPairing needs no auth; with the right code the node is trusted, then unpaired."""
    bad = node.rpc("RequestPairing", token=None, requesterNodeID={"value": "N1"}, code="000000")
    assert {"accepted": False, "errorMessage": "Invalid pairing code"} == bad
    assert 403 == node.post("ListVMs", {"callerNodeID": "N1"}).status_code
    good = node.rpc(
        "RequestPairing",
        token=None,
        requestID="R1",
        requesterNodeID={"value": "N1"},
        requesterName="ci",
        code="123456",
    )
    assert good["accepted"] is True
    assert node.rpc("CompletePairing", token=None, requestID="R1")["success"] is True
    assert {"vms": []} == node.post("ListVMs", {"callerNodeID": "N1"}).json()
    assert node.rpc("Unpair", nodeID="N1")["success"] is True
    assert 403 == node.post("ListVMs", {"callerNodeID": "N1"}).status_code


def test_a_refused_call_is_http_200_with_the_documented_error(node: Node) -> None:
    """`{"success": false, "error": "VM not found"}` as the document shows; 400 and 404 too."""
    assert {"success": False, "error": "VM not found"} == node.rpc("StartVM", vmID="nope")
    assert "Missing required field: vmID" == node.rpc("StopVM")["error"]
    bad = node.http.post("/rpc/ListVMs", content=b"{not json")
    assert (400, {"success": False, "error": "Invalid JSON body"}) == (bad.status_code, bad.json())
    unknown = node.post("Reboot", {"apiToken": TOKEN})
    assert (404, False) == (unknown.status_code, unknown.json()["success"])
    assert 405 == node.http.get("/rpc/ListVMs").status_code


def test_a_create_is_a_task_that_progresses_over_time(node: Node) -> None:
    """Pending, then running with rising progress and texts; the VM is listed once done."""
    answer = node.rpc(
        "CreateVMOnNode", name="ci", cpuCount=4, memoryMB=8192, diskGB=64, ociImage=DEFAULT_IMAGE
    )
    seen = []
    for _ in range(5):
        (task,) = node.rpc("GetTasks", includeCompleted=True)["tasks"]
        seen.append((task["status"], task["progressText"], task["progress"]))
        if task["status"] != "completed":
            assert [] == node.rpc("ListVMs")["vms"]
        node.clock.advance(STEP)
    assert ("pending", "Queued") == seen[0][:2]
    assert ["running"] * 3 == [s for s, _, _ in seen[1:4]]
    assert ("completed", "Done", 1.0) == seen[4]
    assert sorted(p for _, _, p in seen) == [p for _, _, p in seen]
    (vm,) = node.rpc("ListVMs")["vms"]
    assert (answer["vmID"], "ci", "stopped", 8192) == (
        vm["id"],
        vm["name"],
        vm["state"],
        vm["memoryMB"],
    )
    assert [] == node.rpc("GetTasks")["tasks"]


def test_create_refuses_an_image_the_node_does_not_have(node: Node) -> None:
    """An uncached OCI image or an unknown IPSW is refused; a pull task caches the image."""
    assert "ociImage or ipswPath" in node.rpc("CreateVMOnNode", name="a")["error"]
    missing = node.rpc("CreateVMOnNode", name="a", ociImage="ghcr.io/x/y:1")
    assert missing["error"].startswith("OCI image not found on node")
    task_id = node.rpc("PullOCIImageOnNode", imageReference="ghcr.io/x/y:1")["taskID"]
    node.clock.advance(10 * STEP)
    (task,) = node.rpc("GetTasks", includeCompleted=True)["tasks"]
    assert (task_id, "completed") == (task["id"], task["status"])
    assert "ghcr.io/x/y:1" in [i["reference"] for i in node.rpc("ListRemoteOCIImages")["images"]]
    assert node.rpc("CreateVMOnNode", name="a", ociImage="ghcr.io/x/y:1")["success"] is True


def test_a_pull_of_a_malformed_reference_fails_its_task(node: Node) -> None:
    """The task ends `failed` with an `errorMessage`."""
    node.rpc("PullOCIImageOnNode", imageReference="not a reference")
    node.clock.advance(10 * STEP)
    (task,) = node.rpc("GetTasks", includeCompleted=True)["tasks"]
    assert "failed" == task["status"]
    assert "invalid reference" in task["errorMessage"]


def test_power_moves_through_starting_and_stopping(node: Node) -> None:
    """StartVM → starting → running; SuspendVM pauses; StartVM resumes; StopVM → stopped."""
    vm = node.made()
    states = []
    for call in ("StartVM", None, "SuspendVM", "StartVM", "StopVM", None):
        if call:
            assert node.rpc(call, vmID=vm)["success"] is True
        else:
            node.clock.advance(STEP)
        states.append(node.state(vm))
    assert ["starting", "running", "paused", "running", "stopping", "stopped"] == states
    assert "VM is not running" == node.rpc("StopVM", vmID=vm)["error"]


def test_at_most_two_macos_vms_run_at_once(node: Node) -> None:
    """A third StartVM is refused while two VMs hold a slot (paused counts); a stop frees one."""
    a, b, c = node.made("a"), node.made("b"), node.made("c")
    node.rpc("StartVM", vmID=a)
    node.rpc("StartVM", vmID=b)
    node.clock.advance(STEP)
    node.rpc("SuspendVM", vmID=b)
    refused = node.rpc("StartVM", vmID=c)
    assert refused["success"] is False
    assert refused["error"].startswith("Maximum of 2 macOS VMs can run concurrently")
    assert "stopped" == node.state(c)
    node.rpc("StopVM", vmID=a)
    node.clock.advance(STEP)
    assert node.rpc("StartVM", vmID=c)["success"] is True


def test_snapshots_restore_only_a_stopped_vm(node: Node) -> None:
    """Create answers the snapshot; restore of a running VM and of an unknown id are refused."""
    vm = node.made()
    snap = node.rpc("CreateSnapshot", vmID=vm, name="before", description="clean")["snapshot"]
    assert ("before", "clean") == (snap["name"], snap["description"])
    node.rpc("StartVM", vmID=vm)
    node.clock.advance(STEP)
    assert "must be stopped" in node.rpc("RestoreSnapshot", vmID=vm, snapshotID=snap["id"])["error"]
    assert "Snapshot not found" == node.rpc("DeleteSnapshot", vmID=vm, snapshotID="x")["error"]
    assert node.rpc("DeleteSnapshot", vmID=vm, snapshotID=snap["id"])["success"] is True
    assert [] == node.rpc("ListSnapshots", vmID=vm)["snapshots"]


def test_settings_take_memory_size_and_refuse_a_running_vm(node: Node) -> None:
    """UpdateVMSettings names RAM `memorySize`; CPU/RAM change only while stopped."""
    vm = node.made()
    assert node.rpc("UpdateVMSettings", vmID=vm, cpuCount=8, memorySize=16384)["success"]
    config = node.rpc("GetVMSettings", vmID=vm)["configuration"]
    assert (8, 16384) == (config["cpuCount"], config["memorySize"])
    node.rpc("StartVM", vmID=vm)
    refused = node.rpc("UpdateVMSettings", vmID=vm, cpuCount=2)
    assert "VM must be stopped to change CPU or memory" == refused["error"]


def test_exec_runs_over_ssh_in_a_running_vm(node: Node) -> None:
    """Output and exit code come back; a stopped VM, bad credentials and a timeout are refused."""
    vm = node.made()
    creds = {"sshUser": "admin", "sshPassword": "admin"}
    assert "VM is not running" == node.rpc("ExecCommand", vmID=vm, command="true", **creds)["error"]
    node.rpc("StartVM", vmID=vm)
    node.clock.advance(STEP)
    ran = node.rpc("ExecCommand", vmID=vm, command="echo hello world", **creds)
    assert (True, 0, "hello world\n") == (ran["success"], ran["exitCode"], ran["stdout"])
    assert 1 == node.rpc("ExecCommand", vmID=vm, command="false", **creds)["exitCode"]
    wrong = node.rpc("ExecCommand", vmID=vm, command="true", sshUser="admin", sshPassword="x")
    assert "SSH authentication failed" == wrong["error"]
    slow = node.rpc("ExecCommand", vmID=vm, command="sleep 60", timeout=5, **creds)
    assert (False, -1) == (slow["success"], slow["exitCode"])
    assert "timed out" in slow["error"]


def test_tokens_are_listed_redacted_and_can_be_revoked(node: Node) -> None:
    """A generated read-only token works for reads only; the list never shows a secret."""
    made = node.rpc("GenerateAPIToken", name="ci", permissions="readOnly")["token"]
    assert made["token"].startswith("csk_")
    listed = node.rpc("ListAPITokens")["tokens"]
    assert all("token" not in t and t["tokenPrefix"].startswith("csk_") for t in listed)
    assert 403 == node.post("DeleteVM", {"apiToken": made["token"], "vmID": "x"}).status_code
    assert {"success": True, "revoked": True} == node.rpc("RevokeAPIToken", tokenID=made["id"])
    assert 403 == node.post("ListVMs", {"apiToken": made["token"]}).status_code


def test_every_answer_has_the_shape_the_spec_gives(node: Node) -> None:
    """Each documented method, called as the document shows, answers its spec's 200 schema."""
    spec = yaml.safe_load(SPEC.read_text())
    covered: set[str] = set()

    def call(method: str, token: str | None = TOKEN, **body: Any) -> dict[str, Any]:
        answer = node.rpc(method, token=token, **body)
        ok = spec["paths"][f"/rpc/{method}"]["post"]["responses"]["200"]
        schema = ok["content"]["application/json"]["schema"]
        Draft202012Validator({**schema, "components": spec["components"]}).validate(answer)
        assert answer.get("success") is not False, (method, answer)
        covered.add(method)
        return answer

    vm = str(
        call(
            "CreateVMOnNode",
            name="ci",
            cpuCount=4,
            memoryMB=8192,
            diskGB=64,
            ociImage=DEFAULT_IMAGE,
        )["vmID"]
    )
    node.clock.advance(10 * STEP)
    for method in (
        "GetNodeInfo",
        "GetNodeStats",
        "GetRemoteResources",
        "ListVMs",
        "ListRemoteIPSWs",
        "ListRemoteOCIImages",
        "GetFleetOverview",
        "ListAPITokens",
        "ListTemplates",
    ):
        call(method)
    call("GetTasks", includeCompleted=True)
    call("GetFleetEvents", limit=5)
    call("GetIPSWInfo", path=DEFAULT_IPSW)
    call("PullOCIImageOnNode", imageReference="ghcr.io/myorg/macos-base:latest")
    call(
        "DownloadIPSWOnNode", downloadURL="https://example.com/UniversalMac_14.6_23G80_Restore.ipsw"
    )
    snap = call("CreateSnapshot", vmID=vm, name="before-test", description="clean")["snapshot"]
    call("ListSnapshots", vmID=vm)
    call("RestoreSnapshot", vmID=vm, snapshotID=snap["id"])
    call("DeleteSnapshot", vmID=vm, snapshotID=snap["id"])
    clone = call("CloneVM", vmID=vm, newName="ci-2")["newVM"]["id"]
    call("RenameVM", vmID=clone, newName="ci-copy")
    call("GetVMSettings", vmID=vm)
    call("UpdateVMSettings", vmID=vm, cpuCount=8, memorySize=16384, intent="ci", ttlSeconds=3600)
    call("PushImage", vmID=vm, imageName="ghcr.io/myorg/macos-base:v2")
    call("AddSharedFolder", vmID=vm, name="src", hostPath="/Users/dev/project", readOnly=False)
    call("ListSharedFolders", vmID=vm)
    call("SetSharedFolderEnabled", vmID=vm, name="src", enabled=False)
    call("RemoveSharedFolder", vmID=vm, name="src")
    template = call("CreateTemplateFromVM", vmID=clone, name="CI Base", category="cicd")
    call("GetTemplate", templateName="CI Base")
    call("DeleteTemplate", templateID=template["template"]["id"])
    made = call("GenerateAPIToken", name="ci", permissions="readOnly")["token"]
    call("RevokeAPIToken", tokenID=made["id"])
    call(
        "RequestPairing",
        token=None,
        requestID="R",
        requesterNodeID={"value": "N"},
        requesterName="ci",
        requesterIP="0.0.0.0",
        publicKey="QUJD",
        code="123456",
    )
    call("CompletePairing", token=None, requestID="R", requesterNodeID={"value": "N"})
    call("Unpair", nodeID="N")
    call("StartVMRecovery", vmID=vm)
    node.clock.advance(STEP)
    call("StopVM", vmID=vm)
    node.clock.advance(STEP)
    call("StartVM", vmID=vm)
    node.clock.advance(STEP)
    call("ExecCommand", vmID=vm, command="uname -a", sshUser="admin", sshPassword="admin")
    call("SuspendVM", vmID=vm)
    call("CleanupVMs", force=False)
    call("DeleteVM", vmID=clone)
    assert set(DOCUMENTED) == covered
