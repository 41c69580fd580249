from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetIpswInfoResult")


@_attrs_define
class GetIpswInfoResult:
    """The answer of `GetIPSWInfo`. Every field is optional because a failed call answers the error
    shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            name (str | Unset): The file's name.
            path (str | Unset): Its path.
            version (str | Unset): The macOS version it installs.
            build (str | Unset): The macOS build.
            size_bytes (int | Unset): Its size.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    name: str | Unset = UNSET
    path: str | Unset = UNSET
    version: str | Unset = UNSET
    build: str | Unset = UNSET
    size_bytes: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        name = self.name

        path = self.path

        version = self.version

        build = self.build

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if name is not UNSET:
            field_dict["name"] = name
        if path is not UNSET:
            field_dict["path"] = path
        if version is not UNSET:
            field_dict["version"] = version
        if build is not UNSET:
            field_dict["build"] = build
        if size_bytes is not UNSET:
            field_dict["sizeBytes"] = size_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        name = d.pop("name", UNSET)

        path = d.pop("path", UNSET)

        version = d.pop("version", UNSET)

        build = d.pop("build", UNSET)

        size_bytes = d.pop("sizeBytes", UNSET)

        get_ipsw_info_result = cls(
            success=success,
            error=error,
            name=name,
            path=path,
            version=version,
            build=build,
            size_bytes=size_bytes,
        )

        get_ipsw_info_result.additional_properties = d
        return get_ipsw_info_result

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
