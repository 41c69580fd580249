from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..types import UNSET, Unset

T = TypeVar("T", bound="VmSpec")


@_attrs_define
class VmSpec:
    """One VM of a new environment (an element of `vms`).

    Attributes:
        image (str): Base image name.
        engine (Engine | Unset): The hypervisor or container engine: `qemu`, `firecracker`, `docker` on Linux hosts;
            `bhyve`, `jail` on FreeBSD hosts.
        cpu (int | Unset): vCPUs (default: 2).
        mem (int | Unset): Memory in MiB (default: 1024).
        disk (int | Unset): Disk in MiB (default: 40960).
        ports (list[int] | Unset): Guest ports to expose; port 22 is always auto-included.
        deny_outgoing (bool | Unset): Block outbound traffic (default: false).
    """

    image: str
    engine: Engine | Unset = UNSET
    cpu: int | Unset = UNSET
    mem: int | Unset = UNSET
    disk: int | Unset = UNSET
    ports: list[int] | Unset = UNSET
    deny_outgoing: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image = self.image

        engine: str | Unset = UNSET
        if not isinstance(self.engine, Unset):
            engine = self.engine.value

        cpu = self.cpu

        mem = self.mem

        disk = self.disk

        ports: list[int] | Unset = UNSET
        if not isinstance(self.ports, Unset):
            ports = self.ports

        deny_outgoing = self.deny_outgoing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image": image,
            }
        )
        if engine is not UNSET:
            field_dict["engine"] = engine
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if mem is not UNSET:
            field_dict["mem"] = mem
        if disk is not UNSET:
            field_dict["disk"] = disk
        if ports is not UNSET:
            field_dict["ports"] = ports
        if deny_outgoing is not UNSET:
            field_dict["deny_outgoing"] = deny_outgoing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image = d.pop("image")

        _engine = d.pop("engine", UNSET)
        engine: Engine | Unset
        if isinstance(_engine, Unset):
            engine = UNSET
        else:
            engine = Engine(_engine)

        cpu = d.pop("cpu", UNSET)

        mem = d.pop("mem", UNSET)

        disk = d.pop("disk", UNSET)

        ports = cast(list[int], d.pop("ports", UNSET))

        deny_outgoing = d.pop("deny_outgoing", UNSET)

        vm_spec = cls(
            image=image,
            engine=engine,
            cpu=cpu,
            mem=mem,
            disk=disk,
            ports=ports,
            deny_outgoing=deny_outgoing,
        )

        vm_spec.additional_properties = d
        return vm_spec

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
