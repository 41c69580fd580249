from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Task")


@_attrs_define
class Task:
    """A background task of the node (fields: SDK).

    Attributes:
        id (str): The task's id.
        type_ (str): What it does (`createVM`, `pullImage`, `pushImage`, `downloadIPSW`, ...).
        status (str): `pending`, `running`, `completed`, `failed` or `cancelled` (a plain string).
        title (str | Unset): A title for people.
        progress (float | Unset): How far it is, from 0.0 to 1.0.
        progress_text (None | str | Unset): What it is doing now, for people.
        started_at (datetime.datetime | Unset): When it started (ISO 8601).
        completed_at (datetime.datetime | None | Unset): When it ended (ISO 8601).
        vm_id (None | str | Unset): The VM it works on, if any.
        vm_name (None | str | Unset): That VM's name.
        error_message (None | str | Unset): Why it failed.
    """

    id: str
    type_: str
    status: str
    title: str | Unset = UNSET
    progress: float | Unset = UNSET
    progress_text: None | str | Unset = UNSET
    started_at: datetime.datetime | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    vm_id: None | str | Unset = UNSET
    vm_name: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        status = self.status

        title = self.title

        progress = self.progress

        progress_text: None | str | Unset
        if isinstance(self.progress_text, Unset):
            progress_text = UNSET
        else:
            progress_text = self.progress_text

        started_at: str | Unset = UNSET
        if not isinstance(self.started_at, Unset):
            started_at = self.started_at.isoformat()

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        vm_id: None | str | Unset
        if isinstance(self.vm_id, Unset):
            vm_id = UNSET
        else:
            vm_id = self.vm_id

        vm_name: None | str | Unset
        if isinstance(self.vm_name, Unset):
            vm_name = UNSET
        else:
            vm_name = self.vm_name

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "status": status,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if progress is not UNSET:
            field_dict["progress"] = progress
        if progress_text is not UNSET:
            field_dict["progressText"] = progress_text
        if started_at is not UNSET:
            field_dict["startedAt"] = started_at
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if vm_id is not UNSET:
            field_dict["vmID"] = vm_id
        if vm_name is not UNSET:
            field_dict["vmName"] = vm_name
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        status = d.pop("status")

        title = d.pop("title", UNSET)

        progress = d.pop("progress", UNSET)

        def _parse_progress_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        progress_text = _parse_progress_text(d.pop("progressText", UNSET))

        _started_at = d.pop("startedAt", UNSET)
        started_at: datetime.datetime | Unset
        if isinstance(_started_at, Unset):
            started_at = UNSET
        else:
            started_at = datetime.datetime.fromisoformat(_started_at)

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completedAt", UNSET))

        def _parse_vm_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vm_id = _parse_vm_id(d.pop("vmID", UNSET))

        def _parse_vm_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        vm_name = _parse_vm_name(d.pop("vmName", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("errorMessage", UNSET))

        task = cls(
            id=id,
            type_=type_,
            status=status,
            title=title,
            progress=progress,
            progress_text=progress_text,
            started_at=started_at,
            completed_at=completed_at,
            vm_id=vm_id,
            vm_name=vm_name,
            error_message=error_message,
        )

        task.additional_properties = d
        return task

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
