from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PrepareMigrationResult")


@_attrs_define
class PrepareMigrationResult:
    """The answer of `PrepareMigration`. Every field is optional because a failed call answers the
    error shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            message (str | Unset): What was done.
            migration_id (str | Unset): The migration, for the calls that follow (chosen shape).
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    message: str | Unset = UNSET
    migration_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        message = self.message

        migration_id = self.migration_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if message is not UNSET:
            field_dict["message"] = message
        if migration_id is not UNSET:
            field_dict["migrationID"] = migration_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        message = d.pop("message", UNSET)

        migration_id = d.pop("migrationID", UNSET)

        prepare_migration_result = cls(
            success=success,
            error=error,
            message=message,
            migration_id=migration_id,
        )

        prepare_migration_result.additional_properties = d
        return prepare_migration_result

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
