from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fleet_overview import FleetOverview


T = TypeVar("T", bound="GetFleetOverviewResult")


@_attrs_define
class GetFleetOverviewResult:
    """The answer of `GetFleetOverview`. Every field is optional because a failed call answers the
    error shape (`success: false`, `error`) instead, with HTTP 200.

        Attributes:
            success (bool | Unset): `false` when the call failed (then `error` says why); `true` on a mutation.
            error (str | Unset): Why the call failed (with `success: false`).
            overview (FleetOverview | Unset): The aggregated fleet status.
    """

    success: bool | Unset = UNSET
    error: str | Unset = UNSET
    overview: FleetOverview | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.fleet_overview import FleetOverview  # noqa: PLC0415

        success = self.success

        error = self.error

        overview: dict[str, Any] | Unset = UNSET
        if not isinstance(self.overview, Unset):
            overview = self.overview.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if error is not UNSET:
            field_dict["error"] = error
        if overview is not UNSET:
            field_dict["overview"] = overview

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fleet_overview import FleetOverview  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        error = d.pop("error", UNSET)

        _overview = d.pop("overview", UNSET)
        overview: FleetOverview | Unset
        if isinstance(_overview, Unset):
            overview = UNSET
        else:
            overview = FleetOverview.from_dict(_overview)

        get_fleet_overview_result = cls(
            success=success,
            error=error,
            overview=overview,
        )

        get_fleet_overview_result.additional_properties = d
        return get_fleet_overview_result

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
