from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shared_directory import SharedDirectory


T = TypeVar("T", bound="RunVMRequest")


@_attrs_define
class RunVMRequest:
    """What `POST /vms/{name}/run` takes (all optional).

    Attributes:
        no_display (bool | Unset): If true, do not start the VNC client.
        shared_directories (list[SharedDirectory] | Unset): Host directories to share with the guest.
        recovery_mode (bool | Unset): Start in recovery mode.
        storage (str | Unset): Storage type (`ssd`, etc.).
    """

    no_display: bool | Unset = UNSET
    shared_directories: list[SharedDirectory] | Unset = UNSET
    recovery_mode: bool | Unset = UNSET
    storage: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.shared_directory import SharedDirectory  # noqa: PLC0415

        no_display = self.no_display

        shared_directories: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.shared_directories, Unset):
            shared_directories = []
            for shared_directories_item_data in self.shared_directories:
                shared_directories_item = shared_directories_item_data.to_dict()
                shared_directories.append(shared_directories_item)

        recovery_mode = self.recovery_mode

        storage = self.storage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if no_display is not UNSET:
            field_dict["noDisplay"] = no_display
        if shared_directories is not UNSET:
            field_dict["sharedDirectories"] = shared_directories
        if recovery_mode is not UNSET:
            field_dict["recoveryMode"] = recovery_mode
        if storage is not UNSET:
            field_dict["storage"] = storage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shared_directory import SharedDirectory  # noqa: PLC0415

        d = dict(src_dict)
        no_display = d.pop("noDisplay", UNSET)

        _shared_directories = d.pop("sharedDirectories", UNSET)
        shared_directories: list[SharedDirectory] | Unset = UNSET
        if _shared_directories is not UNSET:
            shared_directories = []
            for shared_directories_item_data in _shared_directories:
                shared_directories_item = SharedDirectory.from_dict(shared_directories_item_data)

                shared_directories.append(shared_directories_item)

        recovery_mode = d.pop("recoveryMode", UNSET)

        storage = d.pop("storage", UNSET)

        run_vm_request = cls(
            no_display=no_display,
            shared_directories=shared_directories,
            recovery_mode=recovery_mode,
            storage=storage,
        )

        run_vm_request.additional_properties = d
        return run_vm_request

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
