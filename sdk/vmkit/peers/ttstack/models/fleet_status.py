from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FleetStatus")


@_attrs_define
class FleetStatus:
    """
    Attributes:
        hosts (int):
        hosts_online (int):
        total_vms (int):
        total_envs (int):
        cpu_total (int):
        cpu_used (int):
        mem_total (int): MiB.
        mem_used (int): MiB.
        disk_total (int): MiB.
        disk_used (int): MiB.
    """

    hosts: int
    hosts_online: int
    total_vms: int
    total_envs: int
    cpu_total: int
    cpu_used: int
    mem_total: int
    mem_used: int
    disk_total: int
    disk_used: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hosts = self.hosts

        hosts_online = self.hosts_online

        total_vms = self.total_vms

        total_envs = self.total_envs

        cpu_total = self.cpu_total

        cpu_used = self.cpu_used

        mem_total = self.mem_total

        mem_used = self.mem_used

        disk_total = self.disk_total

        disk_used = self.disk_used

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hosts": hosts,
                "hosts_online": hosts_online,
                "total_vms": total_vms,
                "total_envs": total_envs,
                "cpu_total": cpu_total,
                "cpu_used": cpu_used,
                "mem_total": mem_total,
                "mem_used": mem_used,
                "disk_total": disk_total,
                "disk_used": disk_used,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hosts = d.pop("hosts")

        hosts_online = d.pop("hosts_online")

        total_vms = d.pop("total_vms")

        total_envs = d.pop("total_envs")

        cpu_total = d.pop("cpu_total")

        cpu_used = d.pop("cpu_used")

        mem_total = d.pop("mem_total")

        mem_used = d.pop("mem_used")

        disk_total = d.pop("disk_total")

        disk_used = d.pop("disk_used")

        fleet_status = cls(
            hosts=hosts,
            hosts_online=hosts_online,
            total_vms=total_vms,
            total_envs=total_envs,
            cpu_total=cpu_total,
            cpu_used=cpu_used,
            mem_total=mem_total,
            mem_used=mem_used,
            disk_total=disk_total,
            disk_used=disk_used,
        )

        fleet_status.additional_properties = d
        return fleet_status

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
