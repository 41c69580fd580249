from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.node_id_value import NodeIDValue


T = TypeVar("T", bound="RequestPairingRequest")


@_attrs_define
class RequestPairingRequest:
    """The body of `RequestPairing`. No authentication: `apiToken`/`callerNodeID` are not needed.

    Attributes:
        requester_node_id (NodeIDValue): A node id, wrapped as pairing messages carry it (SDK).
        code (str): The 6-digit pairing code the CiderStack app shows.
        request_id (str | Unset): A UUID the caller picks.
        requester_name (str | Unset): A display name for the new node.
        requester_ip (str | Unset): The new node's address (the SDK sends `0.0.0.0`).
        public_key (str | Unset): The new node's P-256 public key, X9.62 uncompressed, base64.
    """

    requester_node_id: NodeIDValue
    code: str
    request_id: str | Unset = UNSET
    requester_name: str | Unset = UNSET
    requester_ip: str | Unset = UNSET
    public_key: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.node_id_value import NodeIDValue  # noqa: PLC0415

        requester_node_id = self.requester_node_id.to_dict()

        code = self.code

        request_id = self.request_id

        requester_name = self.requester_name

        requester_ip = self.requester_ip

        public_key = self.public_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "requesterNodeID": requester_node_id,
                "code": code,
            }
        )
        if request_id is not UNSET:
            field_dict["requestID"] = request_id
        if requester_name is not UNSET:
            field_dict["requesterName"] = requester_name
        if requester_ip is not UNSET:
            field_dict["requesterIP"] = requester_ip
        if public_key is not UNSET:
            field_dict["publicKey"] = public_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.node_id_value import NodeIDValue  # noqa: PLC0415

        d = dict(src_dict)
        requester_node_id = NodeIDValue.from_dict(d.pop("requesterNodeID"))

        code = d.pop("code")

        request_id = d.pop("requestID", UNSET)

        requester_name = d.pop("requesterName", UNSET)

        requester_ip = d.pop("requesterIP", UNSET)

        public_key = d.pop("publicKey", UNSET)

        request_pairing_request = cls(
            requester_node_id=requester_node_id,
            code=code,
            request_id=request_id,
            requester_name=requester_name,
            requester_ip=requester_ip,
            public_key=public_key,
        )

        request_pairing_request.additional_properties = d
        return request_pairing_request

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
