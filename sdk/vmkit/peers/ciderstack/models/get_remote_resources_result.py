from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ipsw import IPSW
    from ..models.oci_image import OCIImage


T = TypeVar("T", bound="GetRemoteResourcesResult")


@_attrs_define
class GetRemoteResourcesResult:
    """The answer of `GetRemoteResources`. Every field is optional because a failed call answers
    the error shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            available_cpu_cores (int | Unset): CPU cores not given to running VMs.
            available_memory_gb (float | Unset): RAM not given to running VMs, GB.
            available_disk_gb (float | Unset): Free disk, GB.
            running_vm_count (int | Unset): macOS VMs running now.
            max_running_v_ms (int | Unset): How many macOS VMs may run at once (2).
            ipsws (list[IPSW] | Unset): IPSWs VMs can be created from.
            oci_images (list[OCIImage] | Unset): OCI images VMs can be created from.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    available_cpu_cores: int | Unset = UNSET
    available_memory_gb: float | Unset = UNSET
    available_disk_gb: float | Unset = UNSET
    running_vm_count: int | Unset = UNSET
    max_running_v_ms: int | Unset = UNSET
    ipsws: list[IPSW] | Unset = UNSET
    oci_images: list[OCIImage] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.ipsw import IPSW  # noqa: PLC0415
        from ..models.oci_image import OCIImage  # noqa: PLC0415

        success = self.success

        error = self.error

        available_cpu_cores = self.available_cpu_cores

        available_memory_gb = self.available_memory_gb

        available_disk_gb = self.available_disk_gb

        running_vm_count = self.running_vm_count

        max_running_v_ms = self.max_running_v_ms

        ipsws: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.ipsws, Unset):
            ipsws = []
            for ipsws_item_data in self.ipsws:
                ipsws_item = ipsws_item_data.to_dict()
                ipsws.append(ipsws_item)

        oci_images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.oci_images, Unset):
            oci_images = []
            for oci_images_item_data in self.oci_images:
                oci_images_item = oci_images_item_data.to_dict()
                oci_images.append(oci_images_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if available_cpu_cores is not UNSET:
            field_dict["availableCPUCores"] = available_cpu_cores
        if available_memory_gb is not UNSET:
            field_dict["availableMemoryGB"] = available_memory_gb
        if available_disk_gb is not UNSET:
            field_dict["availableDiskGB"] = available_disk_gb
        if running_vm_count is not UNSET:
            field_dict["runningVMCount"] = running_vm_count
        if max_running_v_ms is not UNSET:
            field_dict["maxRunningVMs"] = max_running_v_ms
        if ipsws is not UNSET:
            field_dict["ipsws"] = ipsws
        if oci_images is not UNSET:
            field_dict["ociImages"] = oci_images

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ipsw import IPSW  # noqa: PLC0415
        from ..models.oci_image import OCIImage  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        available_cpu_cores = d.pop("availableCPUCores", UNSET)

        available_memory_gb = d.pop("availableMemoryGB", UNSET)

        available_disk_gb = d.pop("availableDiskGB", UNSET)

        running_vm_count = d.pop("runningVMCount", UNSET)

        max_running_v_ms = d.pop("maxRunningVMs", UNSET)

        _ipsws = d.pop("ipsws", UNSET)
        ipsws: list[IPSW] | Unset = UNSET
        if _ipsws is not UNSET:
            ipsws = []
            for ipsws_item_data in _ipsws:
                ipsws_item = IPSW.from_dict(ipsws_item_data)

                ipsws.append(ipsws_item)

        _oci_images = d.pop("ociImages", UNSET)
        oci_images: list[OCIImage] | Unset = UNSET
        if _oci_images is not UNSET:
            oci_images = []
            for oci_images_item_data in _oci_images:
                oci_images_item = OCIImage.from_dict(oci_images_item_data)

                oci_images.append(oci_images_item)

        get_remote_resources_result = cls(
            success=success,
            error=error,
            available_cpu_cores=available_cpu_cores,
            available_memory_gb=available_memory_gb,
            available_disk_gb=available_disk_gb,
            running_vm_count=running_vm_count,
            max_running_v_ms=max_running_v_ms,
            ipsws=ipsws,
            oci_images=oci_images,
        )

        get_remote_resources_result.additional_properties = d
        return get_remote_resources_result

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
