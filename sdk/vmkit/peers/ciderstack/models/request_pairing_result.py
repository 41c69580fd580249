from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.node_id_value import NodeIDValue


T = TypeVar("T", bound="RequestPairingResult")


@_attrs_define
class RequestPairingResult:
    """The answer of `RequestPairing`. Every field is optional because a failed call answers the
    error shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            accepted (bool | Unset): The code matched; the requester is now a trusted node.
            error_message (None | str | Unset): Why it was rejected.
            responder_node_id (NodeIDValue | Unset): A node id, wrapped as pairing messages carry it (SDK).
            responder_name (str | Unset): The answering node's name.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    accepted: bool | Unset = UNSET
    error_message: None | str | Unset = UNSET
    responder_node_id: NodeIDValue | Unset = UNSET
    responder_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.node_id_value import NodeIDValue  # noqa: PLC0415

        success = self.success

        error = self.error

        accepted = self.accepted

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        responder_node_id: dict[str, Any] | Unset = UNSET
        if not isinstance(self.responder_node_id, Unset):
            responder_node_id = self.responder_node_id.to_dict()

        responder_name = self.responder_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if accepted is not UNSET:
            field_dict["accepted"] = accepted
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message
        if responder_node_id is not UNSET:
            field_dict["responderNodeID"] = responder_node_id
        if responder_name is not UNSET:
            field_dict["responderName"] = responder_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.node_id_value import NodeIDValue  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        accepted = d.pop("accepted", UNSET)

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("errorMessage", UNSET))

        _responder_node_id = d.pop("responderNodeID", UNSET)
        responder_node_id: NodeIDValue | Unset
        if isinstance(_responder_node_id, Unset):
            responder_node_id = UNSET
        else:
            responder_node_id = NodeIDValue.from_dict(_responder_node_id)

        responder_name = d.pop("responderName", UNSET)

        request_pairing_result = cls(
            success=success,
            error=error,
            accepted=accepted,
            error_message=error_message,
            responder_node_id=responder_node_id,
            responder_name=responder_name,
        )

        request_pairing_result.additional_properties = d
        return request_pairing_result

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
