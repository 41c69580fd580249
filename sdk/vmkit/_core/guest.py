"""What guest calls return: a command's result and a piece of console output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from vmkit.errors import CommandFailedError

__all__ = ["ConsoleOutput", "ExecResult"]


@dataclass(frozen=True)
class ExecResult:
    """How a command run with ``vm.exec(...)`` ended; a non-zero exit code is data.

    Attributes:
        exit_code: The exit status.
        stdout: Standard output (UTF-8, invalid bytes replaced).
        stderr: Standard error.
        stdout_truncated: The server cut the output (it keeps 1 MiB).
        stderr_truncated: The server cut the error output.
        duration_seconds: How long the command ran.
    """

    exit_code: int
    stdout: str
    stderr: str
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    duration_seconds: float = 0.0

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Self:
        """Build one from the API's ``ExecResult`` JSON (or an operation's ``result``).

        Args:
            body: The JSON object.

        Returns:
            The result.
        """
        return cls(
            exit_code=int(body["exit_code"]),
            stdout=str(body.get("stdout", "")),
            stderr=str(body.get("stderr", "")),
            stdout_truncated=bool(body.get("stdout_truncated", False)),
            stderr_truncated=bool(body.get("stderr_truncated", False)),
            duration_seconds=float(body.get("duration_seconds", 0.0)),
        )

    @property
    def ok(self) -> bool:
        """Whether the command exited with status 0."""
        return self.exit_code == 0

    def check(self) -> Self:
        """Raise unless the command succeeded, like ``subprocess``'s ``check=True``.

        Returns:
            This result, when the exit code is 0.

        Raises:
            vmkit.errors.CommandFailedError: If the exit code is not 0.
        """
        if not self.ok:
            raise CommandFailedError(self)
        return self

    def __repr__(self) -> str:
        out = self.stdout if len(self.stdout) <= 60 else self.stdout[:57] + "..."
        return f"ExecResult(exit_code={self.exit_code}, stdout={out!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(f"exit code {self.exit_code} after {self.duration_seconds:.3f}s\n")
        printer.text(self.stdout)
        if self.stderr:
            printer.text(f"--- stderr ---\n{self.stderr}")


@dataclass(frozen=True)
class ConsoleOutput:
    """A piece of a VM's serial console output.

    Attributes:
        data: The text (UTF-8, invalid bytes replaced).
        offset: The byte offset ``data`` starts at.
        next_offset: Pass it as ``offset`` to read only what comes next.
        start_offset: The oldest byte offset the server still keeps.
    """

    data: str
    offset: int
    next_offset: int
    start_offset: int

    def __str__(self) -> str:
        return self.data
