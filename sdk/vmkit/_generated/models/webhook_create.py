from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookCreate")


@_attrs_define
class WebhookCreate:
    """
    Attributes:
        url (str): An http(s) URL.
        types (list[str] | Unset):
        secret (str | Unset): `whsec_` + base64 (padded) of 24 to 64 random bytes; generated when omitted.
        enabled (bool | Unset):  Default: True.
        description (str | Unset):  Default: ''.
    """

    url: str
    types: list[str] | Unset = UNSET
    secret: str | Unset = UNSET
    enabled: bool | Unset = True
    description: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        types: list[str] | Unset = UNSET
        if not isinstance(self.types, Unset):
            types = self.types

        secret = self.secret

        enabled = self.enabled

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if types is not UNSET:
            field_dict["types"] = types
        if secret is not UNSET:
            field_dict["secret"] = secret
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        types = cast(list[str], d.pop("types", UNSET))

        secret = d.pop("secret", UNSET)

        enabled = d.pop("enabled", UNSET)

        description = d.pop("description", UNSET)

        webhook_create = cls(
            url=url,
            types=types,
            secret=secret,
            enabled=enabled,
            description=description,
        )

        return webhook_create
