"""The backend contract's shared pieces: capabilities, errors, the null context."""

from __future__ import annotations

import dataclasses

import pytest

from vmkit_server.backends.base import (
    Backend,
    BackendError,
    BackendOperationFailedError,
    BackendTimeoutError,
    BackendUnavailableError,
    BackendVMNotFoundError,
    Capabilities,
    CapabilityNotSupportedError,
    NullContext,
    Observation,
    OperationContext,
    PowerState,
    unsupported,
)
from vmkit_server.backends.simulated import SimulatedBackend


def test_capabilities_to_dict_lists_every_flag_in_order() -> None:
    """to_dict names all twenty capabilities, in declaration order."""
    caps = Capabilities(start=True, console=True)
    as_dict = caps.to_dict()
    assert [f.name for f in dataclasses.fields(Capabilities)] == list(as_dict)
    assert len(as_dict) == 20
    assert {"start", "console"} == {name for name, on in as_dict.items() if on}


def test_capabilities_supports() -> None:
    """supports reads dashes as underscores and answers False for unknown names."""
    caps = Capabilities(force_stop=True)
    assert [
        caps.supports("force_stop"),
        caps.supports("force-stop"),
        caps.supports("pause"),
        caps.supports("teleport"),
    ] == [True, True, False, False]


def test_simulated_capabilities() -> None:
    """The simulated backend supports everything, guest access included."""
    off = {n for n, on in SimulatedBackend.capabilities.to_dict().items() if not on}
    assert set() == off


@pytest.mark.parametrize(
    ("cls", "status", "code"),
    [
        (BackendError, 500, "BACKEND_ERROR"),
        (BackendUnavailableError, 503, "BACKEND_UNAVAILABLE"),
        (BackendVMNotFoundError, 404, "VM_NOT_FOUND"),
        (BackendOperationFailedError, 500, "BACKEND_OPERATION_FAILED"),
        (BackendTimeoutError, 504, "BACKEND_TIMEOUT"),
    ],
)
def test_errors_carry_status_code_detail_and_metadata(
    cls: type[BackendError], status: int, code: str
) -> None:
    """Each error has its status and code; the detail is the message; metadata defaults empty."""
    plain = cls("it broke")
    with_evidence = cls("it broke", metadata={"console_tail": ["panic"]})
    assert (status, code, "it broke", {}) == (plain.status, plain.code, str(plain), plain.metadata)
    assert dict(with_evidence.metadata) == {"console_tail": ["panic"]}


def test_unsupported_names_backend_and_capability() -> None:
    """unsupported() builds a 501 whose detail and metadata name both."""
    err = unsupported(SimulatedBackend(), "exec")
    assert isinstance(err, CapabilityNotSupportedError)
    assert (err.status, err.code) == (501, "CAPABILITY_NOT_SUPPORTED")
    assert dict(err.metadata) == {"capability": "exec", "backend": "simulated"}
    assert "simulated" in str(err) and "exec" in str(err)


def test_null_context_records_and_satisfies_the_protocol() -> None:
    """NullContext remembers logs and progress and is an OperationContext."""
    ctx = NullContext()
    ctx.log("hello")
    ctx.log("careful", level="warning")
    ctx.progress(0.25)
    assert isinstance(ctx, OperationContext)
    assert ctx.logs == [("info", "hello"), ("warning", "careful")]
    assert (ctx.fractions, ctx.cancelled) == ([0.25], False)
    ctx.cancel_requested = True
    assert ctx.cancelled is True


def test_observation_defaults() -> None:
    """An observation needs only a state; it is immutable."""
    obs = Observation(PowerState.STOPPED)
    assert (obs.reason, obs.ip_addresses, obs.ready, obs.extra) == (None, (), False, {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        obs.ready = True  # type: ignore[misc]


def test_simulated_backend_satisfies_the_protocol() -> None:
    """SimulatedBackend type-checks as a Backend (mypy checks this assignment)."""
    backend: Backend = SimulatedBackend()
    assert backend.name == "simulated"
