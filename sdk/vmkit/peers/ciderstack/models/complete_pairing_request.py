from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.node_id_value import NodeIDValue


T = TypeVar("T", bound="CompletePairingRequest")


@_attrs_define
class CompletePairingRequest:
    """The body of `CompletePairing`. No authentication: `apiToken`/`callerNodeID` are not needed.

    Attributes:
        request_id (str): The `requestID` of the `RequestPairing` it completes.
        requester_node_id (NodeIDValue | Unset): A node id, wrapped as pairing messages carry it (SDK).
    """

    request_id: str
    requester_node_id: NodeIDValue | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.node_id_value import NodeIDValue  # noqa: PLC0415

        request_id = self.request_id

        requester_node_id: dict[str, Any] | Unset = UNSET
        if not isinstance(self.requester_node_id, Unset):
            requester_node_id = self.requester_node_id.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "requestID": request_id,
            }
        )
        if requester_node_id is not UNSET:
            field_dict["requesterNodeID"] = requester_node_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.node_id_value import NodeIDValue  # noqa: PLC0415

        d = dict(src_dict)
        request_id = d.pop("requestID")

        _requester_node_id = d.pop("requesterNodeID", UNSET)
        requester_node_id: NodeIDValue | Unset
        if isinstance(_requester_node_id, Unset):
            requester_node_id = UNSET
        else:
            requester_node_id = NodeIDValue.from_dict(_requester_node_id)

        complete_pairing_request = cls(
            request_id=request_id,
            requester_node_id=requester_node_id,
        )

        complete_pairing_request.additional_properties = d
        return complete_pairing_request

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
