from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PrepareReceiveRequest")


@_attrs_define
class PrepareReceiveRequest:
    """The body of `PrepareReceive`. Authentication is in the body (`apiToken` or `callerNodeID`),
    so this document declares no security scheme for it. Treated as mutating (chosen: the
    document's table does not list the internal methods): a `fullAccess` token or a trusted
    node; a read-only token is refused with 403.

        Attributes:
            migration_id (str): The migration.
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            vm_id (str | Unset): The VM's id (a UUID that CiderStack assigns), as `ListVMs` reports it.
    """

    migration_id: str
    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    vm_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        migration_id = self.migration_id

        api_token = self.api_token

        caller_node_id = self.caller_node_id

        vm_id = self.vm_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "migrationID": migration_id,
            }
        )
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if vm_id is not UNSET:
            field_dict["vmID"] = vm_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        migration_id = d.pop("migrationID")

        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        vm_id = d.pop("vmID", UNSET)

        prepare_receive_request = cls(
            migration_id=migration_id,
            api_token=api_token,
            caller_node_id=caller_node_id,
            vm_id=vm_id,
        )

        prepare_receive_request.additional_properties = d
        return prepare_receive_request

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
