from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.env_detail import EnvDetail


T = TypeVar("T", bound="EnvDetailResponse")


@_attrs_define
class EnvDetailResponse:
    """
    Attributes:
        ok (bool):
        data (EnvDetail | Unset):
        error (str | Unset):
    """

    ok: bool
    data: EnvDetail | Unset = UNSET
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.env_detail import EnvDetail  # noqa: PLC0415

        ok = self.ok

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.env_detail import EnvDetail  # noqa: PLC0415

        d = dict(src_dict)
        ok = d.pop("ok")

        _data = d.pop("data", UNSET)
        data: EnvDetail | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = EnvDetail.from_dict(_data)

        error = d.pop("error", UNSET)

        env_detail_response = cls(
            ok=ok,
            data=data,
            error=error,
        )

        env_detail_response.additional_properties = d
        return env_detail_response

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
