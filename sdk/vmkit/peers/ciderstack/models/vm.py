from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VM")


@_attrs_define
class VM:
    """A VM as `ListVMs` reports it (fields: SDK).

    Attributes:
        id (str): The VM's id (UUID).
        name (str): Its name.
        state (str): Its state: `stopped`, `starting`, `running`, `paused` (after `SuspendVM`), `stopping` or
            `error`. A plain string: clients must tolerate other values.
        cpu_count (int | Unset): Virtual CPUs.
        memory_mb (int | Unset): RAM in MB.
        disk_size_gb (int | None | Unset): Disk size in GB, when known.
        os_version (None | str | Unset): The macOS version installed in the guest, when known.
        ip_address (None | str | Unset): The guest's IP address while it runs and has one.
    """

    id: str
    name: str
    state: str
    cpu_count: int | Unset = UNSET
    memory_mb: int | Unset = UNSET
    disk_size_gb: int | None | Unset = UNSET
    os_version: None | str | Unset = UNSET
    ip_address: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        state = self.state

        cpu_count = self.cpu_count

        memory_mb = self.memory_mb

        disk_size_gb: int | None | Unset
        if isinstance(self.disk_size_gb, Unset):
            disk_size_gb = UNSET
        else:
            disk_size_gb = self.disk_size_gb

        os_version: None | str | Unset
        if isinstance(self.os_version, Unset):
            os_version = UNSET
        else:
            os_version = self.os_version

        ip_address: None | str | Unset
        if isinstance(self.ip_address, Unset):
            ip_address = UNSET
        else:
            ip_address = self.ip_address

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "state": state,
            }
        )
        if cpu_count is not UNSET:
            field_dict["cpuCount"] = cpu_count
        if memory_mb is not UNSET:
            field_dict["memoryMB"] = memory_mb
        if disk_size_gb is not UNSET:
            field_dict["diskSizeGB"] = disk_size_gb
        if os_version is not UNSET:
            field_dict["osVersion"] = os_version
        if ip_address is not UNSET:
            field_dict["ipAddress"] = ip_address

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        state = d.pop("state")

        cpu_count = d.pop("cpuCount", UNSET)

        memory_mb = d.pop("memoryMB", UNSET)

        def _parse_disk_size_gb(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        disk_size_gb = _parse_disk_size_gb(d.pop("diskSizeGB", UNSET))

        def _parse_os_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        os_version = _parse_os_version(d.pop("osVersion", UNSET))

        def _parse_ip_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip_address = _parse_ip_address(d.pop("ipAddress", UNSET))

        vm = cls(
            id=id,
            name=name,
            state=state,
            cpu_count=cpu_count,
            memory_mb=memory_mb,
            disk_size_gb=disk_size_gb,
            os_version=os_version,
            ip_address=ip_address,
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
