"""``ResourceList``: a plain list that shows as a table in notebooks and IPython."""

from __future__ import annotations

from typing import TypeVar

from vmkit._core import display

__all__ = ["ResourceList"]

T = TypeVar("T")


class ResourceList(list[T]):
    """A list of VMs, operations, snapshots or log entries that displays as a table.

    ``paginator.to_list()`` returns one. It is an ordinary ``list`` in every other way
    (slicing it gives a plain list). Displaying it reads only what the items hold: it
    never calls the server.

    Example:
        In Jupyter, the last line shows a table of VMs (name, state, cpus, memory, ...)::

            client.vms.list(state="running").to_list()
    """

    def _repr_html_(self) -> str:
        return display.html_table(self)

    def _repr_pretty_(self, printer: display.PrettyPrinter, cycle: bool) -> None:
        display.pretty_repr(lambda: display.text_table(self), "[...]", printer, cycle)
