from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Image")


@_attrs_define
class Image:
    """
    Attributes:
        name (str): What to pass as `image` on create, e.g. `vmkit/test-guest`.
        description (str):
        os (str): The guest's operating system (`linux`, `macos`, ...).
        arch (str): The guest's CPU architecture (`x86_64`, `arm64`).
        disk_gib (int): The virtual size of the image's disk.
        size_bytes (int | None): Space the image takes on the host.
        default (bool): Whether VMs created without `image` use this one.
    """

    name: str
    description: str
    os: str
    arch: str
    disk_gib: int
    size_bytes: int | None
    default: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        os = self.os

        arch = self.arch

        disk_gib = self.disk_gib

        size_bytes: int | None
        size_bytes = self.size_bytes

        default = self.default

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "description": description,
                "os": os,
                "arch": arch,
                "disk_gib": disk_gib,
                "size_bytes": size_bytes,
                "default": default,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        os = d.pop("os")

        arch = d.pop("arch")

        disk_gib = d.pop("disk_gib")

        def _parse_size_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size_bytes = _parse_size_bytes(d.pop("size_bytes"))

        default = d.pop("default")

        image = cls(
            name=name,
            description=description,
            os=os,
            arch=arch,
            disk_gib=disk_gib,
            size_bytes=size_bytes,
            default=default,
        )

        image.additional_properties = d
        return image

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
