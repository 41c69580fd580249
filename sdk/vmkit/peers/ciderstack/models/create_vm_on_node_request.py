from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateVmOnNodeRequest")


@_attrs_define
class CreateVmOnNodeRequest:
    """The body of `CreateVMOnNode`. Authentication is in the body (`apiToken` or `callerNodeID`),
    so this document declares no security scheme for it. Mutating: needs a `fullAccess` token or
    a trusted node; a read-only token is refused with 403.

        Attributes:
            name (str): The new VM's name.
            api_token (str | Unset): An API token (`csk_` prefix). Give this or `callerNodeID`. Read-only tokens may call
                only
                non-mutating methods.
            caller_node_id (str | Unset): The id of a trusted (paired) node, instead of `apiToken`; it has full access.
            request_id (str | Unset): A UUID the caller picks for this request (SDK).
            cpu_count (int | Unset): Virtual CPUs.
            memory_mb (int | Unset): RAM in MB (seed's name).
            disk_gb (int | Unset): Disk size in GB (seed's name).
            oci_image (str | Unset): An OCI image cached on the node to install from (seed's name).
            ipsw_path (str | Unset): An IPSW file on the node to install from (SDK).
            memory_size_mb (int | Unset): RAM in MB as the SDK names it (same as `memoryMB`).
            disk_size_gb (int | Unset): Disk in GB as the SDK names it (same as `diskGB`).
            oci_image_reference (str | Unset): The OCI image as the SDK names it (same as `ociImage`).
    """

    name: str
    api_token: str | Unset = UNSET
    caller_node_id: str | Unset = UNSET
    request_id: str | Unset = UNSET
    cpu_count: int | Unset = UNSET
    memory_mb: int | Unset = UNSET
    disk_gb: int | Unset = UNSET
    oci_image: str | Unset = UNSET
    ipsw_path: str | Unset = UNSET
    memory_size_mb: int | Unset = UNSET
    disk_size_gb: int | Unset = UNSET
    oci_image_reference: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        api_token = self.api_token

        caller_node_id = self.caller_node_id

        request_id = self.request_id

        cpu_count = self.cpu_count

        memory_mb = self.memory_mb

        disk_gb = self.disk_gb

        oci_image = self.oci_image

        ipsw_path = self.ipsw_path

        memory_size_mb = self.memory_size_mb

        disk_size_gb = self.disk_size_gb

        oci_image_reference = self.oci_image_reference

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if api_token is not UNSET:
            field_dict["apiToken"] = api_token
        if caller_node_id is not UNSET:
            field_dict["callerNodeID"] = caller_node_id
        if request_id is not UNSET:
            field_dict["requestID"] = request_id
        if cpu_count is not UNSET:
            field_dict["cpuCount"] = cpu_count
        if memory_mb is not UNSET:
            field_dict["memoryMB"] = memory_mb
        if disk_gb is not UNSET:
            field_dict["diskGB"] = disk_gb
        if oci_image is not UNSET:
            field_dict["ociImage"] = oci_image
        if ipsw_path is not UNSET:
            field_dict["ipswPath"] = ipsw_path
        if memory_size_mb is not UNSET:
            field_dict["memorySizeMB"] = memory_size_mb
        if disk_size_gb is not UNSET:
            field_dict["diskSizeGB"] = disk_size_gb
        if oci_image_reference is not UNSET:
            field_dict["ociImageReference"] = oci_image_reference

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        api_token = d.pop("apiToken", UNSET)

        caller_node_id = d.pop("callerNodeID", UNSET)

        request_id = d.pop("requestID", UNSET)

        cpu_count = d.pop("cpuCount", UNSET)

        memory_mb = d.pop("memoryMB", UNSET)

        disk_gb = d.pop("diskGB", UNSET)

        oci_image = d.pop("ociImage", UNSET)

        ipsw_path = d.pop("ipswPath", UNSET)

        memory_size_mb = d.pop("memorySizeMB", UNSET)

        disk_size_gb = d.pop("diskSizeGB", UNSET)

        oci_image_reference = d.pop("ociImageReference", UNSET)

        create_vm_on_node_request = cls(
            name=name,
            api_token=api_token,
            caller_node_id=caller_node_id,
            request_id=request_id,
            cpu_count=cpu_count,
            memory_mb=memory_mb,
            disk_gb=disk_gb,
            oci_image=oci_image,
            ipsw_path=ipsw_path,
            memory_size_mb=memory_size_mb,
            disk_size_gb=disk_size_gb,
            oci_image_reference=oci_image_reference,
        )

        create_vm_on_node_request.additional_properties = d
        return create_vm_on_node_request

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
