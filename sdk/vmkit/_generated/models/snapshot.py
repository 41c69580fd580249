from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.snapshot_state import SnapshotState
from ..types import UNSET, Unset

T = TypeVar("T", bound="Snapshot")


@_attrs_define
class Snapshot:
    """
    Attributes:
        id (str):
        name (str): Lowercase letters, digits and inner dashes; at most 63 characters.
        vm_id (str):
        description (None | str):
        state (SnapshotState): `ready` once it can be restored.
        includes_memory (bool): Restoring brings the VM back running.
        vm_state (str): The VM's state when the snapshot was taken.
        size_bytes (int | None):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        etag (str):
    """

    id: str
    name: str
    vm_id: str
    description: None | str
    state: SnapshotState
    includes_memory: bool
    vm_state: str
    size_bytes: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    etag: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        vm_id = self.vm_id

        description: None | str
        description = self.description

        state = self.state.value

        includes_memory = self.includes_memory

        vm_state = self.vm_state

        size_bytes: int | None
        size_bytes = self.size_bytes

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        etag = self.etag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "vm_id": vm_id,
                "description": description,
                "state": state,
                "includes_memory": includes_memory,
                "vm_state": vm_state,
                "size_bytes": size_bytes,
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

        name = d.pop("name")

        vm_id = d.pop("vm_id")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        state = SnapshotState(d.pop("state"))

        includes_memory = d.pop("includes_memory")

        vm_state = d.pop("vm_state")

        def _parse_size_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size_bytes = _parse_size_bytes(d.pop("size_bytes"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        etag = d.pop("etag")

        snapshot = cls(
            id=id,
            name=name,
            vm_id=vm_id,
            description=description,
            state=state,
            includes_memory=includes_memory,
            vm_state=vm_state,
            size_bytes=size_bytes,
            created_at=created_at,
            updated_at=updated_at,
            etag=etag,
        )

        snapshot.additional_properties = d
        return snapshot

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
