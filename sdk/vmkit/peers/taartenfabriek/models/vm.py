from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vm_status import VMStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="VM")


@_attrs_define
class VM:
    """A VM as Tart lists it.

    Attributes:
        name (str):
        status (str | VMStatus): `running`, `stopped` or `unknown` (any other value: read it as unknown).
        ip_address (None | str):
        source (None | str): Where Tart got it (`local`, `OCI`, or a registry reference).
        os (None | str):
        cpu (float | None):
        memory (None | str): With a unit, e.g. `8G`.
        disk_size (float | None | str): In GB as a number, or a string with a unit.
        display (None | str):
    """

    name: str
    status: str | VMStatus
    ip_address: None | str
    source: None | str
    os: None | str
    cpu: float | None
    memory: None | str
    disk_size: float | None | str
    display: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        status: str
        if isinstance(self.status, VMStatus):
            status = self.status.value
        else:
            status = self.status

        ip_address: None | str
        ip_address = self.ip_address

        source: None | str
        source = self.source

        os: None | str
        os = self.os

        cpu: float | None
        cpu = self.cpu

        memory: None | str
        memory = self.memory

        disk_size: float | None | str
        disk_size = self.disk_size

        display: None | str
        display = self.display

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "status": status,
                "ip_address": ip_address,
                "source": source,
                "os": os,
                "cpu": cpu,
                "memory": memory,
                "disk_size": disk_size,
                "display": display,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_status(data: object) -> str | VMStatus:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = VMStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | VMStatus, data)

        status = _parse_status(d.pop("status"))

        def _parse_ip_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip_address = _parse_ip_address(d.pop("ip_address"))

        def _parse_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source = _parse_source(d.pop("source"))

        def _parse_os(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        os = _parse_os(d.pop("os"))

        def _parse_cpu(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cpu = _parse_cpu(d.pop("cpu"))

        def _parse_memory(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        memory = _parse_memory(d.pop("memory"))

        def _parse_disk_size(data: object) -> float | None | str:
            if data is None:
                return data
            return cast(float | None | str, data)

        disk_size = _parse_disk_size(d.pop("disk_size"))

        def _parse_display(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display = _parse_display(d.pop("display"))

        vm = cls(
            name=name,
            status=status,
            ip_address=ip_address,
            source=source,
            os=os,
            cpu=cpu,
            memory=memory,
            disk_size=disk_size,
            display=display,
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
