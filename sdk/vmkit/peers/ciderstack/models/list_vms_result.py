from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vm import VM


T = TypeVar("T", bound="ListVmsResult")


@_attrs_define
class ListVmsResult:
    """The answer of `ListVMs`. Every field is optional because a failed call answers the error
    shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            vms (list[VM] | Unset): Every VM of the node.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    vms: list[VM] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.vm import VM  # noqa: PLC0415

        success = self.success

        error = self.error

        vms: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.vms, Unset):
            vms = []
            for vms_item_data in self.vms:
                vms_item = vms_item_data.to_dict()
                vms.append(vms_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if vms is not UNSET:
            field_dict["vms"] = vms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vm import VM  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        _vms = d.pop("vms", UNSET)
        vms: list[VM] | Unset = UNSET
        if _vms is not UNSET:
            vms = []
            for vms_item_data in _vms:
                vms_item = VM.from_dict(vms_item_data)

                vms.append(vms_item)

        list_vms_result = cls(
            success=success,
            error=error,
            vms=vms,
        )

        list_vms_result.additional_properties = d
        return list_vms_result

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
