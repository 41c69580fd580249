from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StopRequest")


@_attrs_define
class StopRequest:
    """
    Attributes:
        timeout_seconds (float | Unset): How long the guest gets to power off. Default: 60.0.
        force_after_timeout (bool | Unset): Force the VM off when the guest has not stopped in time. Default: True.
    """

    timeout_seconds: float | Unset = 60.0
    force_after_timeout: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        timeout_seconds = self.timeout_seconds

        force_after_timeout = self.force_after_timeout

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds
        if force_after_timeout is not UNSET:
            field_dict["force_after_timeout"] = force_after_timeout

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        timeout_seconds = d.pop("timeout_seconds", UNSET)

        force_after_timeout = d.pop("force_after_timeout", UNSET)

        stop_request = cls(
            timeout_seconds=timeout_seconds,
            force_after_timeout=force_after_timeout,
        )

        return stop_request
