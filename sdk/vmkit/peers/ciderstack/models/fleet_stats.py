from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FleetStats")


@_attrs_define
class FleetStats:
    """Fleet-wide counts (`totalNodes`, `runningVMs`: SDK README; others chosen).

    Attributes:
        total_nodes (int | Unset): Nodes in the fleet.
        online_nodes (int | Unset): Nodes that answer.
        total_v_ms (int | Unset): VMs on all nodes.
        running_v_ms (int | Unset): VMs running on all nodes.
    """

    total_nodes: int | Unset = UNSET
    online_nodes: int | Unset = UNSET
    total_v_ms: int | Unset = UNSET
    running_v_ms: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_nodes = self.total_nodes

        online_nodes = self.online_nodes

        total_v_ms = self.total_v_ms

        running_v_ms = self.running_v_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if total_nodes is not UNSET:
            field_dict["totalNodes"] = total_nodes
        if online_nodes is not UNSET:
            field_dict["onlineNodes"] = online_nodes
        if total_v_ms is not UNSET:
            field_dict["totalVMs"] = total_v_ms
        if running_v_ms is not UNSET:
            field_dict["runningVMs"] = running_v_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total_nodes = d.pop("totalNodes", UNSET)

        online_nodes = d.pop("onlineNodes", UNSET)

        total_v_ms = d.pop("totalVMs", UNSET)

        running_v_ms = d.pop("runningVMs", UNSET)

        fleet_stats = cls(
            total_nodes=total_nodes,
            online_nodes=online_nodes,
            total_v_ms=total_v_ms,
            running_v_ms=running_v_ms,
        )

        fleet_stats.additional_properties = d
        return fleet_stats

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
