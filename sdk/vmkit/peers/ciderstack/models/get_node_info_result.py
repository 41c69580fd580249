from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetNodeInfoResult")


@_attrs_define
class GetNodeInfoResult:
    """The answer of `GetNodeInfo`. Every field is optional because a failed call answers the error
    shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            node_id (str | Unset): The node's UUID.
            name (str | Unset): The node's name.
            hostname (str | Unset): Its host name.
            ip_address (str | Unset): Its IP address.
            port (int | Unset): The Fleet port (9473).
            machine_model (str | Unset): The Mac model (e.g. `Mac14,3`).
            os_version (str | Unset): The host's macOS version.
            cpu_cores (int | Unset): CPU cores.
            total_memory_gb (int | Unset): RAM in GB.
            fleet_version (str | Unset): The CiderStack Fleet version.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    node_id: str | Unset = UNSET
    name: str | Unset = UNSET
    hostname: str | Unset = UNSET
    ip_address: str | Unset = UNSET
    port: int | Unset = UNSET
    machine_model: str | Unset = UNSET
    os_version: str | Unset = UNSET
    cpu_cores: int | Unset = UNSET
    total_memory_gb: int | Unset = UNSET
    fleet_version: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        error = self.error

        node_id = self.node_id

        name = self.name

        hostname = self.hostname

        ip_address = self.ip_address

        port = self.port

        machine_model = self.machine_model

        os_version = self.os_version

        cpu_cores = self.cpu_cores

        total_memory_gb = self.total_memory_gb

        fleet_version = self.fleet_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if node_id is not UNSET:
            field_dict["nodeID"] = node_id
        if name is not UNSET:
            field_dict["name"] = name
        if hostname is not UNSET:
            field_dict["hostname"] = hostname
        if ip_address is not UNSET:
            field_dict["ipAddress"] = ip_address
        if port is not UNSET:
            field_dict["port"] = port
        if machine_model is not UNSET:
            field_dict["machineModel"] = machine_model
        if os_version is not UNSET:
            field_dict["osVersion"] = os_version
        if cpu_cores is not UNSET:
            field_dict["cpuCores"] = cpu_cores
        if total_memory_gb is not UNSET:
            field_dict["totalMemoryGB"] = total_memory_gb
        if fleet_version is not UNSET:
            field_dict["fleetVersion"] = fleet_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        node_id = d.pop("nodeID", UNSET)

        name = d.pop("name", UNSET)

        hostname = d.pop("hostname", UNSET)

        ip_address = d.pop("ipAddress", UNSET)

        port = d.pop("port", UNSET)

        machine_model = d.pop("machineModel", UNSET)

        os_version = d.pop("osVersion", UNSET)

        cpu_cores = d.pop("cpuCores", UNSET)

        total_memory_gb = d.pop("totalMemoryGB", UNSET)

        fleet_version = d.pop("fleetVersion", UNSET)

        get_node_info_result = cls(
            success=success,
            error=error,
            node_id=node_id,
            name=name,
            hostname=hostname,
            ip_address=ip_address,
            port=port,
            machine_model=machine_model,
            os_version=os_version,
            cpu_cores=cpu_cores,
            total_memory_gb=total_memory_gb,
            fleet_version=fleet_version,
        )

        get_node_info_result.additional_properties = d
        return get_node_info_result

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
