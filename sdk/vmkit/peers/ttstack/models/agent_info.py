from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resource import Resource


T = TypeVar("T", bound="AgentInfo")


@_attrs_define
class AgentInfo:
    """
    Attributes:
        host_id (str):
        resource (Resource): A host's capacity and what is allocated.
        engines (list[Engine]):
        storage (str): `file` (plain qcow2 files; aliases `raw`) or `zvol` (ZFS zvols; aliases `zfs`).
        images (list[str]):
    """

    host_id: str
    resource: Resource
    engines: list[Engine]
    storage: str
    images: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.resource import Resource  # noqa: PLC0415

        host_id = self.host_id

        resource = self.resource.to_dict()

        engines = []
        for engines_item_data in self.engines:
            engines_item = engines_item_data.value
            engines.append(engines_item)

        storage = self.storage

        images = self.images

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "host_id": host_id,
                "resource": resource,
                "engines": engines,
                "storage": storage,
                "images": images,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.resource import Resource  # noqa: PLC0415

        d = dict(src_dict)
        host_id = d.pop("host_id")

        resource = Resource.from_dict(d.pop("resource"))

        engines = []
        _engines = d.pop("engines")
        for engines_item_data in _engines:
            engines_item = Engine(engines_item_data)

            engines.append(engines_item)

        storage = d.pop("storage")

        images = cast(list[str], d.pop("images"))

        agent_info = cls(
            host_id=host_id,
            resource=resource,
            engines=engines,
            storage=storage,
            images=images,
        )

        agent_info.additional_properties = d
        return agent_info

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
