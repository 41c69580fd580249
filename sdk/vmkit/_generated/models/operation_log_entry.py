from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_log_entry_level import OperationLogEntryLevel
from ..types import UNSET, Unset

T = TypeVar("T", bound="OperationLogEntry")


@_attrs_define
class OperationLogEntry:
    """
    Attributes:
        seq (int): Position in the operation's log.
        time (datetime.datetime):
        level (OperationLogEntryLevel):
        message (str):
    """

    seq: int
    time: datetime.datetime
    level: OperationLogEntryLevel
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        time = self.time.isoformat()

        level = self.level.value

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "time": time,
                "level": level,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        level = OperationLogEntryLevel(d.pop("level"))

        message = d.pop("message")

        operation_log_entry = cls(
            seq=seq,
            time=time,
            level=level,
            message=message,
        )

        operation_log_entry.additional_properties = d
        return operation_log_entry

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
