from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels


T = TypeVar("T", bound="CloneRequest")


@_attrs_define
class CloneRequest:
    """
    Attributes:
        name (str): Lowercase letters, digits and inner dashes; at most 63 characters.
        labels (Labels | Unset): Free-form `key: value` tags; at most 64.
        start (bool | Unset): Boot the clone once made. Default: False.
    """

    name: str
    labels: Labels | Unset = UNSET
    start: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.labels import Labels  # noqa: PLC0415

        name = self.name

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        start = self.start

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if labels is not UNSET:
            field_dict["labels"] = labels
        if start is not UNSET:
            field_dict["start"] = start

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)

        start = d.pop("start", UNSET)

        clone_request = cls(
            name=name,
            labels=labels,
            start=start,
        )

        return clone_request
