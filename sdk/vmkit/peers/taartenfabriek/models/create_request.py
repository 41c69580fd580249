from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateRequest")


@_attrs_define
class CreateRequest:
    """
    Attributes:
        name (str):
        source_vm (str): The image (or VM) to clone, e.g. `ghcr.io/cirruslabs/macos-ventura-base:latest`.
        cpu (int):
        memory (int): In GB.
        disk_size (int): In GB.
    """

    name: str
    source_vm: str
    cpu: int
    memory: int
    disk_size: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        source_vm = self.source_vm

        cpu = self.cpu

        memory = self.memory

        disk_size = self.disk_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "source_vm": source_vm,
                "cpu": cpu,
                "memory": memory,
                "disk_size": disk_size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        source_vm = d.pop("source_vm")

        cpu = d.pop("cpu")

        memory = d.pop("memory")

        disk_size = d.pop("disk_size")

        create_request = cls(
            name=name,
            source_vm=source_vm,
            cpu=cpu,
            memory=memory,
            disk_size=disk_size,
        )

        create_request.additional_properties = d
        return create_request

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
