from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.validation_issue_location import ValidationIssueLocation
from ..types import UNSET, Unset

T = TypeVar("T", bound="ValidationIssue")


@_attrs_define
class ValidationIssue:
    """
    Attributes:
        location (ValidationIssueLocation): Which part of the request.
        pointer (str): RFC 6901 JSON pointer (or `/<parameter>`).
        detail (str): What is wrong there.
        keyword (str | Unset): The JSON Schema keyword that failed.
    """

    location: ValidationIssueLocation
    pointer: str
    detail: str
    keyword: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        location = self.location.value

        pointer = self.pointer

        detail = self.detail

        keyword = self.keyword

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "location": location,
                "pointer": pointer,
                "detail": detail,
            }
        )
        if keyword is not UNSET:
            field_dict["keyword"] = keyword

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        location = ValidationIssueLocation(d.pop("location"))

        pointer = d.pop("pointer")

        detail = d.pop("detail")

        keyword = d.pop("keyword", UNSET)

        validation_issue = cls(
            location=location,
            pointer=pointer,
            detail=detail,
            keyword=keyword,
        )

        validation_issue.additional_properties = d
        return validation_issue

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
