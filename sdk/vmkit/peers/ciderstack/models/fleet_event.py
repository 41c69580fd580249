from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FleetEvent")


@_attrs_define
class FleetEvent:
    """One entry of the fleet activity log. Chosen shape (SDK: `List[Dict]`).

    Attributes:
        id (str): The event's id.
        type_ (str): Its type (e.g. `vmStarted`), the value `eventType` filters on.
        timestamp (datetime.datetime): When it happened (ISO 8601).
        message (str | Unset): What happened, for people.
        node_id (None | str | Unset): The node it happened on.
        vm_id (None | str | Unset): The VM it concerns, if any.
    """

    id: str
    type_: str
    timestamp: datetime.datetime
    message: str | Unset = UNSET
    node_id: None | str | Unset = UNSET
    vm_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        timestamp = self.timestamp.isoformat()

        message = self.message

        node_id: None | str | Unset
        if isinstance(self.node_id, Unset):
            node_id = UNSET
        else:
            node_id = self.node_id

        vm_id: None | str | Unset
        if isinstance(self.vm_id, Unset):
            vm_id = UNSET
        else:
            vm_id = self.vm_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "timestamp": timestamp,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if node_id is not UNSET:
            field_dict["nodeID"] = node_id
        if vm_id is not UNSET:
            field_dict["vmID"] = vm_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        message = d.pop("message", UNSET)

        def _parse_node_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_id = _parse_node_id(d.pop("nodeID", UNSET))

        def _parse_vm_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vm_id = _parse_vm_id(d.pop("vmID", UNSET))

        fleet_event = cls(
            id=id,
            type_=type_,
            timestamp=timestamp,
            message=message,
            node_id=node_id,
            vm_id=vm_id,
        )

        fleet_event.additional_properties = d
        return fleet_event

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
