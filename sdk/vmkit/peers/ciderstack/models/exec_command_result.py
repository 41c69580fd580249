from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExecCommandResult")


@_attrs_define
class ExecCommandResult:
    """The answer of `ExecCommand`. Every field is optional because a failed call answers the error
    shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            exit_code (int | Unset): The command's exit status (-1 when it did not finish).
            stdout (str | Unset): Its standard output.
            stderr (str | Unset): Its standard error.
            duration (float | Unset): Seconds it ran.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    exit_code: int | Unset = UNSET
    stdout: str | Unset = UNSET
    stderr: str | Unset = UNSET
    duration: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        exit_code = self.exit_code

        stdout = self.stdout

        stderr = self.stderr

        duration = self.duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if exit_code is not UNSET:
            field_dict["exitCode"] = exit_code
        if stdout is not UNSET:
            field_dict["stdout"] = stdout
        if stderr is not UNSET:
            field_dict["stderr"] = stderr
        if duration is not UNSET:
            field_dict["duration"] = duration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        exit_code = d.pop("exitCode", UNSET)

        stdout = d.pop("stdout", UNSET)

        stderr = d.pop("stderr", UNSET)

        duration = d.pop("duration", UNSET)

        exec_command_result = cls(
            success=success,
            error=error,
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr,
            duration=duration,
        )

        exec_command_result.additional_properties = d
        return exec_command_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
