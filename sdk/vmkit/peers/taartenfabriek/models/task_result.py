from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskResult")


@_attrs_define
class TaskResult:
    """What the task produced. A start's result holds `message`, `ip_address` and `vnc_url`;
    others hold at least a `message`, and may hold more.

        Attributes:
            message (str | Unset):
            ip_address (None | str | Unset):
            vnc_url (None | str | Unset): `vnc://<ip>`
    """

    message: str | Unset = UNSET
    ip_address: None | str | Unset = UNSET
    vnc_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        ip_address: None | str | Unset
        if isinstance(self.ip_address, Unset):
            ip_address = UNSET
        else:
            ip_address = self.ip_address

        vnc_url: None | str | Unset
        if isinstance(self.vnc_url, Unset):
            vnc_url = UNSET
        else:
            vnc_url = self.vnc_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message is not UNSET:
            field_dict["message"] = message
        if ip_address is not UNSET:
            field_dict["ip_address"] = ip_address
        if vnc_url is not UNSET:
            field_dict["vnc_url"] = vnc_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message", UNSET)

        def _parse_ip_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip_address = _parse_ip_address(d.pop("ip_address", UNSET))

        def _parse_vnc_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vnc_url = _parse_vnc_url(d.pop("vnc_url", UNSET))

        task_result = cls(
            message=message,
            ip_address=ip_address,
            vnc_url=vnc_url,
        )

        task_result.additional_properties = d
        return task_result

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
