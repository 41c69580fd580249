from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateVMRequest")


@_attrs_define
class UpdateVMRequest:
    """What `PUT /vms/{name}` takes (all optional).

    Attributes:
        cpu (int | Unset): Number of CPU cores.
        memory (str | Unset): Memory size (e.g. `8GB`).
        disk_size (str | Unset): Disk size (e.g. `100GB`).
        display (str | Unset): Display resolution (e.g. `1920x1080`).
        storage (str | Unset): Storage type (`ssd`, etc.).
    """

    cpu: int | Unset = UNSET
    memory: str | Unset = UNSET
    disk_size: str | Unset = UNSET
    display: str | Unset = UNSET
    storage: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cpu = self.cpu

        memory = self.memory

        disk_size = self.disk_size

        display = self.display

        storage = self.storage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if memory is not UNSET:
            field_dict["memory"] = memory
        if disk_size is not UNSET:
            field_dict["diskSize"] = disk_size
        if display is not UNSET:
            field_dict["display"] = display
        if storage is not UNSET:
            field_dict["storage"] = storage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cpu = d.pop("cpu", UNSET)

        memory = d.pop("memory", UNSET)

        disk_size = d.pop("diskSize", UNSET)

        display = d.pop("display", UNSET)

        storage = d.pop("storage", UNSET)

        update_vm_request = cls(
            cpu=cpu,
            memory=memory,
            disk_size=disk_size,
            display=display,
            storage=storage,
        )

        update_vm_request.additional_properties = d
        return update_vm_request

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
