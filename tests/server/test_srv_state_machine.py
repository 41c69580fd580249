"""Hypothesis drives the SDK against a live server and checks it against a model of design §2.

Each step picks a VM of a small pool and an action, legal or not. A legal action must end
(after its operation) in the state the model predicts; an illegal one must raise
`VMStateError` whose `allowed_from` is exactly the model's set. After every step, the server's
VMs must be the model's, each in a non-transitional state equal to the model's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

import vmkit
from vmkit.errors import VMStateError
from vmkit_server.backends.simulated import SimulatedBackend
from vmkit_server.testing import RunningServer, start_server

# Where each action may start from, as design §2 and the spec's descriptions say. The
# model never reaches a transitional state, so those only matter in `allowed_from`.
# `force-stop` reads "any powered or transitional state" as every state a VM process
# may exist in (suspended, error and unknown included) plus starting/stopping.
ALLOWED: dict[str, frozenset[str]] = {
    "start": frozenset({"stopped", "suspended", "error"}),
    "stop": frozenset({"running"}),
    "force_stop": frozenset(
        {"starting", "running", "stopping", "paused", "suspended", "error", "unknown"}
    ),
    "restart": frozenset({"running"}),
    "pause": frozenset({"running"}),
    "resume": frozenset({"paused", "suspended"}),
    "suspend": frozenset({"running", "paused"}),
    "clone": frozenset({"stopped", "paused", "suspended"}),
    "delete": frozenset({"stopped", "suspended", "error"}),
    "snapshot": frozenset({"stopped", "running", "paused"}),
    "restore": frozenset({"stopped", "running", "paused", "suspended", "error"}),
}
#: Where a successful power action leaves the VM.
AFTER = {
    "start": "running",
    "stop": "stopped",
    "force_stop": "stopped",
    "restart": "running",
    "pause": "paused",
    "resume": "running",
    "suspend": "suspended",
}
TRANSITIONAL = {"creating", "starting", "stopping", "migrating", "deleting"}
MAX_VMS = 4
WAIT = 10.0

_names = itertools.count()


def _name(prefix: str) -> str:
    return f"{prefix}-{next(_names)}"


@dataclass
class ModelVM:
    """What the model knows of one VM."""

    name: str
    state: str
    snapshots: list[tuple[str, bool]] = field(default_factory=list)  # (name, includes_memory)


class VMLifecycle(RuleBasedStateMachine):
    """The model and the rules; `server` is set by the test before the machine runs."""

    server: RunningServer

    def __init__(self) -> None:
        super().__init__()
        self.client = vmkit.Client(self.server.url, self.server.token)
        self.tag = _name("sm")
        self.vms: dict[str, ModelVM] = {}

    def teardown(self) -> None:
        """Delete every VM of this run, whatever its state."""
        try:
            for vm_id in list(self.vms):
                self.client.vms.delete(vm_id, force=True, wait=True, wait_timeout=WAIT)
        finally:
            self.client.close()

    def _pick(self, index: int) -> tuple[str, ModelVM]:
        vm_id = sorted(self.vms)[index % len(self.vms)]
        return vm_id, self.vms[vm_id]

    def _refused(self, action: str, model: ModelVM, call: object) -> None:
        assert callable(call)
        with pytest.raises(VMStateError) as refused:
            call()
        error = refused.value
        assert (model.state, sorted(ALLOWED[action])) == (
            error.current_state,
            sorted(error.allowed_from),
        ), f"{action} from {model.state}: {error}"

    @precondition(lambda self: len(self.vms) < MAX_VMS)
    @rule(start=st.booleans())
    def create(self, start: bool) -> None:
        """Create a VM, stopped or started."""
        name = _name("vm")
        vm = self.client.vms.create(
            name, labels={"sm": self.tag}, start=start, wait=True, wait_timeout=WAIT
        )
        self.vms[vm.id] = ModelVM(name, "running" if start else "stopped")
        assert self.vms[vm.id].state == vm.state

    @precondition(lambda self: bool(self.vms))
    @rule(index=st.integers(0, MAX_VMS - 1), action=st.sampled_from(sorted(AFTER)))
    def power(self, index: int, action: str) -> None:
        """start, stop, force_stop, restart, pause, resume or suspend a VM."""
        vm_id, model = self._pick(index)
        call = getattr(self.client.vms, action)
        if model.state not in ALLOWED[action]:
            self._refused(action, model, lambda: call(vm_id))
            return
        vm = call(vm_id, wait=True, wait_timeout=WAIT)
        model.state = AFTER[action]
        assert (model.state, None) == (vm.state, vm.operation_id)

    @precondition(lambda self: bool(self.vms))
    @rule(index=st.integers(0, MAX_VMS - 1), force=st.booleans())
    def delete(self, index: int, force: bool) -> None:
        """Delete a VM (with `force`, also a running or paused one)."""
        vm_id, model = self._pick(index)
        allowed = ALLOWED["delete"] | ({"running", "paused"} if force else set())
        if model.state not in allowed:
            self._refused("delete", model, lambda: self.client.vms.delete(vm_id))
            return
        op = self.client.vms.delete(vm_id, force=force, wait=True, wait_timeout=WAIT)
        assert "succeeded" == op.state
        del self.vms[vm_id]

    @precondition(lambda self: bool(self.vms))
    @rule(index=st.integers(0, MAX_VMS - 1))
    def clone(self, index: int) -> None:
        """Clone a VM into a new, stopped one (refused from running)."""
        vm_id, model = self._pick(index)
        name = _name("copy")
        labels = {"sm": self.tag}
        if model.state not in ALLOWED["clone"]:
            self._refused("clone", model, lambda: self.client.vms.clone(vm_id, name))
            return
        copy = self.client.vms.clone(vm_id, name, labels=labels, wait=True, wait_timeout=WAIT)
        self.vms[copy.id] = ModelVM(name, "stopped")
        assert ("stopped", name) == (copy.state, copy.name)

    @precondition(lambda self: bool(self.vms))
    @rule(index=st.integers(0, MAX_VMS - 1))
    def snapshot(self, index: int) -> None:
        """Snapshot a VM; it includes memory when taken running or paused."""
        vm_id, model = self._pick(index)
        name = _name("snap")
        if model.state not in ALLOWED["snapshot"]:
            self._refused("snapshot", model, lambda: self.client.snapshots.create(vm_id, name))
            return
        snap = self.client.snapshots.create(vm_id, name, wait=True, wait_timeout=WAIT)
        memory = model.state in {"running", "paused"}
        model.snapshots.append((name, memory))
        assert ("ready", memory) == (snap.state, snap.includes_memory)

    @precondition(lambda self: any(vm.snapshots for vm in self.vms.values()))
    @rule(index=st.integers(0, MAX_VMS - 1), which=st.integers(0, 7))
    def restore(self, index: int, which: int) -> None:
        """Restore one of a VM's snapshots: running if it holds memory, else stopped."""
        with_snapshots = sorted(i for i, vm in self.vms.items() if vm.snapshots)
        vm_id = with_snapshots[index % len(with_snapshots)]
        model = self.vms[vm_id]
        name, memory = model.snapshots[which % len(model.snapshots)]
        if model.state not in ALLOWED["restore"]:
            self._refused("restore", model, lambda: self.client.snapshots.restore(vm_id, name))
            return
        vm = self.client.snapshots.restore(vm_id, name, wait=True, wait_timeout=WAIT)
        model.state = "running" if memory else "stopped"
        assert (model.state, "from_snapshot") == (vm.state, vm.state_reason)

    @precondition(lambda self: bool(self.vms))
    @rule(index=st.integers(0, MAX_VMS - 1))
    def rename(self, index: int) -> None:
        """Rename a VM (allowed in every non-transitional state); its id stays."""
        vm_id, model = self._pick(index)
        model.name = _name("renamed")
        vm = self.client.vms.rename(vm_id, model.name)
        assert (vm_id, model.name, model.state) == (vm.id, vm.name, vm.state)

    @precondition(lambda self: any(vm.state in {"running", "paused"} for vm in self.vms.values()))
    @rule(index=st.integers(0, MAX_VMS - 1))
    def crash(self, index: int) -> None:
        """The guest of a running or paused VM crashes; reconciliation marks it `error`."""
        powered = sorted(i for i, vm in self.vms.items() if vm.state in {"running", "paused"})
        vm_id = powered[index % len(powered)]
        backend = self.server.backend
        assert isinstance(backend, SimulatedBackend)
        self.server.call(lambda: backend.crash(vm_id))
        vm = self.client.vms.get(vm_id).wait_for("error", timeout=WAIT, poll_interval=0.02)
        self.vms[vm_id].state = "error"
        assert "crashed" == vm.state_reason

    @invariant()
    def server_matches_model(self) -> None:
        """The server holds exactly the model's VMs, each idle in the model's state."""
        listed = self.client.vms.list(label={"sm": self.tag}, page_size=100)
        actual = {vm.id: (vm.name, vm.state, vm.operation_id) for vm in listed}
        expected = {i: (vm.name, vm.state, None) for i, vm in self.vms.items()}
        assert expected == actual
        assert not {state for _, state, _ in actual.values()} & TRANSITIONAL


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on the simulated backend (fast default timings), reconciling every 0.05 s."""
    running = start_server(
        tmp_path_factory.mktemp("state-machine") / "data", reconcile_interval=0.05
    )
    yield running
    running.stop()


def test_vm_lifecycle_follows_the_state_machine(server: RunningServer) -> None:
    """Random action sequences keep the server and the model of design §2 in step."""
    VMLifecycle.server = server
    # No shrink phase: shrinking re-runs sequences over real HTTP and takes minutes; a failing
    # trace has at most 20 steps and the failing assertion names the action and the state.
    phases = [Phase.explicit, Phase.generate]
    run_state_machine_as_test(
        VMLifecycle,
        settings=settings(
            max_examples=15, stateful_step_count=20, deadline=None, database=None, phases=phases
        ),
    )
