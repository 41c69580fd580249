from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vm import VM


T = TypeVar("T", bound="CloneVmResult")


@_attrs_define
class CloneVmResult:
    """The answer of `CloneVM`. Every field is optional because a failed call answers the error
    shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            message (str | Unset): What was done.
            new_vm (VM | Unset): A VM as `ListVMs` reports it (fields: SDK).
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    message: str | Unset = UNSET
    new_vm: VM | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.vm import VM  # noqa: PLC0415

        success = self.success

        error = self.error

        message = self.message

        new_vm: dict[str, Any] | Unset = UNSET
        if not isinstance(self.new_vm, Unset):
            new_vm = self.new_vm.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if message is not UNSET:
            field_dict["message"] = message
        if new_vm is not UNSET:
            field_dict["newVM"] = new_vm

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vm import VM  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        message = d.pop("message", UNSET)

        _new_vm = d.pop("newVM", UNSET)
        new_vm: VM | Unset
        if isinstance(_new_vm, Unset):
            new_vm = UNSET
        else:
            new_vm = VM.from_dict(_new_vm)

        clone_vm_result = cls(
            success=success,
            error=error,
            message=message,
            new_vm=new_vm,
        )

        clone_vm_result.additional_properties = d
        return clone_vm_result

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
