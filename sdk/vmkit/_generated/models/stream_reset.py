from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamReset")


@_attrs_define
class StreamReset:
    """The data of an SSE `reset` frame.

    Attributes:
        reason (str): Why the stream could not resume: `pruned` (the log no longer holds the events
            after that id) or `unknown_id` (an id newer than anything in this log, e.g. a
            server whose data was wiped).
        last_event_id (int): The id the client asked to resume after.
        oldest_event_id (int | None): The oldest id still in the log.
    """

    reason: str
    last_event_id: int
    oldest_event_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        last_event_id = self.last_event_id

        oldest_event_id: int | None
        oldest_event_id = self.oldest_event_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
                "last_event_id": last_event_id,
                "oldest_event_id": oldest_event_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        last_event_id = d.pop("last_event_id")

        def _parse_oldest_event_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        oldest_event_id = _parse_oldest_event_id(d.pop("oldest_event_id"))

        stream_reset = cls(
            reason=reason,
            last_event_id=last_event_id,
            oldest_event_id=oldest_event_id,
        )

        stream_reset.additional_properties = d
        return stream_reset

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
