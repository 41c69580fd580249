from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, TextIO, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exec_request_env import ExecRequestEnv


T = TypeVar("T", bound="ExecRequest")


@_attrs_define
class ExecRequest:
    """
    Attributes:
        command (list[str] | str): What to run: an argv list (`["uname", "-a"]`, run as is) or a shell string
            (`"ls /tmp | wc -l"`, run with `/bin/sh -c`).
        env (ExecRequestEnv | Unset): Extra environment variables.
        stdin (str | Unset): Text given to the command's standard input.
        timeout_seconds (float | Unset): Kill the command after this long (504 `EXEC_TIMEOUT`, or a failed operation).
            Default: 60.0.
        wait (bool | Unset): false: answer 202 at once and run the command as an operation. Default: True.
    """

    command: list[str] | str
    env: ExecRequestEnv | Unset = UNSET
    stdin: str | Unset = UNSET
    timeout_seconds: float | Unset = 60.0
    wait: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        from ..models.exec_request_env import ExecRequestEnv  # noqa: PLC0415

        command: list[str] | str
        if isinstance(self.command, list):
            command = self.command

        else:
            command = self.command

        env: dict[str, Any] | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = self.env.to_dict()

        stdin = self.stdin

        timeout_seconds = self.timeout_seconds

        wait = self.wait

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "command": command,
            }
        )
        if env is not UNSET:
            field_dict["env"] = env
        if stdin is not UNSET:
            field_dict["stdin"] = stdin
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds
        if wait is not UNSET:
            field_dict["wait"] = wait

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exec_request_env import ExecRequestEnv  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_command(data: object) -> list[str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                command_type_0 = cast(list[str], data)

                return command_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str, data)

        command = _parse_command(d.pop("command"))

        _env = d.pop("env", UNSET)
        env: ExecRequestEnv | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = ExecRequestEnv.from_dict(_env)

        stdin = d.pop("stdin", UNSET)

        timeout_seconds = d.pop("timeout_seconds", UNSET)

        wait = d.pop("wait", UNSET)

        exec_request = cls(
            command=command,
            env=env,
            stdin=stdin,
            timeout_seconds=timeout_seconds,
            wait=wait,
        )

        return exec_request
