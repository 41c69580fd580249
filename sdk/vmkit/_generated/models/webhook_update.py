from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookUpdate")


@_attrs_define
class WebhookUpdate:
    """
    Attributes:
        url (str | Unset):
        types (list[str] | Unset):
        enabled (bool | Unset):
        description (str | Unset):
    """

    url: str | Unset = UNSET
    types: list[str] | Unset = UNSET
    enabled: bool | Unset = UNSET
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        types: list[str] | Unset = UNSET
        if not isinstance(self.types, Unset):
            types = self.types

        enabled = self.enabled

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if types is not UNSET:
            field_dict["types"] = types
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        types = cast(list[str], d.pop("types", UNSET))

        enabled = d.pop("enabled", UNSET)

        description = d.pop("description", UNSET)

        webhook_update = cls(
            url=url,
            types=types,
            enabled=enabled,
            description=description,
        )

        return webhook_update
