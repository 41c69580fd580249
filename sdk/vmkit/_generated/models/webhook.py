from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Webhook")


@_attrs_define
class Webhook:
    """
    Attributes:
        id (str):
        url (str):
        types (list[str]): The event types delivered (patterns like `vm.*`).
        enabled (bool):
        description (str):
        disabled_reason (None | str): Why the server disabled it (`failing`), or null.
        failure_count (int): Deliveries that failed in a row.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        etag (str):
    """

    id: str
    url: str
    types: list[str]
    enabled: bool
    description: str
    disabled_reason: None | str
    failure_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    etag: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        types = self.types

        enabled = self.enabled

        description = self.description

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        failure_count = self.failure_count

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        etag = self.etag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "types": types,
                "enabled": enabled,
                "description": description,
                "disabled_reason": disabled_reason,
                "failure_count": failure_count,
                "created_at": created_at,
                "updated_at": updated_at,
                "etag": etag,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        types = cast(list[str], d.pop("types"))

        enabled = d.pop("enabled")

        description = d.pop("description")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        failure_count = d.pop("failure_count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        etag = d.pop("etag")

        webhook = cls(
            id=id,
            url=url,
            types=types,
            enabled=enabled,
            description=description,
            disabled_reason=disabled_reason,
            failure_count=failure_count,
            created_at=created_at,
            updated_at=updated_at,
            etag=etag,
        )

        webhook.additional_properties = d
        return webhook

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
