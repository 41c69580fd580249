from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Env")


@_attrs_define
class Env:
    """
    Attributes:
        id (str):
        owner (str):
        vm_ids (list[str]):
        created_at (int): Unix seconds.
        expires_at (int): Unix seconds after which it is destroyed (0: never, or still being created).
        state (str): `active` or `stopped`.
    """

    id: str
    owner: str
    vm_ids: list[str]
    created_at: int
    expires_at: int
    state: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        owner = self.owner

        vm_ids = self.vm_ids

        created_at = self.created_at

        expires_at = self.expires_at

        state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "owner": owner,
                "vm_ids": vm_ids,
                "created_at": created_at,
                "expires_at": expires_at,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        owner = d.pop("owner")

        vm_ids = cast(list[str], d.pop("vm_ids"))

        created_at = d.pop("created_at")

        expires_at = d.pop("expires_at")

        state = d.pop("state")

        env = cls(
            id=id,
            owner=owner,
            vm_ids=vm_ids,
            created_at=created_at,
            expires_at=expires_at,
            state=state,
        )

        env.additional_properties = d
        return env

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
