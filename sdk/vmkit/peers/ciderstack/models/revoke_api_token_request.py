from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RevokeApiTokenRequest")


@_attrs_define
class RevokeApiTokenRequest:
    """The body of `RevokeAPIToken`. Authentication is in the body (`apiToken` or `callerNodeID`),
    so this document declares no security scheme for it. Mutating: needs a `fullAccess` token or
    a trusted node; a read-only token is refused with 403.

        Attributes:
            token_id (str): The token's id.
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
    """

    token_id: str
    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token_id = self.token_id

        api_token = self.api_token

        caller_node_id = self.caller_node_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tokenID": token_id,
            }
        )
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token_id = d.pop("tokenID")

        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        revoke_api_token_request = cls(
            token_id=token_id,
            api_token=api_token,
            caller_node_id=caller_node_id,
        )

        revoke_api_token_request.additional_properties = d
        return revoke_api_token_request

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
