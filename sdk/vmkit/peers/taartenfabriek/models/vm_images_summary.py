from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vm import VM


T = TypeVar("T", bound="VMImagesSummary")


@_attrs_define
class VMImagesSummary:
    """
    Attributes:
        base_images (list[VM]): VMs pulled from an OCI registry.
        working_vms (list[VM]): VMs created or cloned locally.
    """

    base_images: list[VM]
    working_vms: list[VM]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.vm import VM  # noqa: PLC0415

        base_images = []
        for base_images_item_data in self.base_images:
            base_images_item = base_images_item_data.to_dict()
            base_images.append(base_images_item)

        working_vms = []
        for working_vms_item_data in self.working_vms:
            working_vms_item = working_vms_item_data.to_dict()
            working_vms.append(working_vms_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_images": base_images,
                "working_vms": working_vms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vm import VM  # noqa: PLC0415

        d = dict(src_dict)
        base_images = []
        _base_images = d.pop("base_images")
        for base_images_item_data in _base_images:
            base_images_item = VM.from_dict(base_images_item_data)

            base_images.append(base_images_item)

        working_vms = []
        _working_vms = d.pop("working_vms")
        for working_vms_item_data in _working_vms:
            working_vms_item = VM.from_dict(working_vms_item_data)

            working_vms.append(working_vms_item)

        vm_images_summary = cls(
            base_images=base_images,
            working_vms=working_vms,
        )

        vm_images_summary.additional_properties = d
        return vm_images_summary

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
