from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """One live event or webhook delivery. Chosen shape: the type in `event`, the VM it is about in `vmId`; the page
    describes no payload, so other fields are open.

        Attributes:
            event (str): `vm.started`, `vm.stopped`, `vm.paused`, `vm.resumed`, `vm.error`, `snapshot.created`,
                `snapshot.restored`, `snapshot.deleted`, `console.output`, `download.started`, `download.completed` or
                `download.failed`.
            vm_id (str | Unset): The VM concerned, for `vm.*`, `snapshot.*` and `console.*` events.
    """

    event: str
    vm_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        vm_id = self.vm_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
            }
        )
        if vm_id is not UNSET:
            field_dict["vmId"] = vm_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = d.pop("event")

        vm_id = d.pop("vmId", UNSET)

        event = cls(
            event=event,
            vm_id=vm_id,
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
