from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fleet_event import FleetEvent


T = TypeVar("T", bound="GetFleetEventsResult")


@_attrs_define
class GetFleetEventsResult:
    """The answer of `GetFleetEvents`. Every field is optional because a failed call answers the
    error shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            events (list[FleetEvent] | Unset): The events, newest first.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    events: list[FleetEvent] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.fleet_event import FleetEvent  # noqa: PLC0415

        success = self.success

        error = self.error

        events: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.to_dict()
                events.append(events_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fleet_event import FleetEvent  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        _events = d.pop("events", UNSET)
        events: list[FleetEvent] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = FleetEvent.from_dict(events_item_data)

                events.append(events_item)

        get_fleet_events_result = cls(
            success=success,
            error=error,
            events=events,
        )

        get_fleet_events_result.additional_properties = d
        return get_fleet_events_result

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
