from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_data import EventData


T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """
    Attributes:
        id (int): Monotonic; pass it as `Last-Event-ID` or `since`.
        type_ (str): `vm.created|updated|renamed|deleted|state_changed|restarted|cloned`,
            `vm.snapshot.created|updated|restored|deleted`, `vm.console.output`,
            `operation.created|updated|finished`, `webhook.disabled`, `webhook.ping`,
            `host.*`; new types may appear.
        time (datetime.datetime):
        subject_type (str): What the event is about: `vm`, `operation`, `webhook`, ...
        subject_id (str):
        vm_id (None | str): The VM concerned, if any.
        data (EventData): The payload: the resource as it is after the change (`vm`, `operation`, with its
            new `etag`) and what changed (`previous_state`, ...).
    """

    id: int
    type_: str
    time: datetime.datetime
    subject_type: str
    subject_id: str
    vm_id: None | str
    data: EventData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.event_data import EventData  # noqa: PLC0415

        id = self.id

        type_ = self.type_

        time = self.time.isoformat()

        subject_type = self.subject_type

        subject_id = self.subject_id

        vm_id: None | str
        vm_id = self.vm_id

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "time": time,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "vm_id": vm_id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        subject_type = d.pop("subject_type")

        subject_id = d.pop("subject_id")

        def _parse_vm_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        vm_id = _parse_vm_id(d.pop("vm_id"))

        data = EventData.from_dict(d.pop("data"))

        event = cls(
            id=id,
            type_=type_,
            time=time,
            subject_type=subject_type,
            subject_id=subject_id,
            vm_id=vm_id,
            data=data,
        )

        event.additional_properties = d
        return event

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
