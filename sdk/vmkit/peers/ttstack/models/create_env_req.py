from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vm_spec import VmSpec


T = TypeVar("T", bound="CreateEnvReq")


@_attrs_define
class CreateEnvReq:
    """`POST /api/envs`. The page marks `owner` optional and `ssh_keys` required; TTstack's code
    requires `owner` and defaults `ssh_keys` to none, so send both.

        Attributes:
            id (str): Environment name (at most 128 characters, no `/`, `..` or NUL).
            ssh_keys (list[str]): SSH public keys injected into all VMs (cloud-init authorized_keys).
            vms (list[VmSpec]): List of VM specifications.
            owner (str | Unset): Owner label.
            lifetime (int | Unset): Auto-expiry in seconds (default: 21600 = 6 h). The controller caps it at 21600;
                0 means the default.
    """

    id: str
    ssh_keys: list[str]
    vms: list[VmSpec]
    owner: str | Unset = UNSET
    lifetime: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.vm_spec import VmSpec  # noqa: PLC0415

        id = self.id

        ssh_keys = self.ssh_keys

        vms = []
        for vms_item_data in self.vms:
            vms_item = vms_item_data.to_dict()
            vms.append(vms_item)

        owner = self.owner

        lifetime = self.lifetime

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "ssh_keys": ssh_keys,
                "vms": vms,
            }
        )
        if owner is not UNSET:
            field_dict["owner"] = owner
        if lifetime is not UNSET:
            field_dict["lifetime"] = lifetime

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vm_spec import VmSpec  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        ssh_keys = cast(list[str], d.pop("ssh_keys"))

        vms = []
        _vms = d.pop("vms")
        for vms_item_data in _vms:
            vms_item = VmSpec.from_dict(vms_item_data)

            vms.append(vms_item)

        owner = d.pop("owner", UNSET)

        lifetime = d.pop("lifetime", UNSET)

        create_env_req = cls(
            id=id,
            ssh_keys=ssh_keys,
            vms=vms,
            owner=owner,
            lifetime=lifetime,
        )

        create_env_req.additional_properties = d
        return create_env_req

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
