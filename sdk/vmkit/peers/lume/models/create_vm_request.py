from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateVMRequest")


@_attrs_define
class CreateVMRequest:
    """What `POST /vms` takes.

    Attributes:
        name (str): Name of the VM.
        os (str): Guest OS (`macOS`, `linux`, etc.).
        cpu (int): Number of CPU cores.
        memory (str): Memory size (e.g. `4GB`).
        disk_size (str): Disk size (e.g. `64GB`).
        display (str | Unset): Display resolution (e.g. `1024x768`).
        ipsw (str | Unset): IPSW version (e.g. `latest`).
        storage (str | Unset): Storage type (`ssd`, etc.).
    """

    name: str
    os: str
    cpu: int
    memory: str
    disk_size: str
    display: str | Unset = UNSET
    ipsw: str | Unset = UNSET
    storage: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        os = self.os

        cpu = self.cpu

        memory = self.memory

        disk_size = self.disk_size

        display = self.display

        ipsw = self.ipsw

        storage = self.storage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "os": os,
                "cpu": cpu,
                "memory": memory,
                "diskSize": disk_size,
            }
        )
        if display is not UNSET:
            field_dict["display"] = display
        if ipsw is not UNSET:
            field_dict["ipsw"] = ipsw
        if storage is not UNSET:
            field_dict["storage"] = storage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        os = d.pop("os")

        cpu = d.pop("cpu")

        memory = d.pop("memory")

        disk_size = d.pop("diskSize")

        display = d.pop("display", UNSET)

        ipsw = d.pop("ipsw", UNSET)

        storage = d.pop("storage", UNSET)

        create_vm_request = cls(
            name=name,
            os=os,
            cpu=cpu,
            memory=memory,
            disk_size=disk_size,
            display=display,
            ipsw=ipsw,
            storage=storage,
        )

        create_vm_request.additional_properties = d
        return create_vm_request

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
