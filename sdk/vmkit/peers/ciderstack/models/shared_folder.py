from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SharedFolder")


@_attrs_define
class SharedFolder:
    """A host folder shared with a VM (fields: seed's `AddSharedFolder` and SDK).

    Attributes:
        name (str): Its name in the VM.
        host_path (str): The folder on the host.
        read_only (bool | Unset): The guest may only read it.
        enabled (bool | Unset): It is shared (see `SetSharedFolderEnabled`).
        mount_tag (None | str | Unset): The virtio-fs mount tag, if set.
    """

    name: str
    host_path: str
    read_only: bool | Unset = UNSET
    enabled: bool | Unset = UNSET
    mount_tag: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        host_path = self.host_path

        read_only = self.read_only

        enabled = self.enabled

        mount_tag: None | str | Unset
        if isinstance(self.mount_tag, Unset):
            mount_tag = UNSET
        else:
            mount_tag = self.mount_tag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "hostPath": host_path,
            }
        )
        if read_only is not UNSET:
            field_dict["readOnly"] = read_only
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if mount_tag is not UNSET:
            field_dict["mountTag"] = mount_tag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        host_path = d.pop("hostPath")

        read_only = d.pop("readOnly", UNSET)

        enabled = d.pop("enabled", UNSET)

        def _parse_mount_tag(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mount_tag = _parse_mount_tag(d.pop("mountTag", UNSET))

        shared_folder = cls(
            name=name,
            host_path=host_path,
            read_only=read_only,
            enabled=enabled,
            mount_tag=mount_tag,
        )

        shared_folder.additional_properties = d
        return shared_folder

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
