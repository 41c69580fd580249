from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels


T = TypeVar("T", bound="VMCreate")


@_attrs_define
class VMCreate:
    """
    Attributes:
        name (str): Lowercase letters, digits and inner dashes; at most 63 characters.
        image (str | Unset): Image to create the VM from (the backend's default when omitted).
        cpus (int | Unset):  Default: 1.
        memory_mib (int | Unset):  Default: 512.
        disk_gib (int | Unset):  Default: 10.
        labels (Labels | Unset): Free-form `key: value` tags; at most 64.
        ttl_seconds (int | Unset): Delete the VM this many seconds after creation (reason `expired`).
        start (bool | Unset): Boot the VM once created. Default: False.
    """

    name: str
    image: str | Unset = UNSET
    cpus: int | Unset = 1
    memory_mib: int | Unset = 512
    disk_gib: int | Unset = 10
    labels: Labels | Unset = UNSET
    ttl_seconds: int | Unset = UNSET
    start: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.labels import Labels  # noqa: PLC0415

        name = self.name

        image = self.image

        cpus = self.cpus

        memory_mib = self.memory_mib

        disk_gib = self.disk_gib

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        ttl_seconds = self.ttl_seconds

        start = self.start

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if image is not UNSET:
            field_dict["image"] = image
        if cpus is not UNSET:
            field_dict["cpus"] = cpus
        if memory_mib is not UNSET:
            field_dict["memory_mib"] = memory_mib
        if disk_gib is not UNSET:
            field_dict["disk_gib"] = disk_gib
        if labels is not UNSET:
            field_dict["labels"] = labels
        if ttl_seconds is not UNSET:
            field_dict["ttl_seconds"] = ttl_seconds
        if start is not UNSET:
            field_dict["start"] = start

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        image = d.pop("image", UNSET)

        cpus = d.pop("cpus", UNSET)

        memory_mib = d.pop("memory_mib", UNSET)

        disk_gib = d.pop("disk_gib", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)

        ttl_seconds = d.pop("ttl_seconds", UNSET)

        start = d.pop("start", UNSET)

        vm_create = cls(
            name=name,
            image=image,
            cpus=cpus,
            memory_mib=memory_mib,
            disk_gib=disk_gib,
            labels=labels,
            ttl_seconds=ttl_seconds,
            start=start,
        )

        return vm_create
