from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetNodeStatsResult")


@_attrs_define
class GetNodeStatsResult:
    """The answer of `GetNodeStats`. Every field is optional because a failed call answers the
    error shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            node_id (str | Unset): The node's UUID.
            timestamp (datetime.datetime | Unset): When the numbers were taken (ISO 8601).
            cpu_usage_percent (float | Unset): CPU use, 0-100.
            memory_used_gb (float | Unset): RAM in use, GB.
            memory_total_gb (float | Unset): RAM, GB.
            disk_used_gb (float | Unset): Disk in use, GB.
            disk_total_gb (float | Unset): Disk, GB.
            running_vm_count (int | Unset): VMs running now (at most 2 macOS guests).
            total_vm_count (int | Unset): VMs on the node.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    node_id: str | Unset = UNSET
    timestamp: datetime.datetime | Unset = UNSET
    cpu_usage_percent: float | Unset = UNSET
    memory_used_gb: float | Unset = UNSET
    memory_total_gb: float | Unset = UNSET
    disk_used_gb: float | Unset = UNSET
    disk_total_gb: float | Unset = UNSET
    running_vm_count: int | Unset = UNSET
    total_vm_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        node_id = self.node_id

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.isoformat()

        cpu_usage_percent = self.cpu_usage_percent

        memory_used_gb = self.memory_used_gb

        memory_total_gb = self.memory_total_gb

        disk_used_gb = self.disk_used_gb

        disk_total_gb = self.disk_total_gb

        running_vm_count = self.running_vm_count

        total_vm_count = self.total_vm_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if node_id is not UNSET:
            field_dict["nodeID"] = node_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if cpu_usage_percent is not UNSET:
            field_dict["cpuUsagePercent"] = cpu_usage_percent
        if memory_used_gb is not UNSET:
            field_dict["memoryUsedGB"] = memory_used_gb
        if memory_total_gb is not UNSET:
            field_dict["memoryTotalGB"] = memory_total_gb
        if disk_used_gb is not UNSET:
            field_dict["diskUsedGB"] = disk_used_gb
        if disk_total_gb is not UNSET:
            field_dict["diskTotalGB"] = disk_total_gb
        if running_vm_count is not UNSET:
            field_dict["runningVMCount"] = running_vm_count
        if total_vm_count is not UNSET:
            field_dict["totalVMCount"] = total_vm_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        node_id = d.pop("nodeID", UNSET)

        _timestamp = d.pop("timestamp", UNSET)
        timestamp: datetime.datetime | Unset
        if isinstance(_timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = datetime.datetime.fromisoformat(_timestamp)

        cpu_usage_percent = d.pop("cpuUsagePercent", UNSET)

        memory_used_gb = d.pop("memoryUsedGB", UNSET)

        memory_total_gb = d.pop("memoryTotalGB", UNSET)

        disk_used_gb = d.pop("diskUsedGB", UNSET)

        disk_total_gb = d.pop("diskTotalGB", UNSET)

        running_vm_count = d.pop("runningVMCount", UNSET)

        total_vm_count = d.pop("totalVMCount", UNSET)

        get_node_stats_result = cls(
            success=success,
            error=error,
            node_id=node_id,
            timestamp=timestamp,
            cpu_usage_percent=cpu_usage_percent,
            memory_used_gb=memory_used_gb,
            memory_total_gb=memory_total_gb,
            disk_used_gb=disk_used_gb,
            disk_total_gb=disk_total_gb,
            running_vm_count=running_vm_count,
            total_vm_count=total_vm_count,
        )

        get_node_stats_result.additional_properties = d
        return get_node_stats_result

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
