from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetFleetEventsRequest")


@_attrs_define
class GetFleetEventsRequest:
    """The body of `GetFleetEvents`. Authentication is in the body (`apiToken` or `callerNodeID`),
    so this document declares no security scheme for it. Non-mutating: a read-only token may
    call it.

        Attributes:
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            limit (int | Unset): At most this many events, newest first (SDK default 100).
            event_type (str | Unset): Only events of this type (SDK).
    """

    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    limit: int | Unset = UNSET
    event_type: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_token = self.api_token

        caller_node_id = self.caller_node_id

        limit = self.limit

        event_type = self.event_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if limit is not UNSET:
            field_dict["limit"] = limit
        if event_type is not UNSET:
            field_dict["eventType"] = event_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        limit = d.pop("limit", UNSET)

        event_type = d.pop("eventType", UNSET)

        get_fleet_events_request = cls(
            api_token=api_token,
            caller_node_id=caller_node_id,
            limit=limit,
            event_type=event_type,
        )

        get_fleet_events_request.additional_properties = d
        return get_fleet_events_request

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
