from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fleet_overview_nodes_item import FleetOverviewNodesItem
    from ..models.fleet_stats import FleetStats


T = TypeVar("T", bound="FleetOverview")


@_attrs_define
class FleetOverview:
    """The aggregated fleet status.

    Attributes:
        stats (FleetStats | Unset): Fleet-wide counts (`totalNodes`, `runningVMs`: SDK README; others chosen).
        nodes (list[FleetOverviewNodesItem] | Unset): One entry per node (free-form: undocumented).
    """

    stats: FleetStats | Unset = UNSET
    nodes: list[FleetOverviewNodesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.fleet_overview_nodes_item import FleetOverviewNodesItem  # noqa: PLC0415
        from ..models.fleet_stats import FleetStats  # noqa: PLC0415

        stats: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stats, Unset):
            stats = self.stats.to_dict()

        nodes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.nodes, Unset):
            nodes = []
            for nodes_item_data in self.nodes:
                nodes_item = nodes_item_data.to_dict()
                nodes.append(nodes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if stats is not UNSET:
            field_dict["stats"] = stats
        if nodes is not UNSET:
            field_dict["nodes"] = nodes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fleet_overview_nodes_item import FleetOverviewNodesItem  # noqa: PLC0415
        from ..models.fleet_stats import FleetStats  # noqa: PLC0415

        d = dict(src_dict)
        _stats = d.pop("stats", UNSET)
        stats: FleetStats | Unset
        if isinstance(_stats, Unset):
            stats = UNSET
        else:
            stats = FleetStats.from_dict(_stats)

        _nodes = d.pop("nodes", UNSET)
        nodes: list[FleetOverviewNodesItem] | Unset = UNSET
        if _nodes is not UNSET:
            nodes = []
            for nodes_item_data in _nodes:
                nodes_item = FleetOverviewNodesItem.from_dict(nodes_item_data)

                nodes.append(nodes_item)

        fleet_overview = cls(
            stats=stats,
            nodes=nodes,
        )

        fleet_overview.additional_properties = d
        return fleet_overview

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
