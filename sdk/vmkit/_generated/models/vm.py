from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.labels import Labels
    from ..models.vm_extra import VMExtra


T = TypeVar("T", bound="VM")


@_attrs_define
class VM:
    """
    Attributes:
        id (str):
        name (str): Lowercase letters, digits and inner dashes; at most 63 characters.
        state (str): One of `creating, stopped, starting, running, stopping, paused, suspended, migrating,
            deleting, error, unknown`. Clients must tolerate values added later.
        state_reason (None | str): Why the VM is in its state (`booted`, `shutdown`, `crashed`, `expired`...; `adopted`
            when a peer backend's VM made outside vmkit was just taken over).
        state_changed_at (datetime.datetime):
        desired_state (None | str): The state the running operation is driving the VM to.
        cpus (int):
        memory_mib (int):
        disk_gib (int):
        image (None | str): The image the VM was made from.
        labels (Labels): Free-form `key: value` tags; at most 64.
        backend (str): The backend that runs the VM.
        host (str): The host that runs the VM.
        ip_addresses (list[str]): Addresses the guest reported.
        ready (bool): The guest answered its agent (ready for work).
        ttl_seconds (int | None): Lifetime from creation, if any.
        expires_at (datetime.datetime | None):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        etag (str): Same as the ETag header.
        operation (None | str): Id of the operation driving a transitional state.
        extra (VMExtra): Backend-specific details.
    """

    id: str
    name: str
    state: str
    state_reason: None | str
    state_changed_at: datetime.datetime
    desired_state: None | str
    cpus: int
    memory_mib: int
    disk_gib: int
    image: None | str
    labels: Labels
    backend: str
    host: str
    ip_addresses: list[str]
    ready: bool
    ttl_seconds: int | None
    expires_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    etag: str
    operation: None | str
    extra: VMExtra
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.labels import Labels  # noqa: PLC0415
        from ..models.vm_extra import VMExtra  # noqa: PLC0415

        id = self.id

        name = self.name

        state = self.state

        state_reason: None | str
        state_reason = self.state_reason

        state_changed_at = self.state_changed_at.isoformat()

        desired_state: None | str
        desired_state = self.desired_state

        cpus = self.cpus

        memory_mib = self.memory_mib

        disk_gib = self.disk_gib

        image: None | str
        image = self.image

        labels = self.labels.to_dict()

        backend = self.backend

        host = self.host

        ip_addresses = self.ip_addresses

        ready = self.ready

        ttl_seconds: int | None
        ttl_seconds = self.ttl_seconds

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        etag = self.etag

        operation: None | str
        operation = self.operation

        extra = self.extra.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "state": state,
                "state_reason": state_reason,
                "state_changed_at": state_changed_at,
                "desired_state": desired_state,
                "cpus": cpus,
                "memory_mib": memory_mib,
                "disk_gib": disk_gib,
                "image": image,
                "labels": labels,
                "backend": backend,
                "host": host,
                "ip_addresses": ip_addresses,
                "ready": ready,
                "ttl_seconds": ttl_seconds,
                "expires_at": expires_at,
                "created_at": created_at,
                "updated_at": updated_at,
                "etag": etag,
                "operation": operation,
                "extra": extra,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels  # noqa: PLC0415
        from ..models.vm_extra import VMExtra  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        state = d.pop("state")

        def _parse_state_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        state_reason = _parse_state_reason(d.pop("state_reason"))

        state_changed_at = datetime.datetime.fromisoformat(d.pop("state_changed_at"))

        def _parse_desired_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        desired_state = _parse_desired_state(d.pop("desired_state"))

        cpus = d.pop("cpus")

        memory_mib = d.pop("memory_mib")

        disk_gib = d.pop("disk_gib")

        def _parse_image(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        image = _parse_image(d.pop("image"))

        labels = Labels.from_dict(d.pop("labels"))

        backend = d.pop("backend")

        host = d.pop("host")

        ip_addresses = cast(list[str], d.pop("ip_addresses"))

        ready = d.pop("ready")

        def _parse_ttl_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ttl_seconds = _parse_ttl_seconds(d.pop("ttl_seconds"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        etag = d.pop("etag")

        def _parse_operation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        operation = _parse_operation(d.pop("operation"))

        extra = VMExtra.from_dict(d.pop("extra"))

        vm = cls(
            id=id,
            name=name,
            state=state,
            state_reason=state_reason,
            state_changed_at=state_changed_at,
            desired_state=desired_state,
            cpus=cpus,
            memory_mib=memory_mib,
            disk_gib=disk_gib,
            image=image,
            labels=labels,
            backend=backend,
            host=host,
            ip_addresses=ip_addresses,
            ready=ready,
            ttl_seconds=ttl_seconds,
            expires_at=expires_at,
            created_at=created_at,
            updated_at=updated_at,
            etag=etag,
            operation=operation,
            extra=extra,
        )

        vm.additional_properties = d
        return vm

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
