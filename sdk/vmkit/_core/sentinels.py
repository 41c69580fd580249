"""The ``NOT_GIVEN`` sentinel: tells "argument omitted" apart from an explicit ``None``."""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["NOT_GIVEN", "NotGiven"]


class NotGiven:
    """Type of :data:`NOT_GIVEN`, the default of arguments where ``None`` means something.

    ``timeout=None`` means "no timeout", so "use the client's default" needs another value::

        def request(timeout: float | None | NotGiven = NOT_GIVEN) -> None: ...
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
"""The default of ``timeout=`` and similar arguments: "not given, use the client's default"."""
