from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloneRequest")


@_attrs_define
class CloneRequest:
    """
    Attributes:
        new_name (str):
        start_after_clone (bool | Unset):  Default: False.
    """

    new_name: str
    start_after_clone: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        new_name = self.new_name

        start_after_clone = self.start_after_clone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "new_name": new_name,
            }
        )
        if start_after_clone is not UNSET:
            field_dict["start_after_clone"] = start_after_clone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        new_name = d.pop("new_name")

        start_after_clone = d.pop("start_after_clone", UNSET)

        clone_request = cls(
            new_name=new_name,
            start_after_clone=start_after_clone,
        )

        clone_request.additional_properties = d
        return clone_request

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
