from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OCIImage")


@_attrs_define
class OCIImage:
    """An OCI image cached on the node. Chosen shape: the document and SDK say only `List[Dict]`.

    Attributes:
        reference (str): The image reference (what `CreateVMOnNode` takes as `ociImage`).
        digest (None | str | Unset): Its manifest digest.
        size_bytes (int | None | Unset): Its size.
        pulled_at (datetime.datetime | None | Unset): When it was pulled (ISO 8601).
    """

    reference: str
    digest: None | str | Unset = UNSET
    size_bytes: int | None | Unset = UNSET
    pulled_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reference = self.reference

        digest: None | str | Unset
        if isinstance(self.digest, Unset):
            digest = UNSET
        else:
            digest = self.digest

        size_bytes: int | None | Unset
        if isinstance(self.size_bytes, Unset):
            size_bytes = UNSET
        else:
            size_bytes = self.size_bytes

        pulled_at: None | str | Unset
        if isinstance(self.pulled_at, Unset):
            pulled_at = UNSET
        elif isinstance(self.pulled_at, datetime.datetime):
            pulled_at = self.pulled_at.isoformat()
        else:
            pulled_at = self.pulled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reference": reference,
            }
        )
        if digest is not UNSET:
            field_dict["digest"] = digest
        if size_bytes is not UNSET:
            field_dict["sizeBytes"] = size_bytes
        if pulled_at is not UNSET:
            field_dict["pulledAt"] = pulled_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reference = d.pop("reference")

        def _parse_digest(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        digest = _parse_digest(d.pop("digest", UNSET))

        def _parse_size_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        size_bytes = _parse_size_bytes(d.pop("sizeBytes", UNSET))

        def _parse_pulled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pulled_at_type_0 = datetime.datetime.fromisoformat(data)

                return pulled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        pulled_at = _parse_pulled_at(d.pop("pulledAt", UNSET))

        oci_image = cls(
            reference=reference,
            digest=digest,
            size_bytes=size_bytes,
            pulled_at=pulled_at,
        )

        oci_image.additional_properties = d
        return oci_image

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
