from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status import TaskStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_result import TaskResult


T = TypeVar("T", bound="Task")


@_attrs_define
class Task:
    """A background action, from `pending` to `completed` or `failed`.

    Attributes:
        id (str):
        action (str): e.g. `start_vm`, `create_vm`.
        status (str | TaskStatus): `pending`, `running`, `completed` or `failed`.
        command (list[str] | None): The last command it ran.
        exit_code (float | None):
        result (None | TaskResult):
        error (None | str):
        stderr (None | str):
        created_at (float): Unix timestamp.
        updated_at (float): Unix timestamp.
        logs (list[str]):
    """

    id: str
    action: str
    status: str | TaskStatus
    command: list[str] | None
    exit_code: float | None
    result: None | TaskResult
    error: None | str
    stderr: None | str
    created_at: float
    updated_at: float
    logs: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_result import TaskResult  # noqa: PLC0415

        id = self.id

        action = self.action

        status: str
        if isinstance(self.status, TaskStatus):
            status = self.status.value
        else:
            status = self.status

        command: list[str] | None
        if isinstance(self.command, list):
            command = self.command

        else:
            command = self.command

        exit_code: float | None
        exit_code = self.exit_code

        result: dict[str, Any] | None
        if isinstance(self.result, TaskResult):
            result = self.result.to_dict()
        else:
            result = self.result

        error: None | str
        error = self.error

        stderr: None | str
        stderr = self.stderr

        created_at = self.created_at

        updated_at = self.updated_at

        logs = self.logs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "action": action,
                "status": status,
                "command": command,
                "exit_code": exit_code,
                "result": result,
                "error": error,
                "stderr": stderr,
                "created_at": created_at,
                "updated_at": updated_at,
                "logs": logs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_result import TaskResult  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        action = d.pop("action")

        def _parse_status(data: object) -> str | TaskStatus:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = TaskStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TaskStatus, data)

        status = _parse_status(d.pop("status"))

        def _parse_command(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                command_type_0 = cast(list[str], data)

                return command_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        command = _parse_command(d.pop("command"))

        def _parse_exit_code(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        exit_code = _parse_exit_code(d.pop("exit_code"))

        def _parse_result(data: object) -> None | TaskResult:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = TaskResult.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskResult, data)

        result = _parse_result(d.pop("result"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_stderr(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stderr = _parse_stderr(d.pop("stderr"))

        created_at = d.pop("created_at")

        updated_at = d.pop("updated_at")

        logs = cast(list[str], d.pop("logs"))

        task = cls(
            id=id,
            action=action,
            status=status,
            command=command,
            exit_code=exit_code,
            result=result,
            error=error,
            stderr=stderr,
            created_at=created_at,
            updated_at=updated_at,
            logs=logs,
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
