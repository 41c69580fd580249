from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shared_directory_details import SharedDirectoryDetails


T = TypeVar("T", bound="VMDetails")


@_attrs_define
class VMDetails:
    """A VM as `GET /vms/{name}` shows it.

    Attributes:
        name (str): The VM's name.
        state (str): `stopped` or `running`; other values may appear (treat them as unknown).
        os (str): Guest OS (`macOS`, `linux`).
        cpu (int): Number of CPU cores.
        memory (str): Memory size with its unit (`4GB`).
        disk_size (str): Disk size with its unit (`64GB`).
        display (str | Unset): Display resolution (`1024x768`).
        ip_address (None | str | Unset): The guest's address, if Lume knows one (it may linger after a stop).
        vnc_port (int | None | Unset): The VNC port of a running VM.
        shared_directories (list[SharedDirectoryDetails] | Unset): Host directories shared with the guest.
    """

    name: str
    state: str
    os: str
    cpu: int
    memory: str
    disk_size: str
    display: str | Unset = UNSET
    ip_address: None | str | Unset = UNSET
    vnc_port: int | None | Unset = UNSET
    shared_directories: list[SharedDirectoryDetails] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.shared_directory_details import SharedDirectoryDetails  # noqa: PLC0415

        name = self.name

        state = self.state

        os = self.os

        cpu = self.cpu

        memory = self.memory

        disk_size = self.disk_size

        display = self.display

        ip_address: None | str | Unset
        if isinstance(self.ip_address, Unset):
            ip_address = UNSET
        else:
            ip_address = self.ip_address

        vnc_port: int | None | Unset
        if isinstance(self.vnc_port, Unset):
            vnc_port = UNSET
        else:
            vnc_port = self.vnc_port

        shared_directories: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.shared_directories, Unset):
            shared_directories = []
            for shared_directories_item_data in self.shared_directories:
                shared_directories_item = shared_directories_item_data.to_dict()
                shared_directories.append(shared_directories_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "state": state,
                "os": os,
                "cpu": cpu,
                "memory": memory,
                "diskSize": disk_size,
            }
        )
        if display is not UNSET:
            field_dict["display"] = display
        if ip_address is not UNSET:
            field_dict["ipAddress"] = ip_address
        if vnc_port is not UNSET:
            field_dict["vncPort"] = vnc_port
        if shared_directories is not UNSET:
            field_dict["sharedDirectories"] = shared_directories

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shared_directory_details import SharedDirectoryDetails  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        state = d.pop("state")

        os = d.pop("os")

        cpu = d.pop("cpu")

        memory = d.pop("memory")

        disk_size = d.pop("diskSize")

        display = d.pop("display", UNSET)

        def _parse_ip_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip_address = _parse_ip_address(d.pop("ipAddress", UNSET))

        def _parse_vnc_port(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        vnc_port = _parse_vnc_port(d.pop("vncPort", UNSET))

        _shared_directories = d.pop("sharedDirectories", UNSET)
        shared_directories: list[SharedDirectoryDetails] | Unset = UNSET
        if _shared_directories is not UNSET:
            shared_directories = []
            for shared_directories_item_data in _shared_directories:
                shared_directories_item = SharedDirectoryDetails.from_dict(
                    shared_directories_item_data
                )

                shared_directories.append(shared_directories_item)

        vm_details = cls(
            name=name,
            state=state,
            os=os,
            cpu=cpu,
            memory=memory,
            disk_size=disk_size,
            display=display,
            ip_address=ip_address,
            vnc_port=vnc_port,
            shared_directories=shared_directories,
        )

        vm_details.additional_properties = d
        return vm_details

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
