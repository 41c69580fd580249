from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels


T = TypeVar("T", bound="VMUpdate")


@_attrs_define
class VMUpdate:
    """
    Attributes:
        cpus (int | Unset):
        memory_mib (int | Unset):
        labels (Labels | Unset): Free-form `key: value` tags; at most 64.
        ttl_seconds (int | None | Unset):
    """

    cpus: int | Unset = UNSET
    memory_mib: int | Unset = UNSET
    labels: Labels | Unset = UNSET
    ttl_seconds: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.labels import Labels  # noqa: PLC0415

        cpus = self.cpus

        memory_mib = self.memory_mib

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        ttl_seconds: int | None | Unset
        if isinstance(self.ttl_seconds, Unset):
            ttl_seconds = UNSET
        else:
            ttl_seconds = self.ttl_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cpus is not UNSET:
            field_dict["cpus"] = cpus
        if memory_mib is not UNSET:
            field_dict["memory_mib"] = memory_mib
        if labels is not UNSET:
            field_dict["labels"] = labels
        if ttl_seconds is not UNSET:
            field_dict["ttl_seconds"] = ttl_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415

        d = dict(src_dict)
        cpus = d.pop("cpus", UNSET)

        memory_mib = d.pop("memory_mib", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)

        def _parse_ttl_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ttl_seconds = _parse_ttl_seconds(d.pop("ttl_seconds", UNSET))

        vm_update = cls(
            cpus=cpus,
            memory_mib=memory_mib,
            labels=labels,
            ttl_seconds=ttl_seconds,
        )

        return vm_update
