"""The error tree (vmkit.errors) beyond what error_for exercises."""

from __future__ import annotations

import httpx

from vmkit import errors


def test_tree_shape() -> None:
    """The hierarchy drawn in the module docstring holds."""
    assert issubclass(errors.APIStatusError, errors.APIError)
    assert issubclass(errors.APIError, errors.VmkitError)
    assert issubclass(errors.VMStateError, errors.ConflictError)
    assert issubclass(errors.OperationInProgressError, errors.ConflictError)
    assert issubclass(errors.ValidationError, errors.UnprocessableEntityError)
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
    assert issubclass(errors.WaitTimeoutError, TimeoutError)
    assert issubclass(errors.OperationFailedError, errors.VmkitError)
    assert not issubclass(errors.OperationFailedError, errors.APIError)
    assert issubclass(errors.GuestNotReadyError, errors.ConflictError)
    assert issubclass(errors.GuestFileNotFoundError, errors.NotFoundError)
    assert issubclass(errors.ImageNotFoundError, errors.UnprocessableEntityError)
    assert issubclass(errors.ExecTimeoutError, errors.APIStatusError)
    assert issubclass(errors.ExecTimeoutError, TimeoutError)
    assert not issubclass(errors.CommandFailedError, errors.APIError)
    assert issubclass(errors.WebhookVerificationError, errors.VmkitError)
    assert not issubclass(errors.WebhookVerificationError, errors.APIError)


def test_command_failed_error_names_the_status_and_the_last_stderr_line() -> None:
    """CommandFailedError keeps the result and says why in one line."""
    result = {"exit_code": 2, "stderr": "warming up\nls: /nope: No such file\n"}
    error = errors.CommandFailedError(result)
    assert (2, result) == (error.exit_code, error.result)
    assert "the command exited with status 2: ls: /nope: No such file" == str(error)


def test_all_is_sorted_complete_and_documented() -> None:
    """Every exception class is exported, in order, with a docstring."""
    classes = {
        name
        for name, obj in vars(errors).items()
        if isinstance(obj, type) and issubclass(obj, errors.VmkitError)
    }
    assert sorted(errors.__all__) == errors.__all__
    assert set(errors.__all__) == classes
    assert all(getattr(errors, name).__doc__ for name in errors.__all__)


def test_operation_failed_error_from_dict_and_object() -> None:
    """The message names the operation, its kind, code and detail."""
    problem = {"code": "BACKEND_UNAVAILABLE", "detail": "qemu exited with 1"}
    error = errors.OperationFailedError({"id": "op_1", "kind": "vm.start"}, problem)
    assert str(error) == "operation op_1 (vm.start) failed: BACKEND_UNAVAILABLE: qemu exited with 1"
    assert error.code == "BACKEND_UNAVAILABLE"

    class Operation:
        id = "op_2"

    bare = errors.OperationFailedError(Operation(), None)
    assert str(bare) == "operation op_2 failed"
    assert (bare.code, bare.problem) == (None, {})


def test_wait_timeout_error_is_a_timeout() -> None:
    """It can be caught as the builtin TimeoutError."""
    error = errors.WaitTimeoutError("op_1 still running after 5s", timeout=5.0, operation="op_1")
    assert isinstance(error, TimeoutError)
    assert (error.timeout, error.operation, str(error)) == (5.0, "op_1", error.message)


def test_connection_errors_keep_the_request() -> None:
    """The request that failed is kept for debugging."""
    request = httpx.Request("GET", "http://vmkit.test/v1/vms")
    error = errors.APITimeoutError(request)
    assert error.request is request
    assert str(error) == "Request timed out."
    assert str(errors.APIConnectionError(request)) == "Connection error."
