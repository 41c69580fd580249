from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vm_config_raw import VMConfigRaw


T = TypeVar("T", bound="VMConfig")


@_attrs_define
class VMConfig:
    """
    Attributes:
        name (str):
        cpu (float | None):
        memory (None | str): Normalized, e.g. `8G`.
        disk_size (None | str): Normalized, e.g. `50G`.
        raw (VMConfigRaw): The raw JSON of `tart get --format json`.
    """

    name: str
    cpu: float | None
    memory: None | str
    disk_size: None | str
    raw: VMConfigRaw
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.vm_config_raw import VMConfigRaw  # noqa: PLC0415

        name = self.name

        cpu: float | None
        cpu = self.cpu

        memory: None | str
        memory = self.memory

        disk_size: None | str
        disk_size = self.disk_size

        raw = self.raw.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "cpu": cpu,
                "memory": memory,
                "disk_size": disk_size,
                "raw": raw,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vm_config_raw import VMConfigRaw  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_cpu(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cpu = _parse_cpu(d.pop("cpu"))

        def _parse_memory(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        memory = _parse_memory(d.pop("memory"))

        def _parse_disk_size(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disk_size = _parse_disk_size(d.pop("disk_size"))

        raw = VMConfigRaw.from_dict(d.pop("raw"))

        vm_config = cls(
            name=name,
            cpu=cpu,
            memory=memory,
            disk_size=disk_size,
            raw=raw,
        )

        vm_config.additional_properties = d
        return vm_config

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
