from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExecCommandRequest")


@_attrs_define
class ExecCommandRequest:
    """The body of `ExecCommand`. Authentication is in the body (`apiToken` or `callerNodeID`), so
    this document declares no security scheme for it. Mutating: needs a `fullAccess` token or a
    trusted node; a read-only token is refused with 403.

        Attributes:
            vm_id (str): The VM's id (a UUID that CiderStack assigns), as `ListVMs` reports it.
            command (str): A shell command line, run over SSH in the guest.
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            ssh_user (str | Unset): The guest user to log in as.
            ssh_password (str | Unset): Their password.
            timeout (int | Unset): Seconds the command may run (the SDK's default is 300).
    """

    vm_id: str
    command: str
    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    ssh_user: str | Unset = UNSET
    ssh_password: str | Unset = UNSET
    timeout: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        vm_id = self.vm_id

        command = self.command

        api_token = self.api_token

        caller_node_id = self.caller_node_id

        ssh_user = self.ssh_user

        ssh_password = self.ssh_password

        timeout = self.timeout

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "vmID": vm_id,
                "command": command,
            }
        )
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if ssh_user is not UNSET:
            field_dict["sshUser"] = ssh_user
        if ssh_password is not UNSET:
            field_dict["sshPassword"] = ssh_password
        if timeout is not UNSET:
            field_dict["timeout"] = timeout

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        vm_id = d.pop("vmID")

        command = d.pop("command")

        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        ssh_user = d.pop("sshUser", UNSET)

        ssh_password = d.pop("sshPassword", UNSET)

        timeout = d.pop("timeout", UNSET)

        exec_command_request = cls(
            vm_id=vm_id,
            command=command,
            api_token=api_token,
            caller_node_id=caller_node_id,
            ssh_user=ssh_user,
            ssh_password=ssh_password,
            timeout=timeout,
        )

        exec_command_request.additional_properties = d
        return exec_command_request

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
