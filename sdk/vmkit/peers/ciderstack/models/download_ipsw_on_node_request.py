from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DownloadIpswOnNodeRequest")


@_attrs_define
class DownloadIpswOnNodeRequest:
    """The body of `DownloadIPSWOnNode`. Authentication is in the body (`apiToken` or
    `callerNodeID`), so this document declares no security scheme for it. Mutating: needs a
    `fullAccess` token or a trusted node; a read-only token is refused with 403.

        Attributes:
            download_url (str): Where to download the IPSW from.
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            request_id (str | Unset): A UUID the caller picks for this request (SDK).
            expected_name (str | Unset): The file name it should have.
            expected_version (str | Unset): The macOS version it should install.
    """

    download_url: str
    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    request_id: str | Unset = UNSET
    expected_name: str | Unset = UNSET
    expected_version: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        download_url = self.download_url

        api_token = self.api_token

        caller_node_id = self.caller_node_id

        request_id = self.request_id

        expected_name = self.expected_name

        expected_version = self.expected_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "downloadURL": download_url,
            }
        )
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if request_id is not UNSET:
            field_dict["requestID"] = request_id
        if expected_name is not UNSET:
            field_dict["expectedName"] = expected_name
        if expected_version is not UNSET:
            field_dict["expectedVersion"] = expected_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        download_url = d.pop("downloadURL")

        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        request_id = d.pop("requestID", UNSET)

        expected_name = d.pop("expectedName", UNSET)

        expected_version = d.pop("expectedVersion", UNSET)

        download_ipsw_on_node_request = cls(
            download_url=download_url,
            api_token=api_token,
            caller_node_id=caller_node_id,
            request_id=request_id,
            expected_name=expected_name,
            expected_version=expected_version,
        )

        download_ipsw_on_node_request.additional_properties = d
        return download_ipsw_on_node_request

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
