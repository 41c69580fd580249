from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.env import Env
    from ..models.vm import Vm


T = TypeVar("T", bound="EnvDetail")


@_attrs_define
class EnvDetail:
    """
    Attributes:
        env (Env):
        vms (list[Vm]):
        warnings (list[str] | Unset): VMs that could not be created (left out when none).
    """

    env: Env
    vms: list[Vm]
    warnings: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.env import Env  # noqa: PLC0415
        from ..models.vm import Vm  # noqa: PLC0415

        env = self.env.to_dict()

        vms = []
        for vms_item_data in self.vms:
            vms_item = vms_item_data.to_dict()
            vms.append(vms_item)

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "env": env,
                "vms": vms,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.env import Env  # noqa: PLC0415
        from ..models.vm import Vm  # noqa: PLC0415

        d = dict(src_dict)
        env = Env.from_dict(d.pop("env"))

        vms = []
        _vms = d.pop("vms")
        for vms_item_data in _vms:
            vms_item = Vm.from_dict(vms_item_data)

            vms.append(vms_item)

        warnings = cast(list[str], d.pop("warnings", UNSET))

        env_detail = cls(
            env=env,
            vms=vms,
            warnings=warnings,
        )

        env_detail.additional_properties = d
        return env_detail

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
