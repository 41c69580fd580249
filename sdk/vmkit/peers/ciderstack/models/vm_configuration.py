from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VMConfiguration")


@_attrs_define
class VMConfiguration:
    """A VM's configuration as `GetVMSettings` returns it. The SDK types it as a free `Dict`; the
    fields listed are those `UpdateVMSettings` sets (same names), others may appear.

        Attributes:
            cpu_count (int | Unset): Virtual CPUs.
            memory_size (int | Unset): RAM in MB (named `memorySize` here, `memoryMB` in `ListVMs`).
            disk_size_gb (int | None | Unset): Disk size in GB.
            display_width (int | Unset): Display width in pixels.
            display_height (int | Unset): Display height in pixels.
            intent (None | str | Unset): `disposable`, `persistent`, `interactive` or `ci`.
            expires_at (datetime.datetime | None | Unset): When its TTL runs out (ISO 8601).
    """

    cpu_count: int | Unset = UNSET
    memory_size: int | Unset = UNSET
    disk_size_gb: int | None | Unset = UNSET
    display_width: int | Unset = UNSET
    display_height: int | Unset = UNSET
    intent: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cpu_count = self.cpu_count

        memory_size = self.memory_size

        disk_size_gb: int | None | Unset
        if isinstance(self.disk_size_gb, Unset):
            disk_size_gb = UNSET
        else:
            disk_size_gb = self.disk_size_gb

        display_width = self.display_width

        display_height = self.display_height

        intent: None | str | Unset
        if isinstance(self.intent, Unset):
            intent = UNSET
        else:
            intent = self.intent

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cpu_count is not UNSET:
            field_dict["cpuCount"] = cpu_count
        if memory_size is not UNSET:
            field_dict["memorySize"] = memory_size
        if disk_size_gb is not UNSET:
            field_dict["diskSizeGB"] = disk_size_gb
        if display_width is not UNSET:
            field_dict["displayWidth"] = display_width
        if display_height is not UNSET:
            field_dict["displayHeight"] = display_height
        if intent is not UNSET:
            field_dict["intent"] = intent
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cpu_count = d.pop("cpuCount", UNSET)

        memory_size = d.pop("memorySize", UNSET)

        def _parse_disk_size_gb(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        disk_size_gb = _parse_disk_size_gb(d.pop("diskSizeGB", UNSET))

        display_width = d.pop("displayWidth", UNSET)

        display_height = d.pop("displayHeight", UNSET)

        def _parse_intent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        intent = _parse_intent(d.pop("intent", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))

        vm_configuration = cls(
            cpu_count=cpu_count,
            memory_size=memory_size,
            disk_size_gb=disk_size_gb,
            display_width=display_width,
            display_height=display_height,
            intent=intent,
            expires_at=expires_at,
        )

        vm_configuration.additional_properties = d
        return vm_configuration

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
