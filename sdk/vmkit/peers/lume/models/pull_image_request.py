from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PullImageRequest")


@_attrs_define
class PullImageRequest:
    """What `POST /images/pull` takes.

    Attributes:
        image (str): Image name with its tag (`macos-sequoia-vanilla:latest`).
        registry (str): Registry host (`ghcr.io`).
        organization (str): Organization name (`trycua`).
        storage (str | Unset): Storage type (`ssd`, etc.).
    """

    image: str
    registry: str
    organization: str
    storage: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image = self.image

        registry = self.registry

        organization = self.organization

        storage = self.storage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "image": image,
                "registry": registry,
                "organization": organization,
            }
        )
        if storage is not UNSET:
            field_dict["storage"] = storage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image = d.pop("image")

        registry = d.pop("registry")

        organization = d.pop("organization")

        storage = d.pop("storage", UNSET)

        pull_image_request = cls(
            image=image,
            registry=registry,
            organization=organization,
            storage=storage,
        )

        pull_image_request.additional_properties = d
        return pull_image_request

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
