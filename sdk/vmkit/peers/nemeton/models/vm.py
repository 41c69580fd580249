from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Vm")


@_attrs_define
class Vm:
    """A VM (chosen shape: the page names no fields). `state` is kept an open string so a state this description does not
    know still parses.

        Attributes:
            id (str): The VM's id, used in every `/api/v1/vms/:id` path.
            name (str): The name Nemeton shows.
            state (str): `stopped`, `running`, `paused` or `error` (the states announced by `vm.stopped`,
                `vm.started`/`vm.resumed`, `vm.paused` and `vm.error`).
            cpu_count (int): Virtual CPUs.
            memory_mb (int): RAM in MiB.
            disk_gb (int): Disk size in GiB.
    """

    id: str
    name: str
    state: str
    cpu_count: int
    memory_mb: int
    disk_gb: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        state = self.state

        cpu_count = self.cpu_count

        memory_mb = self.memory_mb

        disk_gb = self.disk_gb

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "state": state,
                "cpuCount": cpu_count,
                "memoryMB": memory_mb,
                "diskGB": disk_gb,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        state = d.pop("state")

        cpu_count = d.pop("cpuCount")

        memory_mb = d.pop("memoryMB")

        disk_gb = d.pop("diskGB")

        vm = cls(
            id=id,
            name=name,
            state=state,
            cpu_count=cpu_count,
            memory_mb=memory_mb,
            disk_gb=disk_gb,
        )

        vm.additional_properties = d
        return vm

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
