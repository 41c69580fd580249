from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vm_port_map import VmPortMap


T = TypeVar("T", bound="Vm")


@_attrs_define
class Vm:
    """
    Attributes:
        id (str): The VM's id (12 characters, chosen by the controller).
        env_id (str):
        host_id (str):
        image (str):
        engine (Engine): The hypervisor or container engine: `qemu`, `firecracker`, `docker` on Linux hosts;
            `bhyve`, `jail` on FreeBSD hosts.
        cpu (int):
        mem (int): MiB.
        disk (int): MiB.
        ip (str): The VM's address on its host's bridge.
        port_map (VmPortMap): Guest port (as a string) → port on the host.
        state (str): `creating` (the engine is launching it), `running`, `paused` (a stopped `qemu` or
            `firecracker` VM), `stopped`, or `failed`.
        created_at (int): Unix seconds.
    """

    id: str
    env_id: str
    host_id: str
    image: str
    engine: Engine
    cpu: int
    mem: int
    disk: int
    ip: str
    port_map: VmPortMap
    state: str
    created_at: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.vm_port_map import VmPortMap  # noqa: PLC0415

        id = self.id

        env_id = self.env_id

        host_id = self.host_id

        image = self.image

        engine = self.engine.value

        cpu = self.cpu

        mem = self.mem

        disk = self.disk

        ip = self.ip

        port_map = self.port_map.to_dict()

        state = self.state

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "env_id": env_id,
                "host_id": host_id,
                "image": image,
                "engine": engine,
                "cpu": cpu,
                "mem": mem,
                "disk": disk,
                "ip": ip,
                "port_map": port_map,
                "state": state,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vm_port_map import VmPortMap  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        env_id = d.pop("env_id")

        host_id = d.pop("host_id")

        image = d.pop("image")

        engine = Engine(d.pop("engine"))

        cpu = d.pop("cpu")

        mem = d.pop("mem")

        disk = d.pop("disk")

        ip = d.pop("ip")

        port_map = VmPortMap.from_dict(d.pop("port_map"))

        state = d.pop("state")

        created_at = d.pop("created_at")

        vm = cls(
            id=id,
            env_id=env_id,
            host_id=host_id,
            image=image,
            engine=engine,
            cpu=cpu,
            mem=mem,
            disk=disk,
            ip=ip,
            port_map=port_map,
            state=state,
            created_at=created_at,
        )

        vm.additional_properties = d
        return vm

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
