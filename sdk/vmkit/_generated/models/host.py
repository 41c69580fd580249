from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.host_status import HostStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.capabilities import Capabilities


T = TypeVar("T", bound="Host")


@_attrs_define
class Host:
    """
    Attributes:
        id (str):
        name (str): The machine's hostname.
        status (HostStatus): Whether the backend answers.
        backend (str): The backend driving this host.
        capabilities (Capabilities): What the host's backend can do; other actions answer 501.
        hypervisor (str):
        hypervisor_version (str):
        accelerator (None | str): e.g. `kvm` or `tcg`.
        cpus (int):
        memory_mib (int):
        vm_count (int):
        version (str): The vmkit server's version.
        etag (str):
    """

    id: str
    name: str
    status: HostStatus
    backend: str
    capabilities: Capabilities
    hypervisor: str
    hypervisor_version: str
    accelerator: None | str
    cpus: int
    memory_mib: int
    vm_count: int
    version: str
    etag: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.capabilities import Capabilities  # noqa: PLC0415

        id = self.id

        name = self.name

        status = self.status.value

        backend = self.backend

        capabilities = self.capabilities.to_dict()

        hypervisor = self.hypervisor

        hypervisor_version = self.hypervisor_version

        accelerator: None | str
        accelerator = self.accelerator

        cpus = self.cpus

        memory_mib = self.memory_mib

        vm_count = self.vm_count

        version = self.version

        etag = self.etag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
                "backend": backend,
                "capabilities": capabilities,
                "hypervisor": hypervisor,
                "hypervisor_version": hypervisor_version,
                "accelerator": accelerator,
                "cpus": cpus,
                "memory_mib": memory_mib,
                "vm_count": vm_count,
                "version": version,
                "etag": etag,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.capabilities import Capabilities  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        status = HostStatus(d.pop("status"))

        backend = d.pop("backend")

        capabilities = Capabilities.from_dict(d.pop("capabilities"))

        hypervisor = d.pop("hypervisor")

        hypervisor_version = d.pop("hypervisor_version")

        def _parse_accelerator(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        accelerator = _parse_accelerator(d.pop("accelerator"))

        cpus = d.pop("cpus")

        memory_mib = d.pop("memory_mib")

        vm_count = d.pop("vm_count")

        version = d.pop("version")

        etag = d.pop("etag")

        host = cls(
            id=id,
            name=name,
            status=status,
            backend=backend,
            capabilities=capabilities,
            hypervisor=hypervisor,
            hypervisor_version=hypervisor_version,
            accelerator=accelerator,
            cpus=cpus,
            memory_mib=memory_mib,
            vm_count=vm_count,
            version=version,
            etag=etag,
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
