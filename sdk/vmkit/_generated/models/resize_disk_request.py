from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResizeDiskRequest")


@_attrs_define
class ResizeDiskRequest:
    """
    Attributes:
        disk_gib (int): The new size in GiB.
    """

    disk_gib: int

    def to_dict(self) -> dict[str, Any]:
        disk_gib = self.disk_gib

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "disk_gib": disk_gib,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        disk_gib = d.pop("disk_gib")

        resize_disk_request = cls(
            disk_gib=disk_gib,
        )

        return resize_disk_request
