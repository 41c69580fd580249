from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Template")


@_attrs_define
class Template:
    """A VM template (fields: SDK).

    Attributes:
        id (str): The template's id.
        name (str): Its name.
        description (None | str | Unset): Its description.
        mac_os_version (None | str | Unset): The macOS version of its disk.
        icon_name (str | Unset): An icon name for the app.
        category (str | Unset): Its category (e.g. `cicd`).
        source_type (str | Unset): Where it came from (e.g. `vm`).
        created_at (datetime.datetime | Unset): When it was made (ISO 8601).
        modified_at (datetime.datetime | Unset): When it last changed (ISO 8601).
        disk_size_bytes (int | None | Unset): Its disk's size.
        default_cpu (int | Unset): CPUs a VM made from it gets.
        default_memory_mb (int | Unset): RAM in MB a VM made from it gets.
        default_disk_gb (int | Unset): Disk in GB a VM made from it gets.
    """

    id: str
    name: str
    description: None | str | Unset = UNSET
    mac_os_version: None | str | Unset = UNSET
    icon_name: str | Unset = UNSET
    category: str | Unset = UNSET
    source_type: str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    modified_at: datetime.datetime | Unset = UNSET
    disk_size_bytes: int | None | Unset = UNSET
    default_cpu: int | Unset = UNSET
    default_memory_mb: int | Unset = UNSET
    default_disk_gb: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        mac_os_version: None | str | Unset
        if isinstance(self.mac_os_version, Unset):
            mac_os_version = UNSET
        else:
            mac_os_version = self.mac_os_version

        icon_name = self.icon_name

        category = self.category

        source_type = self.source_type

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        modified_at: str | Unset = UNSET
        if not isinstance(self.modified_at, Unset):
            modified_at = self.modified_at.isoformat()

        disk_size_bytes: int | None | Unset
        if isinstance(self.disk_size_bytes, Unset):
            disk_size_bytes = UNSET
        else:
            disk_size_bytes = self.disk_size_bytes

        default_cpu = self.default_cpu

        default_memory_mb = self.default_memory_mb

        default_disk_gb = self.default_disk_gb

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if mac_os_version is not UNSET:
            field_dict["macOSVersion"] = mac_os_version
        if icon_name is not UNSET:
            field_dict["iconName"] = icon_name
        if category is not UNSET:
            field_dict["category"] = category
        if source_type is not UNSET:
            field_dict["sourceType"] = source_type
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if modified_at is not UNSET:
            field_dict["modifiedAt"] = modified_at
        if disk_size_bytes is not UNSET:
            field_dict["diskSizeBytes"] = disk_size_bytes
        if default_cpu is not UNSET:
            field_dict["defaultCPU"] = default_cpu
        if default_memory_mb is not UNSET:
            field_dict["defaultMemoryMB"] = default_memory_mb
        if default_disk_gb is not UNSET:
            field_dict["defaultDiskGB"] = default_disk_gb

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_mac_os_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mac_os_version = _parse_mac_os_version(d.pop("macOSVersion", UNSET))

        icon_name = d.pop("iconName", UNSET)

        category = d.pop("category", UNSET)

        source_type = d.pop("sourceType", UNSET)

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _modified_at = d.pop("modifiedAt", UNSET)
        modified_at: datetime.datetime | Unset
        if isinstance(_modified_at, Unset):
            modified_at = UNSET
        else:
            modified_at = datetime.datetime.fromisoformat(_modified_at)

        def _parse_disk_size_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        disk_size_bytes = _parse_disk_size_bytes(d.pop("diskSizeBytes", UNSET))

        default_cpu = d.pop("defaultCPU", UNSET)

        default_memory_mb = d.pop("defaultMemoryMB", UNSET)

        default_disk_gb = d.pop("defaultDiskGB", UNSET)

        template = cls(
            id=id,
            name=name,
            description=description,
            mac_os_version=mac_os_version,
            icon_name=icon_name,
            category=category,
            source_type=source_type,
            created_at=created_at,
            modified_at=modified_at,
            disk_size_bytes=disk_size_bytes,
            default_cpu=default_cpu,
            default_memory_mb=default_memory_mb,
            default_disk_gb=default_disk_gb,
        )

        template.additional_properties = d
        return template

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
