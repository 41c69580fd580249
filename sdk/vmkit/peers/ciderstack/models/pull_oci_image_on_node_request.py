from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.registry_credentials import RegistryCredentials


T = TypeVar("T", bound="PullOciImageOnNodeRequest")


@_attrs_define
class PullOciImageOnNodeRequest:
    """The body of `PullOCIImageOnNode`. Authentication is in the body (`apiToken` or
    `callerNodeID`), so this document declares no security scheme for it. Mutating: needs a
    `fullAccess` token or a trusted node; a read-only token is refused with 403.

        Attributes:
            image_reference (str): The image to pull.
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            request_id (str | Unset): A UUID the caller picks for this request (SDK).
            credentials (RegistryCredentials | Unset): Credentials for a private registry (seed).
    """

    image_reference: str
    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    request_id: str | Unset = UNSET
    credentials: RegistryCredentials | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.registry_credentials import RegistryCredentials  # noqa: PLC0415

        image_reference = self.image_reference

        api_token = self.api_token

        caller_node_id = self.caller_node_id

        request_id = self.request_id

        credentials: dict[str, Any] | Unset = UNSET
        if not isinstance(self.credentials, Unset):
            credentials = self.credentials.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "imageReference": image_reference,
            }
        )
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if request_id is not UNSET:
            field_dict["requestID"] = request_id
        if credentials is not UNSET:
            field_dict["credentials"] = credentials

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.registry_credentials import RegistryCredentials  # noqa: PLC0415

        d = dict(src_dict)
        image_reference = d.pop("imageReference")

        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        request_id = d.pop("requestID", UNSET)

        _credentials = d.pop("credentials", UNSET)
        credentials: RegistryCredentials | Unset
        if isinstance(_credentials, Unset):
            credentials = UNSET
        else:
            credentials = RegistryCredentials.from_dict(_credentials)

        pull_oci_image_on_node_request = cls(
            image_reference=image_reference,
            api_token=api_token,
            caller_node_id=caller_node_id,
            request_id=request_id,
            credentials=credentials,
        )

        pull_oci_image_on_node_request.additional_properties = d
        return pull_oci_image_on_node_request

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
