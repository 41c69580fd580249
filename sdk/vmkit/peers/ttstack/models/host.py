from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resource import Resource


T = TypeVar("T", bound="Host")


@_attrs_define
class Host:
    """
    Attributes:
        id (str): The agent's host id.
        addr (str): The agent's address, `host:port`.
        resource (Resource): A host's capacity and what is allocated.
        state (str): `online` or `offline` (the agent did not answer the last check).
        engines (list[Engine]):
        storage (str): The storage backend: `file` (aliases `raw`) or `zvol` (aliases `zfs`).
        registered_at (int): Unix seconds.
    """

    id: str
    addr: str
    resource: Resource
    state: str
    engines: list[Engine]
    storage: str
    registered_at: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.resource import Resource  # noqa: PLC0415

        id = self.id

        addr = self.addr

        resource = self.resource.to_dict()

        state = self.state

        engines = []
        for engines_item_data in self.engines:
            engines_item = engines_item_data.value
            engines.append(engines_item)

        storage = self.storage

        registered_at = self.registered_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "addr": addr,
                "resource": resource,
                "state": state,
                "engines": engines,
                "storage": storage,
                "registered_at": registered_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.resource import Resource  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        addr = d.pop("addr")

        resource = Resource.from_dict(d.pop("resource"))

        state = d.pop("state")

        engines = []
        _engines = d.pop("engines")
        for engines_item_data in _engines:
            engines_item = Engine(engines_item_data)

            engines.append(engines_item)

        storage = d.pop("storage")

        registered_at = d.pop("registered_at")

        host = cls(
            id=id,
            addr=addr,
            resource=resource,
            state=state,
            engines=engines,
            storage=storage,
            registered_at=registered_at,
        )

        host.additional_properties = d
        return host

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
