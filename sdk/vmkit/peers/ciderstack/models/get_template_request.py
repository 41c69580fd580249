from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetTemplateRequest")


@_attrs_define
class GetTemplateRequest:
    """The body of `GetTemplate`. Authentication is in the body (`apiToken` or `callerNodeID`), so
    this document declares no security scheme for it. Non-mutating: a read-only token may call
    it.

        Attributes:
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            template_id (str | Unset): The template's id (give this or `templateName`).
            template_name (str | Unset): The template's name.
    """

    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    template_id: str | Unset = UNSET
    template_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_token = self.api_token

        caller_node_id = self.caller_node_id

        template_id = self.template_id

        template_name = self.template_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if template_id is not UNSET:
            field_dict["templateID"] = template_id
        if template_name is not UNSET:
            field_dict["templateName"] = template_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        template_id = d.pop("templateID", UNSET)

        template_name = d.pop("templateName", UNSET)

        get_template_request = cls(
            api_token=api_token,
            caller_node_id=caller_node_id,
            template_id=template_id,
            template_name=template_name,
        )

        get_template_request.additional_properties = d
        return get_template_request

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
