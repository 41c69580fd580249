from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GitHubTokenStatus")


@_attrs_define
class GitHubTokenStatus:
    """
    Attributes:
        configured (bool):
        masked_token (None | str): The first and last four characters (`ghp_...xyz`), null when not set.
    """

    configured: bool
    masked_token: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        configured = self.configured

        masked_token: None | str
        masked_token = self.masked_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "configured": configured,
                "masked_token": masked_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        configured = d.pop("configured")

        def _parse_masked_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        masked_token = _parse_masked_token(d.pop("masked_token"))

        git_hub_token_status = cls(
            configured=configured,
            masked_token=masked_token,
        )

        git_hub_token_status.additional_properties = d
        return git_hub_token_status

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
