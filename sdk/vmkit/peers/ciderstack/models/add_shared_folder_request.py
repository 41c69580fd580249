from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AddSharedFolderRequest")


@_attrs_define
class AddSharedFolderRequest:
    """The body of `AddSharedFolder`. Authentication is in the body (`apiToken` or `callerNodeID`),
    so this document declares no security scheme for it. Mutating: needs a `fullAccess` token or
    a trusted node; a read-only token is refused with 403.

        Attributes:
            vm_id (str): The VM's id (a UUID that CiderStack assigns), as `ListVMs` reports it.
            name (str): Its name in the VM.
            host_path (str): The folder on the host.
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            read_only (bool | Unset): The guest may only read it.
            mount_tag (str | Unset): The virtio-fs mount tag (SDK).
    """

    vm_id: str
    name: str
    host_path: str
    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    read_only: bool | Unset = UNSET
    mount_tag: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        vm_id = self.vm_id

        name = self.name

        host_path = self.host_path

        api_token = self.api_token

        caller_node_id = self.caller_node_id

        read_only = self.read_only

        mount_tag = self.mount_tag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "vmID": vm_id,
                "name": name,
                "hostPath": host_path,
            }
        )
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if read_only is not UNSET:
            field_dict["readOnly"] = read_only
        if mount_tag is not UNSET:
            field_dict["mountTag"] = mount_tag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        vm_id = d.pop("vmID")

        name = d.pop("name")

        host_path = d.pop("hostPath")

        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        read_only = d.pop("readOnly", UNSET)

        mount_tag = d.pop("mountTag", UNSET)

        add_shared_folder_request = cls(
            vm_id=vm_id,
            name=name,
            host_path=host_path,
            api_token=api_token,
            caller_node_id=caller_node_id,
            read_only=read_only,
            mount_tag=mount_tag,
        )

        add_shared_folder_request.additional_properties = d
        return add_shared_folder_request

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
