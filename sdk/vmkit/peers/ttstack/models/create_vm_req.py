from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateVmReq")


@_attrs_define
class CreateVmReq:
    """What the controller sends an agent for one VM (sizes already defaulted).

    Attributes:
        vm_id (str):
        env_id (str):
        image (str):
        engine (Engine): The hypervisor or container engine: `qemu`, `firecracker`, `docker` on Linux hosts;
            `bhyve`, `jail` on FreeBSD hosts.
        cpu (int):
        mem (int): MiB.
        disk (int): MiB.
        ports (list[int]):
        deny_outgoing (bool):
        ssh_keys (list[str] | Unset): The environment's SSH keys (left out when none).
    """

    vm_id: str
    env_id: str
    image: str
    engine: Engine
    cpu: int
    mem: int
    disk: int
    ports: list[int]
    deny_outgoing: bool
    ssh_keys: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        vm_id = self.vm_id

        env_id = self.env_id

        image = self.image

        engine = self.engine.value

        cpu = self.cpu

        mem = self.mem

        disk = self.disk

        ports = self.ports

        deny_outgoing = self.deny_outgoing

        ssh_keys: list[str] | Unset = UNSET
        if not isinstance(self.ssh_keys, Unset):
            ssh_keys = self.ssh_keys

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "vm_id": vm_id,
                "env_id": env_id,
                "image": image,
                "engine": engine,
                "cpu": cpu,
                "mem": mem,
                "disk": disk,
                "ports": ports,
                "deny_outgoing": deny_outgoing,
            }
        )
        if ssh_keys is not UNSET:
            field_dict["ssh_keys"] = ssh_keys

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        vm_id = d.pop("vm_id")

        env_id = d.pop("env_id")

        image = d.pop("image")

        engine = Engine(d.pop("engine"))

        cpu = d.pop("cpu")

        mem = d.pop("mem")

        disk = d.pop("disk")

        ports = cast(list[int], d.pop("ports"))

        deny_outgoing = d.pop("deny_outgoing")

        ssh_keys = cast(list[str], d.pop("ssh_keys", UNSET))

        create_vm_req = cls(
            vm_id=vm_id,
            env_id=env_id,
            image=image,
            engine=engine,
            cpu=cpu,
            mem=mem,
            disk=disk,
            ports=ports,
            deny_outgoing=deny_outgoing,
            ssh_keys=ssh_keys,
        )

        create_vm_req.additional_properties = d
        return create_vm_req

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
