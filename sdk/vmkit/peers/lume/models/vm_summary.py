from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VMSummary")


@_attrs_define
class VMSummary:
    """A VM as `GET /vms` lists it.

    Attributes:
        name (str): The VM's name (its key in every path).
        state (str): The VM's state: `stopped` or `running`; other values may appear (treat them as
            unknown).
        os (str): Guest OS (`macOS`, `linux`).
        cpu (int): Number of CPU cores.
        memory (str): Memory size with its unit (`4GB`).
        disk_size (str): Disk size with its unit (`64GB`).
    """

    name: str
    state: str
    os: str
    cpu: int
    memory: str
    disk_size: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        state = self.state

        os = self.os

        cpu = self.cpu

        memory = self.memory

        disk_size = self.disk_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "state": state,
                "os": os,
                "cpu": cpu,
                "memory": memory,
                "diskSize": disk_size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        state = d.pop("state")

        os = d.pop("os")

        cpu = d.pop("cpu")

        memory = d.pop("memory")

        disk_size = d.pop("diskSize")

        vm_summary = cls(
            name=name,
            state=state,
            os=os,
            cpu=cpu,
            memory=memory,
            disk_size=disk_size,
        )

        vm_summary.additional_properties = d
        return vm_summary

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
